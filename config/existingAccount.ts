/**
 * Reads `azure.existingAccount`: the resource id of an Azure OpenAI account someone else created, which
 * the program adopts (Pulumi `import`, protected, kept on destroy) instead of creating one. The id must
 * name the configured `resourceGroupName` and `accountName`, so every other reader of those keys (the
 * FQDN, the Entra role scope) stays right. What the account holds is checked at preview
 * (preflight/existingAccount.ts). Pure.
 */
import type { IssueCollector } from "./issues";
import { configKey } from "./keys";
import type { AzureAccountConfig } from "./types";

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

/** Undefined when absent or invalid (then with issues). `primary`: the account it adopts, the first. */
export function readExistingAccount(
  c: IssueCollector,
  azure: Record<string, unknown>,
  primary: Pick<AzureAccountConfig, "name" | "resourceGroupName" | "keys">,
  restoreSoftDeleted: boolean,
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
  // "set accountName: …" for the single-account keys, "set accounts[0].name: …" for the first entry.
  const field = (key: string) => key.replace(`${configKey("azure")}.`, "");
  if (parts.accountName !== primary.name)
    c.add(
      primary.keys.name,
      primary.name,
      `differs from the adopted account's name in azure.existingAccount (${parts.accountName})`,
      `set ${field(primary.keys.name)}: ${parts.accountName}`,
    );
  if (parts.resourceGroupName.toLowerCase() !== primary.resourceGroupName.toLowerCase())
    c.add(
      primary.keys.resourceGroupName,
      primary.resourceGroupName,
      `differs from the adopted account's resource group in azure.existingAccount (${parts.resourceGroupName})`,
      `set ${field(primary.keys.resourceGroupName)}: ${parts.resourceGroupName}`,
    );
  if (restoreSoftDeleted)
    c.add(
      configKey("azure", "restoreSoftDeleted"),
      true,
      "restores a deleted account the program would create, and azure.existingAccount adopts a live one",
      "remove restoreSoftDeleted",
    );
  return c.issues.length > before ? undefined : id;
}
