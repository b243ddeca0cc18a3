/**
 * Validation of the stack config contract. Pure: takes the raw key → value map Pulumi holds
 * (structured values already parsed), returns one frozen, typed `StackConfig` or throws a
 * `ConfigError` listing every problem with its key, value and fix. This file holds the top-level
 * checks and the checks across blocks; each block has its own reader (config/azure.ts, proxy.ts,
 * databricks.ts, alerts.ts, names.ts, tags.ts), the key tables are in config/keys.ts and the
 * defaults in config/defaults.ts.
 */
import { readAlerts } from "./alerts";
import { readAzure } from "./azure";
import { checkDatabricksAuth } from "./databricksAuth";
import { readDatabricks } from "./databricks";
import { ConfigError, IssueCollector } from "./issues";
import { configKey, TOP_LEVEL_KEYS } from "./keys";
import { AZURE_MAX_IP_RULES } from "./limits";
import { readNamePrefix } from "./names";
import { AZURE_LOCATION } from "./patterns";
import { readProxy } from "./proxy";
import { readTags } from "./tags";
import { type AzureConfig, PROJECT, type ProxyConfig, type StackConfig } from "./types";

const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/**
 * Validates the raw config. `raw` maps full keys (`aws:region`, `dbx-aoai-link:proxy`, ...) to values;
 * `source` names where they came from for the error message (e.g. `Pulumi.dev.yaml`); `env` is the
 * environment the Databricks provider will also read credentials from.
 */
export function validateStackConfig(
  stack: string,
  raw: Readonly<Record<string, unknown>>,
  source = `Pulumi.${stack}.yaml`,
  env: Readonly<Record<string, string | undefined>> = {},
): StackConfig {
  const c = new IssueCollector();
  checkDatabricksAuth(c, raw, env);

  const ownKeys = Object.keys(raw)
    .filter((key) => key.startsWith(`${PROJECT}:`))
    .map((key) => key.slice(PROJECT.length + 1));
  c.unknownKeys(PROJECT, Object.fromEntries(ownKeys.map((key) => [key, raw[configKey(key)]])), TOP_LEVEL_KEYS);

  const awsRegion = c.string("aws:region", raw["aws:region"], {
    required: true,
    pattern: AWS_REGION,
    describe: "an AWS region such as us-east-1",
    fix: "run `pulumi config set aws:region <region>` with the region of your Databricks workspaces",
  });
  const azureLocation = c.string("azure-native:location", raw["azure-native:location"], {
    required: true,
    pattern: AZURE_LOCATION,
    describe: "an Azure region name such as eastus2",
    fix: "run `pulumi config set azure-native:location <region>` with an Azure OpenAI region",
  });

  const azure = readAzure(c, raw[configKey("azure")], azureLocation);
  const proxy = readProxy(c, raw[configKey("proxy")]);
  const databricks = readDatabricks(c, raw[configKey("databricks")], awsRegion, azure?.accounts);
  const alerts = readAlerts(c, raw[configKey("alerts")], awsRegion);
  const namePrefix = readNamePrefix(c, raw[configKey("namePrefix")]);
  const tags = readTags(c, raw[configKey("tags")]);
  checkAcrossBlocks(c, azure, proxy, tags);

  if (c.issues.length > 0 || !awsRegion || !azureLocation || !azure || !proxy || !databricks || !alerts || !tags) {
    throw new ConfigError(c.issues, source);
  }
  return deepFreeze({
    stack,
    awsRegion,
    azureLocation,
    azure,
    proxy,
    databricks,
    alerts,
    tags,
    ...(namePrefix ? { namePrefix } : {}),
  });
}

/** Rules that tie two blocks together, checked once both read cleanly. */
function checkAcrossBlocks(
  c: IssueCollector,
  azure: AzureConfig | undefined,
  proxy: ProxyConfig | undefined,
  tags: StackConfig["tags"] | undefined,
): void {
  if (tags && proxy && proxy.eipTagKey in tags) {
    c.add(
      configKey("tags", proxy.eipTagKey),
      tags[proxy.eipTagKey],
      "is the EIP pool's membership tag key (proxy.eipTagKey)",
      "choose another tag key",
    );
  }
  if (azure && proxy && proxy.eipPoolSize + azure.extraAllowedIps.length > AZURE_MAX_IP_RULES) {
    c.add(
      configKey("proxy", "eipPoolSize"),
      proxy.eipPoolSize,
      `the pool plus ${azure.extraAllowedIps.length} extraAllowedIps needs ${proxy.eipPoolSize + azure.extraAllowedIps.length} Azure IP rules, over Azure's limit of ${AZURE_MAX_IP_RULES}`,
      `keep eipPoolSize + the number of azure.extraAllowedIps ≤ ${AZURE_MAX_IP_RULES}`,
    );
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
