/**
 * Reads the existing account preflight's facts at preview (answered by engine/inventedValues.ts
 * offline). A failed read becomes a fact (`readError`), so the check names the key instead of the
 * provider failing the run with its own message.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import type { StackConfig } from "../config/types";
import type { ExistingAccountFacts, ReadAccount } from "./existingAccount";

export function readExistingAccountFacts(
  config: StackConfig,
  id: string,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<ExistingAccountFacts> {
  const { azure } = config;
  // azure.existingAccount adopts the primary (the first account) only, by design (config/existingAccount.ts).
  const primary = azure.accounts[0];
  return authorization.getClientConfigOutput(opts).apply(async (client): Promise<ExistingAccountFacts> => {
    const base = {
      id,
      accountName: primary.name,
      location: primary.location,
      locationKey: primary.keys.location,
      auth: azure.auth,
      subscriptionId: client.subscriptionId,
    };
    let read: cognitiveservices.GetAccountResult;
    try {
      read = await cognitiveservices.getAccount(
        { resourceGroupName: primary.resourceGroupName, accountName: primary.name },
        { ...opts },
      );
    } catch (error) {
      return { ...base, readError: error instanceof Error ? error.message.split("\n")[0] : String(error) };
    }
    const acls = read.properties.networkAcls;
    const account: ReadAccount = {
      kind: read.kind ?? "",
      location: read.location ?? "",
      customSubDomainName: read.properties.customSubDomainName,
      publicNetworkAccess: read.properties.publicNetworkAccess,
      defaultAction: acls?.defaultAction,
      disableLocalAuth: read.properties.disableLocalAuth === true,
      ipRules: (acls?.ipRules ?? []).map((r) => r.value),
      virtualNetworkRules: (acls?.virtualNetworkRules ?? []).map((r) => ({
        id: r.id,
        ...(r.ignoreMissingVnetServiceEndpoint === undefined
          ? {}
          : { ignoreMissingVnetServiceEndpoint: r.ignoreMissingVnetServiceEndpoint }),
      })),
      bypass: acls?.bypass ?? "None",
      tags: read.tags ?? {},
      skuName: read.sku?.name ?? "S0",
    };
    return { ...base, account };
  });
}
