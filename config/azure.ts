/**
 * Reads `dbx-aoai-link:azure`: the Azure OpenAI accounts (config/azureAccounts.ts: the single-account
 * keys or `accounts[]`), their resource groups and deployments, and what all accounts share. Pure.
 */
import { isDnsLabel } from "../net/dnsName";
import { readAzureAccounts } from "./azureAccounts";
import { readAzureAuth } from "./azureAuth";
import { CONFIG_DEFAULTS } from "./defaults";
import { readDeployments } from "./deployments";
import { readExistingAccount } from "./existingAccount";
import type { IssueCollector } from "./issues";
import { AZURE_KEYS, configKey } from "./keys";
import { AZURE_LOCATION } from "./patterns";
import { readPublicIps } from "./publicIps";
import type { AzureConfig } from "./types";

/** Custom subdomain: one lower-case DNS label of 2 characters or more (it becomes `<name>.openai.azure.com`). */
const SUBDOMAIN = { test: (name: string) => name.length >= 2 && isDnsLabel(name) };
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;

/** `azureLocation` (`azure-native:location`) is where accounts without their own `location` go. */
export function readAzure(
  c: IssueCollector,
  value: unknown,
  azureLocation: string | undefined,
): AzureConfig | undefined {
  const o = c.object(configKey("azure"), value, true);
  if (!o) return undefined;
  c.unknownKeys(configKey("azure"), o, AZURE_KEYS);
  const accounts = readAzureAccounts(c, o, azureLocation, {
    accountName: (key, v) =>
      c.string(key, v, {
        required: true,
        pattern: SUBDOMAIN,
        describe:
          "a valid custom subdomain (2-63 lower-case letters, digits and hyphens, starting and ending with a letter or digit)",
        fix: "choose a globally unique name such as contoso-aoai-dev; it becomes <accountName>.openai.azure.com",
      }),
    resourceGroupName: (key, v) =>
      c.string(key, v, {
        required: true,
        pattern: RESOURCE_GROUP,
        describe: "a resource group name (1-90 letters, digits, -_.() not ending in a period)",
      }),
    location: (key, v, fallback) =>
      v === undefined
        ? fallback
        : c.string(key, v, {
            pattern: AZURE_LOCATION,
            describe: "an Azure region name such as swedencentral",
            fix: "use an Azure OpenAI region, or remove it to use azure-native:location",
          }),
    existingResourceGroup: (key, v) => c.boolean(key, v, CONFIG_DEFAULTS.azure.existingResourceGroup),
    deployments: (key, v) => readDeployments(c, v, key),
  });
  const restoreSoftDeleted = c.boolean(
    configKey("azure", "restoreSoftDeleted"),
    o.restoreSoftDeleted,
    CONFIG_DEFAULTS.azure.restoreSoftDeleted,
  );
  const extraAllowedIps = readPublicIps(
    c,
    configKey("azure", "extraAllowedIps"),
    o.extraAllowedIps ?? CONFIG_DEFAULTS.azure.extraAllowedIps,
  );
  const auth = readAzureAuth(c, o.auth);
  if (!accounts || !extraAllowedIps || !auth) return undefined;
  // The first account on purpose: the single-account fields (and existingAccount) describe the primary.
  const primary = accounts[0];
  const before = c.issues.length;
  const existingAccount = readExistingAccount(c, o, primary, restoreSoftDeleted);
  if (c.issues.length > before) return undefined;
  return {
    resourceGroupName: primary.resourceGroupName,
    existingResourceGroup: primary.existingResourceGroup,
    accountName: primary.name,
    deployments: primary.deployments,
    extraAllowedIps,
    restoreSoftDeleted,
    auth,
    accounts,
    ...(existingAccount ? { existingAccount } : {}),
  };
}
