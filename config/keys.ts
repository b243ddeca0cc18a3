/**
 * The key tables: every key a config block accepts, each list typed against its interface in
 * config/types.ts, so a key list cannot drift from the types. Unknown keys are reported against these.
 */
import type {
  AlertsConfig,
  InferenceTableConfig,
  RateLimitConfig,
  ServingRateLimits,
  AzureAccountConfig,
  AzureConfig,
  DatabricksConfig,
  ModelDeploymentConfig,
  NetworkPolicyConfig,
  ProxyConfig,
  ServingEndpointConfig,
  StackConfig,
} from "./types";
import { PROJECT } from "./types";

/** Full key of a block or one of its fields: `dbx-aoai-link:proxy`, `dbx-aoai-link:proxy.maxSize`. */
export const configKey = (block: string, field?: string): string => `${PROJECT}:${block}${field ? `.${field}` : ""}`;

/**
 * `allKeys<T>()([...])`: the keys of a config block, each typed against its interface: tsc rejects a
 * key the interface lacks (as `satisfies (keyof T)[]` would) and, beyond `satisfies`, a list that
 * misses one of its keys.
 */
export function allKeys<T>() {
  return <const K extends readonly (keyof T & string)[]>(
    keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : ["missing key", Exclude<keyof T, K[number]>]),
  ): K => keys;
}

/** Our own top-level keys (`aws:region` and `azure-native:location` belong to the providers). */
export const TOP_LEVEL_KEYS = allKeys<Omit<StackConfig, "stack" | "awsRegion" | "azureLocation">>()([
  "azure",
  "proxy",
  "databricks",
  "alerts",
  "namePrefix",
  "tags",
]);
export const AZURE_KEYS = allKeys<AzureConfig>()([
  "resourceGroupName",
  "existingResourceGroup",
  "accountName",
  "deployments",
  "extraAllowedIps",
  "restoreSoftDeleted",
  "auth",
  "accounts",
  "existingAccount",
]);
export const AZURE_ACCOUNT_KEYS = allKeys<Omit<AzureAccountConfig, "keys">>()([
  "name",
  "location",
  "resourceGroupName",
  "existingResourceGroup",
  "deployments",
]);
export const DEPLOYMENT_KEYS = allKeys<ModelDeploymentConfig>()([
  "name",
  "model",
  "version",
  "sku",
  "capacity",
  "versionUpgradeOption",
]);
export const PROXY_KEYS = allKeys<ProxyConfig>()([
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
  "launchHookHeartbeatSeconds",
  "launchHookName",
  "availabilityZoneIds",
  "existingVpc",
]);
export const DATABRICKS_KEYS = allKeys<DatabricksConfig>()([
  "accountId",
  "workspaceIds",
  "shard",
  "accountHost",
  "networkPolicy",
  "servingEndpoint",
  "existingNccId",
  "existingNetworkPolicyId",
]);
export const NETWORK_POLICY_KEYS = allKeys<NetworkPolicyConfig>()([
  "enforcement",
  "allowedInternetDestinations",
  "allowAzureOpenAiFqdn",
  "publicAccess",
  "publicAccessAllowedIps",
]);
export const SERVING_ENDPOINT_KEYS = allKeys<ServingEndpointConfig>()([
  "workspaceUrl",
  "name",
  "deployment",
  "assignPrincipal",
  "account",
  "queryGroups",
  "rateLimits",
  "usageTracking",
  "inferenceTable",
]);
export const ASSIGN_PRINCIPAL_KEYS = allKeys<NonNullable<ServingEndpointConfig["assignPrincipal"]>>()([
  "principalId",
  "workspaceId",
]);
export const ALERTS_KEYS = allKeys<AlertsConfig>()(["emails", "topicArn"]);
export const RATE_LIMITS_KEYS = allKeys<ServingRateLimits>()(["user", "endpoint"]);
export const RATE_LIMIT_KEYS = allKeys<RateLimitConfig>()(["tokensPerMinute", "callsPerMinute"]);
export const INFERENCE_TABLE_KEYS = allKeys<InferenceTableConfig>()(["catalog", "schema", "tableNamePrefix"]);
