/**
 * Validation of the stack config contract. Pure: takes the raw key → value map Pulumi holds
 * (structured values already parsed), returns one frozen, typed `StackConfig` or throws a
 * `ConfigError` listing every problem with its key, value and fix.
 */
import { ConfigError, IssueCollector, quoteFix } from "./issues";
import { isPrivateRange, nonPublicRangeOf, parseCidr, formatIpv4 } from "../net/ipv4";
import { isDnsLabel, isDnsName } from "../net/dnsName";
import {
  type AzureConfig,
  type DatabricksConfig,
  type ModelDeploymentConfig,
  type NetworkPolicyConfig,
  PROJECT,
  type ProxyConfig,
  type ServingEndpointConfig,
  type StackConfig,
} from "./types";
import { readAlerts } from "./alerts";
import { allKeys, CONFIG_DEFAULTS } from "./defaults";
import { SMALLEST_SUBNET_PREFIX, subnetPrefixFor } from "../aws/subnetLayout";
import { poolHeadroom } from "../aws/capacity";
import { checkDatabricksAuth } from "./databricksAuth";
import { readNamePrefix } from "./names";
import { readAzureAuth } from "./azureAuth";
import { readExistingDatabricks } from "./existingDatabricks";
import { readTags } from "./tags";
import { FQDN_ALLOW_DECISION } from "../databricks/fqdnDecision";
import { type DatabricksShard, databricksRegionFacts, defaultShardFor, knownRegions } from "../databricks/regions";

/** Azure's limit on IP rules per Cognitive Services account. */
export const AZURE_MAX_IP_RULES = 100;
export const MIN_AZS = 2;
/** Proxies resolve the current AL2023 image only at launch: three weeks bounds how old a running image gets. */
export const DEFAULT_MAX_INSTANCE_LIFETIME_DAYS = CONFIG_DEFAULTS.proxy.maxInstanceLifetimeDays;
export const MAX_AZS = 6;

export const DEPLOYMENT_SKUS = [
  "Standard",
  "GlobalStandard",
  "DataZoneStandard",
  "ProvisionedManaged",
  "GlobalProvisionedManaged",
  "DataZoneProvisionedManaged",
  "GlobalBatch",
  "DataZoneBatch",
  "DeveloperTier",
] as const;

const TOP_LEVEL_KEYS = allKeys<Omit<StackConfig, "stack" | "awsRegion" | "azureLocation">>()([
  "azure",
  "proxy",
  "databricks",
  "alerts",
  "namePrefix",
  "tags",
]);
const AZURE_KEYS = allKeys<AzureConfig>()([
  "resourceGroupName",
  "existingResourceGroup",
  "accountName",
  "deployments",
  "extraAllowedIps",
  "restoreSoftDeleted",
  "auth",
]);
const DEPLOYMENT_KEYS = allKeys<ModelDeploymentConfig>()([
  "name",
  "model",
  "version",
  "sku",
  "capacity",
  "versionUpgradeOption",
]);
export const VERSION_UPGRADE_OPTIONS = [
  "OnceCurrentVersionExpired",
  "OnceNewDefaultVersionAvailable",
  "NoAutoUpgrade",
] as const;
const PUBLIC_ACCESS_MODES = ["FULL_ACCESS", "RESTRICTED_ACCESS"] as const;
const PROXY_KEYS = allKeys<ProxyConfig>()([
  "vpcCidr",
  "availabilityZones",
  "instanceType",
  "minSize",
  "desiredCapacity",
  "maxSize",
  "eipPoolSize",
  "eipTagKey",
  "nlbDeletionProtection",
  "maxInstanceLifetimeDays",
]);
const DATABRICKS_KEYS = allKeys<DatabricksConfig>()([
  "accountId",
  "workspaceIds",
  "shard",
  "accountHost",
  "networkPolicy",
  "servingEndpoint",
  "existingNccId",
  "existingNetworkPolicyId",
]);
const POLICY_KEYS = allKeys<NetworkPolicyConfig>()([
  "enforcement",
  "allowedInternetDestinations",
  "allowAzureOpenAiFqdn",
  "publicAccess",
  "publicAccessAllowedIps",
]);
const SERVING_KEYS = allKeys<ServingEndpointConfig>()(["workspaceUrl", "name", "deployment", "assignPrincipal"]);
const SHARDS: readonly DatabricksShard[] = ["commercial", "govcloud", "govcloud-dod"];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Custom subdomain: one lower-case DNS label of 2 characters or more (it becomes `<name>.openai.azure.com`). */
const SUBDOMAIN = { test: (name: string) => name.length >= 2 && isDnsLabel(name) };
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;
const DEPLOYMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const AZURE_LOCATION = /^[a-z][a-z0-9]+$/;
const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const SERVING_ENDPOINT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

const k = (block: string, field?: string) => `${PROJECT}:${block}${field ? `.${field}` : ""}`;

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
  c.unknownKeys(PROJECT, Object.fromEntries(ownKeys.map((key) => [key, raw[`${PROJECT}:${key}`]])), TOP_LEVEL_KEYS);

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

  const azure = readAzure(c, raw[k("azure")]);
  const proxy = readProxy(c, raw[k("proxy")]);
  const databricks = readDatabricks(c, raw[k("databricks")], awsRegion, azure?.deployments);
  const alerts = readAlerts(c, raw[k("alerts")], awsRegion);
  const namePrefix = readNamePrefix(c, raw[k("namePrefix")]);
  const tags = readTags(c, raw[k("tags")]);
  if (tags && proxy && proxy.eipTagKey in tags) {
    c.add(
      k("tags", proxy.eipTagKey),
      tags[proxy.eipTagKey],
      "is the EIP pool's membership tag key (proxy.eipTagKey)",
      "choose another tag key",
    );
  }

  if (azure && proxy && proxy.eipPoolSize + azure.extraAllowedIps.length > AZURE_MAX_IP_RULES) {
    c.add(
      k("proxy", "eipPoolSize"),
      proxy.eipPoolSize,
      `the pool plus ${azure.extraAllowedIps.length} extraAllowedIps needs ${proxy.eipPoolSize + azure.extraAllowedIps.length} Azure IP rules, over Azure's limit of ${AZURE_MAX_IP_RULES}`,
      `keep eipPoolSize + the number of azure.extraAllowedIps ≤ ${AZURE_MAX_IP_RULES}`,
    );
  }

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

function readAzure(c: IssueCollector, value: unknown): AzureConfig | undefined {
  const o = c.object(k("azure"), value, true);
  if (!o) return undefined;
  c.unknownKeys(k("azure"), o, AZURE_KEYS);
  const resourceGroupName = c.string(k("azure", "resourceGroupName"), o.resourceGroupName, {
    required: true,
    pattern: RESOURCE_GROUP,
    describe: "a resource group name (1-90 letters, digits, -_.() not ending in a period)",
  });
  const accountName = c.string(k("azure", "accountName"), o.accountName, {
    required: true,
    pattern: SUBDOMAIN,
    describe:
      "a valid custom subdomain (2-63 lower-case letters, digits and hyphens, starting and ending with a letter or digit)",
    fix: "choose a globally unique name such as contoso-aoai-dev; it becomes <accountName>.openai.azure.com",
  });
  const existingResourceGroup = c.boolean(
    k("azure", "existingResourceGroup"),
    o.existingResourceGroup,
    CONFIG_DEFAULTS.azure.existingResourceGroup,
  );
  const restoreSoftDeleted = c.boolean(
    k("azure", "restoreSoftDeleted"),
    o.restoreSoftDeleted,
    CONFIG_DEFAULTS.azure.restoreSoftDeleted,
  );
  const deployments = readDeployments(c, o.deployments);
  const extraAllowedIps = readPublicIps(c, k("azure", "extraAllowedIps"), o.extraAllowedIps);
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

function readDeployments(c: IssueCollector, value: unknown): ModelDeploymentConfig[] | undefined {
  const key = k("azure", "deployments");
  const list = c.array(key, value, { required: true });
  if (!list) return undefined;
  if (list.length === 0) {
    c.add(key, list, "needs at least one model deployment", "add an entry with name, model, version, sku and capacity");
    return undefined;
  }
  const result: ModelDeploymentConfig[] = [];
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    const at = `${key}[${i}]`;
    const o = c.object(at, entry, true);
    if (!o) return;
    c.unknownKeys(at, o, DEPLOYMENT_KEYS);
    const name = c.string(`${at}.name`, o.name, {
      required: true,
      pattern: DEPLOYMENT_NAME,
      describe: "a deployment name (2-64 letters, digits, . _ -)",
    });
    const model = c.string(`${at}.model`, o.model, { required: true, describe: "a model name such as gpt-4o-mini" });
    const version = c.string(`${at}.version`, o.version, {
      required: true,
      describe: 'a model version string such as "2024-07-18"',
      fix: 'quote the version, e.g. version: "2024-07-18"',
    });
    const sku = c.string(`${at}.sku`, o.sku, {
      required: true,
      describe: "a deployment SKU",
      fix: `use one of ${DEPLOYMENT_SKUS.join(", ")}`,
    });
    if (sku && !(DEPLOYMENT_SKUS as readonly string[]).includes(sku)) {
      c.add(`${at}.sku`, sku, "is not a known deployment SKU", `use one of ${DEPLOYMENT_SKUS.join(", ")}`);
    }
    const capacity = c.integer(`${at}.capacity`, o.capacity, {
      min: 1,
      fix: "set a positive capacity in thousands of tokens per minute",
    });
    const versionUpgradeOption = c.string(`${at}.versionUpgradeOption`, o.versionUpgradeOption, {
      default: CONFIG_DEFAULTS.deployment.versionUpgradeOption,
    });
    if (versionUpgradeOption && !(VERSION_UPGRADE_OPTIONS as readonly string[]).includes(versionUpgradeOption)) {
      c.add(
        `${at}.versionUpgradeOption`,
        versionUpgradeOption,
        "is not an Azure version upgrade option",
        `use one of ${VERSION_UPGRADE_OPTIONS.join(", ")} (NoAutoUpgrade deployments stop answering when the version retires)`,
      );
    }
    if (name && seen.has(name)) {
      c.add(
        `${at}.name`,
        name,
        "duplicates an earlier deployment name (names appear in API URLs and must be unique)",
        "give each deployment its own name",
      );
    }
    if (name) seen.add(name);
    if (
      name &&
      model &&
      version &&
      sku &&
      capacity &&
      versionUpgradeOption &&
      (VERSION_UPGRADE_OPTIONS as readonly string[]).includes(versionUpgradeOption)
    ) {
      result.push({
        name,
        model,
        version,
        sku,
        capacity,
        versionUpgradeOption: versionUpgradeOption as ModelDeploymentConfig["versionUpgradeOption"],
      });
    }
  });
  return result.length === list.length ? result : undefined;
}

/** Public IPv4 addresses/CIDRs, written as Azure accepts them (no /31, no /32). */
function readPublicIps(c: IssueCollector, key: string, value: unknown): string[] | undefined {
  const list = c.array(key, value);
  if (!list) return undefined;
  const result: string[] = [];
  list.forEach((entry, i) => {
    const at = `${key}[${i}]`;
    if (typeof entry !== "string") {
      c.add(at, entry, "must be an IPv4 address or CIDR string", 'quote it, e.g. "198.51.100.7"');
      return;
    }
    const cidr = parseCidr(entry);
    if (!cidr) {
      c.add(
        at,
        entry,
        "is not an IPv4 address or CIDR (Azure IP rules are IPv4 only)",
        "write an address such as 198.51.100.7 or a range such as 198.51.100.0/24",
      );
      return;
    }
    const address = formatIpv4(cidr.base);
    if (cidr.prefix === 32 && entry.includes("/")) {
      c.add(at, entry, "Azure does not accept /32 ranges", `write the single address ${address}`);
    } else if (cidr.prefix === 31) {
      c.add(
        at,
        entry,
        "Azure does not accept /31 ranges",
        `write the two addresses ${address} and ${formatIpv4(cidr.base + 1)}`,
      );
    } else if (cidr.hostBitsSet) {
      c.add(at, entry, "has host bits set", `write the network address ${address}/${cidr.prefix}`);
    } else {
      const reserved = nonPublicRangeOf(cidr);
      if (reserved) {
        c.add(
          at,
          entry,
          `lies in ${reserved}, not a public address Azure could see`,
          "list only public IPv4 addresses of your operators",
        );
      } else {
        result.push(cidr.prefix === 32 ? address : `${address}/${cidr.prefix}`);
      }
    }
  });
  return result.length === list.length ? result : undefined;
}

function readProxy(c: IssueCollector, value: unknown): ProxyConfig | undefined {
  const o = c.object(k("proxy"), value, true);
  if (!o) return undefined;
  c.unknownKeys(k("proxy"), o, PROXY_KEYS);
  const availabilityZones = c.integer(k("proxy", "availabilityZones"), o.availabilityZones, {
    default: CONFIG_DEFAULTS.proxy.availabilityZones,
    min: MIN_AZS,
    max: MAX_AZS,
    fix: `choose ${MIN_AZS} to ${MAX_AZS} AZs (PrivateLink for Databricks needs at least two)`,
  });
  const vpcCidr = readVpcCidr(c, o.vpcCidr, availabilityZones);
  const instanceType = c.string(k("proxy", "instanceType"), o.instanceType, {
    default: CONFIG_DEFAULTS.proxy.instanceType,
    pattern: INSTANCE_TYPE,
    describe: "an EC2 instance type such as t3.small",
  });
  const minSize = c.integer(k("proxy", "minSize"), o.minSize, { default: CONFIG_DEFAULTS.proxy.minSize, min: 0 });
  const maxSize = c.integer(k("proxy", "maxSize"), o.maxSize, {
    default: Math.max(CONFIG_DEFAULTS.proxy.maxSize, minSize ?? 0),
    min: 1,
  });
  const desiredCapacity = c.integer(k("proxy", "desiredCapacity"), o.desiredCapacity, { default: minSize, min: 0 });
  if (
    minSize !== undefined &&
    desiredCapacity !== undefined &&
    maxSize !== undefined &&
    !(minSize <= desiredCapacity && desiredCapacity <= maxSize)
  ) {
    c.add(
      k("proxy", "desiredCapacity"),
      o.desiredCapacity ?? desiredCapacity,
      `must lie between minSize (${minSize}) and maxSize (${maxSize})`,
      "set minSize ≤ desiredCapacity ≤ maxSize",
    );
  }
  const headroom = poolHeadroom(maxSize ?? 1);
  const needed = (maxSize ?? 0) + headroom;
  const eipPoolSize = c.integer(k("proxy", "eipPoolSize"), o.eipPoolSize, {
    default: needed,
    min: 1,
    max: AZURE_MAX_IP_RULES,
  });
  if (eipPoolSize !== undefined && maxSize !== undefined && eipPoolSize < needed) {
    c.add(
      k("proxy", "eipPoolSize"),
      eipPoolSize,
      `is below maxSize (${maxSize}) + ${headroom} spare for rolling replacement and AZ rebalancing: launches beyond the pool are aborted`,
      `set eipPoolSize to at least ${needed}, or lower maxSize`,
    );
  }
  const eipTagKey = c.string(k("proxy", "eipTagKey"), o.eipTagKey, {
    required: true,
    pattern: TAG_KEY,
    describe: "an AWS tag key (1-128 letters, digits, spaces, _ . : / = + - @)",
    fix: "choose a tag key unique to this stack in its AWS account and region, e.g. dbx-aoai-link-dev-eip",
  });
  if (eipTagKey && eipTagKey.toLowerCase().startsWith("aws:")) {
    c.add(k("proxy", "eipTagKey"), eipTagKey, "uses the reserved aws: prefix", "choose a key without the aws: prefix");
  }
  const nlbDeletionProtection = c.boolean(
    k("proxy", "nlbDeletionProtection"),
    o.nlbDeletionProtection,
    CONFIG_DEFAULTS.proxy.nlbDeletionProtection,
  );
  // AWS accepts 1 to 365 days (or none); 0 here means no lifetime limit.
  const maxInstanceLifetimeDays = c.integer(k("proxy", "maxInstanceLifetimeDays"), o.maxInstanceLifetimeDays, {
    default: DEFAULT_MAX_INSTANCE_LIFETIME_DAYS,
    min: 0,
    max: 365,
    fix: "choose 1 to 365 days (proxies are replaced onto the current image at that age), or 0 to keep them until something else replaces them",
  });
  if (
    !vpcCidr ||
    !availabilityZones ||
    !instanceType ||
    minSize === undefined ||
    maxSize === undefined ||
    desiredCapacity === undefined ||
    !eipPoolSize ||
    !eipTagKey ||
    maxInstanceLifetimeDays === undefined
  )
    return undefined;
  return {
    vpcCidr,
    availabilityZones,
    instanceType,
    minSize,
    desiredCapacity,
    maxSize,
    eipPoolSize,
    eipTagKey,
    nlbDeletionProtection,
    maxInstanceLifetimeDays,
  };
}

function readVpcCidr(c: IssueCollector, value: unknown, availabilityZones: number | undefined): string | undefined {
  const key = k("proxy", "vpcCidr");
  const text = c.string(key, value, { required: true, describe: "an IPv4 CIDR such as 10.42.0.0/16" });
  if (!text) return undefined;
  const cidr = parseCidr(text);
  if (!cidr || !text.includes("/")) {
    c.add(key, text, "is not an IPv4 CIDR", "write a private range such as 10.42.0.0/16");
    return undefined;
  }
  if (cidr.hostBitsSet) {
    c.add(key, text, "has host bits set", `write the network address ${formatIpv4(cidr.base)}/${cidr.prefix}`);
    return undefined;
  }
  if (cidr.prefix < 16 || cidr.prefix > 28) {
    c.add(key, text, "AWS VPCs are /16 to /28", "choose a prefix between /16 and /24");
    return undefined;
  }
  if (!isPrivateRange(cidr)) {
    c.add(
      key,
      text,
      "is not a private range",
      "use a range inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10",
    );
    return undefined;
  }
  if (availabilityZones !== undefined && subnetPrefixFor(cidr.prefix, availabilityZones) > SMALLEST_SUBNET_PREFIX) {
    const largestPrefix = cidr.prefix - (subnetPrefixFor(cidr.prefix, availabilityZones) - SMALLEST_SUBNET_PREFIX);
    c.add(
      key,
      text,
      `has no room for two subnets (public and private) of at least /${SMALLEST_SUBNET_PREFIX} in each of ${availabilityZones} AZs`,
      `use a /${largestPrefix} or larger, or fewer availabilityZones`,
    );
    return undefined;
  }
  return text;
}

function readDatabricks(
  c: IssueCollector,
  value: unknown,
  awsRegion: string | undefined,
  deployments: readonly ModelDeploymentConfig[] | undefined,
): DatabricksConfig | undefined {
  const o = c.object(k("databricks"), value, true);
  if (!o) return undefined;
  c.unknownKeys(k("databricks"), o, DATABRICKS_KEYS);
  const accountId = c.string(k("databricks", "accountId"), o.accountId, {
    required: true,
    pattern: UUID,
    describe: "a Databricks account id (a UUID)",
    fix: "copy the account id from the account console (top right menu), e.g. 0d26daa6-5e44-4c97-a497-ef015f91254a",
  });
  const workspaceIds = readWorkspaceIds(c, o.workspaceIds);

  const shardValue = c.string(k("databricks", "shard"), o.shard, {
    default: awsRegion ? defaultShardFor(awsRegion) : "commercial",
  });
  let shard: DatabricksShard | undefined;
  if (shardValue && !(SHARDS as readonly string[]).includes(shardValue)) {
    c.add(k("databricks", "shard"), shardValue, "is not a known Databricks shard", `use one of ${SHARDS.join(", ")}`);
  } else {
    shard = shardValue as DatabricksShard;
  }
  const facts = awsRegion && shard ? databricksRegionFacts(awsRegion, shard) : undefined;
  if (awsRegion && shard && !facts) {
    c.add(
      "aws:region",
      awsRegion,
      `is not a region where the Databricks serverless principal is known for the ${shard} shard`,
      `use one of ${knownRegions(shard).join(", ")}, or add the region to databricks/regions.ts`,
    );
  }
  const accountHost = c.string(k("databricks", "accountHost"), o.accountHost, {
    default: facts?.accountHost,
    pattern: /^https:\/\/[a-z0-9.-]+$/i,
    describe: "an https URL without a path",
  });
  const networkPolicy = readNetworkPolicy(c, o.networkPolicy, facts?.networkPolicyIngress ?? true);
  const servingEndpoint = readServingEndpoint(c, o.servingEndpoint, deployments, workspaceIds);
  const existing = readExistingDatabricks(c, o);
  if (!accountId || !workspaceIds || !shard || !accountHost || !networkPolicy || servingEndpoint === null || !existing)
    return undefined;
  return {
    accountId,
    workspaceIds,
    shard,
    accountHost,
    networkPolicy,
    ...(servingEndpoint ? { servingEndpoint } : {}),
    ...existing,
  };
}

function readWorkspaceIds(c: IssueCollector, value: unknown): string[] | undefined {
  const key = k("databricks", "workspaceIds");
  const list = c.array(key, value, { required: true });
  if (!list) return undefined;
  if (list.length === 0) {
    c.add(
      key,
      list,
      "needs at least one workspace id",
      "list the numeric ids of the workspaces to attach, as quoted strings",
    );
    return undefined;
  }
  const ids: string[] = [];
  list.forEach((id, i) => {
    if (typeof id === "number") {
      c.add(
        `${key}[${i}]`,
        id,
        "must be a quoted string (ids above 2^53 lose digits as YAML numbers)",
        quoteFix(`${key}[${i}]`, id),
      );
    } else if (typeof id !== "string" || !/^\d{1,19}$/.test(id)) {
      c.add(
        `${key}[${i}]`,
        id,
        "is not a numeric workspace id",
        'copy the number after /o= in the workspace URL, e.g. "1234567890123456"',
      );
    } else if (ids.includes(id)) {
      c.add(`${key}[${i}]`, id, "is listed twice", "list each workspace once");
    } else {
      ids.push(id);
    }
  });
  return ids.length === list.length ? ids : undefined;
}

function readNetworkPolicy(
  c: IssueCollector,
  value: unknown,
  ingressAllowed: boolean,
): NetworkPolicyConfig | undefined {
  const o = c.object(k("databricks", "networkPolicy"), value ?? {}, false);
  if (!o) return undefined;
  c.unknownKeys(k("databricks", "networkPolicy"), o, POLICY_KEYS);
  const enforcement = c.string(k("databricks", "networkPolicy.enforcement"), o.enforcement, {
    default: CONFIG_DEFAULTS.networkPolicy.enforcement,
  });
  if (enforcement !== "ENFORCED" && enforcement !== "DRY_RUN") {
    c.add(
      k("databricks", "networkPolicy.enforcement"),
      o.enforcement,
      "must be ENFORCED or DRY_RUN",
      "use DRY_RUN to log would-be denials first, then ENFORCED",
    );
    return undefined;
  }
  const destKey = k("databricks", "networkPolicy.allowedInternetDestinations");
  const list = c.array(destKey, o.allowedInternetDestinations);
  if (!list) return undefined;
  const bad = list.filter((d) => typeof d !== "string" || !isDnsName(d));
  for (const d of bad)
    c.add(destKey, d, "is not a DNS name", "list fully qualified names such as pypi.org (no scheme, path or wildcard)");
  if (bad.length > 0) return undefined;
  // Default pending a real verify run (databricks/fqdnDecision.ts).
  const allowAzureOpenAiFqdn = c.boolean(
    k("databricks", "networkPolicy.allowAzureOpenAiFqdn"),
    o.allowAzureOpenAiFqdn,
    FQDN_ALLOW_DECISION.default,
  );
  const ingress = readIngress(c, o, ingressAllowed);
  if (!ingress) return undefined;
  return { enforcement, allowedInternetDestinations: [...new Set(list as string[])], allowAzureOpenAiFqdn, ...ingress };
}

/** `ingress.publicAccess` of the network policy; GovCloud policies take no ingress (databricks/regions.ts). */
function readIngress(
  c: IssueCollector,
  o: Record<string, unknown>,
  ingressAllowed: boolean,
): Pick<NetworkPolicyConfig, "publicAccess" | "publicAccessAllowedIps"> | undefined {
  const modeKey = k("databricks", "networkPolicy.publicAccess");
  const ipsKey = k("databricks", "networkPolicy.publicAccessAllowedIps");
  if (!ingressAllowed) {
    for (const [key, v] of [
      [modeKey, o.publicAccess],
      [ipsKey, o.publicAccessAllowedIps],
    ] as const) {
      if (v !== undefined)
        c.add(
          key,
          v,
          "network policies in GovCloud take no ingress settings here, so it would be ignored",
          "remove it",
        );
    }
  }
  const publicAccess = c.string(modeKey, o.publicAccess, { default: CONFIG_DEFAULTS.networkPolicy.publicAccess });
  if (publicAccess && !(PUBLIC_ACCESS_MODES as readonly string[]).includes(publicAccess)) {
    c.add(modeKey, publicAccess, "is not an ingress restriction mode", `use ${PUBLIC_ACCESS_MODES.join(" or ")}`);
    return undefined;
  }
  const ips = readPublicIps(c, ipsKey, o.publicAccessAllowedIps);
  if (!publicAccess || !ips) return undefined;
  if (publicAccess === "RESTRICTED_ACCESS" && ips.length === 0) {
    c.add(
      ipsKey,
      o.publicAccessAllowedIps,
      "is empty while publicAccess is RESTRICTED_ACCESS: nobody could reach the workspaces over the internet",
      "list the public addresses of your users and automation, or keep publicAccess FULL_ACCESS",
    );
    return undefined;
  }
  if (publicAccess === "FULL_ACCESS" && ips.length > 0) {
    c.add(
      ipsKey,
      ips,
      "is only used with publicAccess RESTRICTED_ACCESS",
      "set publicAccess: RESTRICTED_ACCESS or remove the list",
    );
    return undefined;
  }
  return { publicAccess: publicAccess as NetworkPolicyConfig["publicAccess"], publicAccessAllowedIps: ips };
}

/** undefined: not configured (fine); null: configured but invalid. */
function readServingEndpoint(
  c: IssueCollector,
  value: unknown,
  deployments: readonly ModelDeploymentConfig[] | undefined,
  workspaceIds: readonly string[] | undefined,
): ServingEndpointConfig | undefined | null {
  if (value === undefined || value === null) return undefined;
  const key = k("databricks", "servingEndpoint");
  const o = c.object(key, value, true);
  if (!o) return null;
  c.unknownKeys(key, o, SERVING_KEYS);
  const workspaceUrl = c.string(`${key}.workspaceUrl`, o.workspaceUrl, {
    required: true,
    pattern: /^https:\/\/[a-z0-9.-]+\/?$/i,
    describe: "the workspace URL (https://<host>, no path)",
    fix: "copy the workspace URL, e.g. https://dbc-1234abcd-5678.cloud.databricks.com",
  });
  const name = c.string(`${key}.name`, o.name, {
    required: true,
    pattern: SERVING_ENDPOINT_NAME,
    describe: "a serving endpoint name (letters, digits, - and _, at most 63)",
  });
  const deployment = c.string(`${key}.deployment`, o.deployment, {
    required: true,
    describe: "the name of one of azure.deployments",
  });
  if (deployment && deployments && !deployments.some((d) => d.name === deployment)) {
    c.add(
      `${key}.deployment`,
      deployment,
      "names no entry of azure.deployments",
      `use one of ${deployments.map((d) => d.name).join(", ")}`,
    );
    return null;
  }
  const assign = readAssignPrincipal(c, `${key}.assignPrincipal`, o.assignPrincipal, workspaceIds);
  if (!workspaceUrl || !name || !deployment || assign === null) return null;
  return {
    workspaceUrl: workspaceUrl.replace(/\/$/, ""),
    name,
    deployment,
    ...(assign ? { assignPrincipal: assign } : {}),
  };
}

/** undefined: not asked for; null: invalid. */
function readAssignPrincipal(
  c: IssueCollector,
  key: string,
  value: unknown,
  workspaceIds: readonly string[] | undefined,
): { principalId: string; workspaceId: string } | undefined | null {
  if (value === undefined || value === null) return undefined;
  const o = c.object(key, value, true);
  if (!o) return null;
  c.unknownKeys(key, o, ["principalId", "workspaceId"]);
  const principalId = c.string(`${key}.principalId`, o.principalId, {
    required: true,
    pattern: /^\d{1,19}$/,
    describe: "the service principal's numeric account-level id",
    fix: "copy the id from the account console (User management → Service principals → the principal), as a quoted string",
  });
  const workspaceId = c.string(`${key}.workspaceId`, o.workspaceId, {
    required: true,
    describe: "the serving workspace's numeric id",
  });
  if (workspaceId && workspaceIds && !workspaceIds.includes(workspaceId)) {
    c.add(
      `${key}.workspaceId`,
      workspaceId,
      "is not one of databricks.workspaceIds",
      `use the serving workspace's id, one of ${workspaceIds.join(", ")}`,
    );
    return null;
  }
  return principalId && workspaceId ? { principalId, workspaceId } : null;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
