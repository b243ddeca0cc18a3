/**
 * The secret scope's ACL as Databricks reports it (`GET /api/2.0/secrets/acls/list?scope=`, items of
 * {principal, permission}; databricks-sdk-go ListAclsResponse) against the principals the program
 * declares (stack output `secretScopePrincipals`). Pure: verify.ts makes the call.
 */
import { ADMINS_GROUP, isWorkspaceWide, undeclaredAcls, type SecretAclEntry } from "../databricks/secretScopeAcl";
import type { CheckResult } from "./verifyReport";

export const SECRET_SCOPE_TITLE = (scope: string) => `secret scope ${scope} grants only the declared principals`;

/** The list call's path (workspace API). */
export function secretAclListPath(scope: string): string {
  return `/api/2.0/secrets/acls/list?scope=${encodeURIComponent(scope)}`;
}

function entriesOf(answer: unknown): SecretAclEntry[] {
  const items = (answer as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) return []; // `items` is omitted when the list is empty
  return items
    .filter((i): i is { principal: string; permission?: unknown } => typeof i?.principal === "string")
    .map((i) => ({ principal: i.principal, permission: String(i.permission ?? "?") }));
}

/** Fails naming every principal the program did not declare, with the command that removes it. */
export function secretScopeAclCheck(scope: string, declared: readonly string[], answer: unknown): CheckResult {
  const title = SECRET_SCOPE_TITLE(scope);
  const actual = entriesOf(answer);
  const listed = actual.map((e) => `${e.principal} ${e.permission}`).join(", ") || "none";
  const extra = undeclaredAcls(actual, declared);
  if (extra.length === 0) {
    return {
      status: "pass",
      title,
      details: [
        `ACL: ${listed} (declared: ${declared.join(", ")}${actual.some((e) => e.principal === ADMINS_GROUP) ? `; ${ADMINS_GROUP} read every secret anyway` : ""})`,
      ],
    };
  }
  return {
    status: "fail",
    title,
    details: [
      ...extra.map(
        (e) =>
          `${e.principal} holds ${e.permission}, which the program does not declare` +
          (isWorkspaceWide(e.principal) ? ": every workspace user can print the key with dbutils.secrets.get" : ""),
      ),
      `declared: ${declared.join(", ")}; actual: ${listed}`,
      `Remove each with \`databricks secrets delete-acl ${scope} <principal>\` (added by hand: drift), and rotate the ` +
        "key if a workspace-wide group held it. Callers use the serving endpoint, never the key.",
    ],
  };
}
