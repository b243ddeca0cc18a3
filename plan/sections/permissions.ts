/**
 * Plan section: the cloud permissions `pulumi up` and `pulumi preview` need for what this stack
 * registers and reads, from policy/permissions.ts (resources, invokes) and preflight/registry.ts
 * (the preflight checks' reads). Also renders docs/permissions.md (scripts/permissions-doc.ts).
 */
import type { Plan } from "../run";
import { PREFLIGHTS } from "../../preflight/registry";
import {
  type Cloud,
  type Command,
  INVOKE_PERMISSIONS,
  RESOURCE_PERMISSIONS,
  awsPolicyDocument,
  azureCustomRole,
  permissionsFor,
  unknownTypes,
} from "../../policy/permissions";
import { TYPES } from "../resourceTypes";

/** Actions a command needs, per cloud: the table's, plus the preflight reads (both commands read them). */
export function collectPermissions(
  command: Command,
  types: Iterable<string>,
  invokes: Iterable<string>,
): Record<Cloud, string[]> {
  const invoked = new Set(invokes);
  const found = permissionsFor(command, types, invoked);
  for (const p of PREFLIGHTS) {
    for (const r of p.reads) {
      if (!invoked.has(r.invoke) && !r.invoke.startsWith("ARM ")) continue;
      const cloud: Cloud | undefined = r.permission.startsWith("Microsoft.")
        ? "azure"
        : /^[a-z0-9-]+:[A-Za-z]+$/.test(r.permission)
          ? "aws"
          : undefined;
      if (cloud && !found[cloud].includes(r.permission)) found[cloud] = [...found[cloud], r.permission].sort();
    }
  }
  return found;
}

const LABEL: Record<Cloud, string> = {
  aws: "AWS IAM",
  azure: "Azure RBAC",
  entra: "Microsoft Entra (Graph)",
  databricks: "Databricks",
  none: "",
};

export function permissionsSection(plan: Plan): string {
  const types = plan.resources
    .map((r) => r.type)
    .filter((t) => !t.startsWith("dbx-aoai-link:") && t !== "pulumi:pulumi:Stack");
  const invokes = plan.invokes.map((i) => i.token);
  const lines = [
    "Permissions (policy/permissions.ts; docs/permissions.md has the policy JSON and the Azure custom role)",
  ];
  for (const command of ["up", "preview"] as const) {
    lines.push(
      `  pulumi ${command}${command === "preview" ? " (never reads the Azure key; resource reads only with --refresh)" : ""}`,
    );
    const found = collectPermissions(command, types, invokes);
    for (const cloud of ["aws", "azure", "entra", "databricks"] as const) {
      if (found[cloud].length > 0) lines.push(`    ${LABEL[cloud]}: ${found[cloud].join(", ")}`);
    }
  }
  const missing = unknownTypes(types.filter((t) => !t.startsWith("pulumi:providers:") || t === TYPES.provider));
  if (missing.length > 0)
    lines.push(`  ✘ no permission row for: ${missing.join(", ")} (add them to policy/permissions.ts)`);
  return lines.join("\n");
}

/** Every type the table knows: what docs/permissions.md covers (all configurations together). */
export function allTypes(): string[] {
  return Object.keys(RESOURCE_PERMISSIONS);
}

const ALL_INVOKES = [...Object.keys(INVOKE_PERMISSIONS), ...PREFLIGHTS.flatMap((p) => p.reads.map((r) => r.invoke))];

/** docs/permissions.md: every configuration together (key and Entra auth, serving endpoint or not). */
export function renderPermissionsDoc(): string {
  const types = allTypes();
  const json = (o: object) => ["```json", JSON.stringify(o, null, 2), "```"];
  const roles = (cloud: Cloud) =>
    Object.entries(RESOURCE_PERMISSIONS)
      .filter(([, r]) => r.cloud === cloud)
      .map(([type, r]) => `| \`${type}\` | ${r.up.join("; ")} | ${r.preview.join("; ")} |`);
  return [
    "# Permissions of the deploy identities",
    "",
    "<!-- Generated from policy/permissions.ts and preflight/registry.ts by `npm run docs:permissions`; a test keeps it equal. -->",
    "",
    "One table (`policy/permissions.ts`) lists, per resource type the program registers and per read it makes, what",
    "`pulumi up` and `pulumi preview` need; `npm run plan` prints the subset a stack uses. Previews never read the",
    "Azure account key (`listAccountKeys` runs in `up` only), so the preview identities below hold no key-reading right,",
    "and resource reads matter to a preview only with `--refresh`. Scope the AWS statements further by tag or ARN",
    "where your organisation requires it; the actions are the floor, not a wildcard.",
    "",
    "## AWS: `pulumi up`",
    "",
    ...json(awsPolicyDocument("up", types, ALL_INVOKES, collectPermissions("up", [], ALL_INVOKES).aws)),
    "",
    "## AWS: `pulumi preview` (read-only)",
    "",
    ...json(awsPolicyDocument("preview", types, ALL_INVOKES, collectPermissions("preview", [], ALL_INVOKES).aws)),
    "",
    "## Azure custom role: `pulumi up` (assign on the resource group)",
    "",
    ...json(azureCustomRole("up", types, ALL_INVOKES, collectPermissions("up", [], ALL_INVOKES).azure)),
    "",
    "## Azure custom role: `pulumi preview` (no listKeys)",
    "",
    ...json(azureCustomRole("preview", types, ALL_INVOKES, collectPermissions("preview", [], ALL_INVOKES).azure)),
    "",
    "## Microsoft Entra ID (only with `azure.auth: entra`)",
    "",
    "| resource type | `pulumi up` | `pulumi preview` |",
    "|---|---|---|",
    ...roles("entra"),
    "",
    "## Databricks",
    "",
    "The account API has no read-only role, so a preview identity that refreshes needs account admin; a plain",
    "`pulumi preview` makes no Databricks read and should use an identity without account admin.",
    "",
    "| resource type | `pulumi up` | `pulumi preview` |",
    "|---|---|---|",
    ...roles("databricks"),
    "",
  ].join("\n");
}
