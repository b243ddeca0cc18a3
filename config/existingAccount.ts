/**
 * Reads `azure.existingAccount`: the resource id of an Azure OpenAI account someone else created, which
 * the program adopts (Pulumi `import`, protected, kept on destroy) instead of creating one. The id must
 * name the configured `resourceGroupName` and `accountName`, so every other reader of those keys (the
 * FQDN, the Entra role scope) stays right. What the account holds is checked at preview
 * (preflight/existingAccount.ts). Pure.
 */
import type { IssueCollector } from "./issues";
import { configKey } from "./keys";

export const EXISTING_ACCOUNT_KEY = configKey("azure", "existingAccount");

const ACCOUNT_ID =
  /^\/subscriptions\/([0-9a-f-]{36})\/resourceGroups\/([^/]+)\/providers\/Microsoft\.CognitiveServices\/accounts\/([^/]+)$/i;

export interface ExistingAccountId {
  readonly subscriptionId: string;
  readonly resourceGroupName: string;
  readonly accountName: string;
}

/** The parts of an account's resource id, or undefined when it is not one. */
export function parseAccountId(id: string): ExistingAccountId | undefined {
  const m = ACCOUNT_ID.exec(id);
  return m ? { subscriptionId: m[1], resourceGroupName: m[2], accountName: m[3] } : undefined;
}

/** Undefined when absent or invalid (then with issues). */
export function readExistingAccount(
  c: IssueCollector,
  azure: Record<string, unknown>,
  names: { resourceGroupName?: string; accountName?: string; restoreSoftDeleted: boolean },
): string | undefined {
  const id = c.string(EXISTING_ACCOUNT_KEY, azure.existingAccount, {
    pattern: { test: (text: string) => parseAccountId(text) !== undefined },
    describe:
      "an account resource id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.CognitiveServices/accounts/<name>)",
    fix: "copy it from the account's JSON view in the portal, or `az cognitiveservices account show -n <name> -g <group> --query id`",
  });
  if (!id) return undefined;
  const parts = parseAccountId(id)!;
  const before = c.issues.length;
  if (names.accountName !== undefined && parts.accountName !== names.accountName)
    c.add(
      configKey("azure", "accountName"),
      names.accountName,
      `differs from the adopted account's name in azure.existingAccount (${parts.accountName})`,
      `set accountName: ${parts.accountName}`,
    );
  if (
    names.resourceGroupName !== undefined &&
    parts.resourceGroupName.toLowerCase() !== names.resourceGroupName.toLowerCase()
  )
    c.add(
      configKey("azure", "resourceGroupName"),
      names.resourceGroupName,
      `differs from the adopted account's resource group in azure.existingAccount (${parts.resourceGroupName})`,
      `set resourceGroupName: ${parts.resourceGroupName}`,
    );
  if (names.restoreSoftDeleted)
    c.add(
      configKey("azure", "restoreSoftDeleted"),
      true,
      "restores a deleted account the program would create, and azure.existingAccount adopts a live one",
      "remove restoreSoftDeleted",
    );
  return c.issues.length > before ? undefined : id;
}
