/** Reads `dbx-aoai-link:azure`: the Azure OpenAI account, its resource group and deployments. Pure. */
import { isDnsLabel } from "../net/dnsName";
import { readAzureAuth } from "./azureAuth";
import { CONFIG_DEFAULTS } from "./defaults";
import { readDeployments } from "./deployments";
import type { IssueCollector } from "./issues";
import { AZURE_KEYS, configKey } from "./keys";
import { readPublicIps } from "./publicIps";
import type { AzureConfig } from "./types";

/** Custom subdomain: one lower-case DNS label of 2 characters or more (it becomes `<name>.openai.azure.com`). */
const SUBDOMAIN = { test: (name: string) => name.length >= 2 && isDnsLabel(name) };
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;

export function readAzure(c: IssueCollector, value: unknown): AzureConfig | undefined {
  const o = c.object(configKey("azure"), value, true);
  if (!o) return undefined;
  c.unknownKeys(configKey("azure"), o, AZURE_KEYS);
  const resourceGroupName = c.string(configKey("azure", "resourceGroupName"), o.resourceGroupName, {
    required: true,
    pattern: RESOURCE_GROUP,
    describe: "a resource group name (1-90 letters, digits, -_.() not ending in a period)",
  });
  const accountName = c.string(configKey("azure", "accountName"), o.accountName, {
    required: true,
    pattern: SUBDOMAIN,
    describe:
      "a valid custom subdomain (2-63 lower-case letters, digits and hyphens, starting and ending with a letter or digit)",
    fix: "choose a globally unique name such as contoso-aoai-dev; it becomes <accountName>.openai.azure.com",
  });
  const existingResourceGroup = c.boolean(
    configKey("azure", "existingResourceGroup"),
    o.existingResourceGroup,
    CONFIG_DEFAULTS.azure.existingResourceGroup,
  );
  const restoreSoftDeleted = c.boolean(
    configKey("azure", "restoreSoftDeleted"),
    o.restoreSoftDeleted,
    CONFIG_DEFAULTS.azure.restoreSoftDeleted,
  );
  const deployments = readDeployments(c, o.deployments);
  const extraAllowedIps = readPublicIps(
    c,
    configKey("azure", "extraAllowedIps"),
    o.extraAllowedIps ?? CONFIG_DEFAULTS.azure.extraAllowedIps,
  );
  const auth = readAzureAuth(c, o.auth);
  if (!resourceGroupName || !accountName || !deployments || !extraAllowedIps || !auth) return undefined;
  return {
    resourceGroupName,
    existingResourceGroup,
    accountName,
    deployments,
    extraAllowedIps,
    restoreSoftDeleted,
    auth,
  };
}
