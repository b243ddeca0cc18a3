/**
 * Reads the existing account preflight's facts at preview (answered by engine/inventedValues.ts
 * offline). A failed read becomes a fact (`readError`), so the check names the key instead of the
 * provider failing the run with its own message.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import type { StackConfig } from "../config/types";
import {
  EXISTING_ACCOUNT_PREFLIGHT,
  type ExistingAccountFacts,
  type ExistingDeployment,
  type ReadAccount,
} from "./existingAccount";
import { AZURE_ARM_API_VERSION } from "./azureModels";

/**
 * `armBaseUrl` lets tests answer the deployments list from 127.0.0.1; without a Resource Manager token
 * (offline) the list is not read.
 */
export function readExistingAccountFacts(
  config: StackConfig,
  id: string,
  options: { readonly armBaseUrl?: string; readonly invoke?: pulumi.InvokeOutputOptions } = {},
): pulumi.Output<ExistingAccountFacts> {
  const { azure } = config;
  const opts = options.invoke;
  // azure.existingAccount adopts the primary (the first account) only, by design (config/existingAccount.ts).
  const primary = azure.accounts[0];
  const token = authorization.getClientTokenOutput({}, opts);
  return pulumi
    .all([authorization.getClientConfigOutput(opts), token])
    .apply(async ([client, t]): Promise<ExistingAccountFacts> => {
      const base = {
        id,
        accountName: primary.name,
        location: primary.location,
        locationKey: primary.keys.location,
        auth: azure.auth,
        subscriptionId: client.subscriptionId,
        stack: config.stack,
        deploymentsKey: primary.keys.deployments,
        deploymentNames: primary.deployments.map((d) => d.name),
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
      const existingDeployments = t.token ? await listDeployments(id, t.token, options.armBaseUrl) : undefined;
      return { ...base, account, ...(existingDeployments ? { existingDeployments } : {}) };
    });
}

/**
 * The account's deployments (ARM GET `{id}/deployments`). Undefined when they cannot be read: a
 * warning says why, and the clash check is skipped (Deployment create would still name the clash).
 */
async function listDeployments(
  id: string,
  token: string,
  armBaseUrl = "https://management.azure.com",
): Promise<ExistingDeployment[] | undefined> {
  const url = `${armBaseUrl.replace(/\/+$/, "")}${id}/deployments?api-version=${AZURE_ARM_API_VERSION}`;
  try {
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${url} answered HTTP ${response.status}: ${text.slice(0, 300)}`);
    const value = (JSON.parse(text) as { value?: { name?: string; tags?: Record<string, string> }[] }).value ?? [];
    return value.map((d) => ({ name: String(d.name ?? ""), tags: d.tags ?? {} }));
  } catch (error) {
    void pulumi.log.warn(
      `Preflight "${EXISTING_ACCOUNT_PREFLIGHT.name}": the adopted account's deployments were not read, so a name clash is not checked: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}
