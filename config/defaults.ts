/**
 * The defaults of the optional stack config keys: one home, read by the block readers in config/,
 * checked against README's configuration reference and applied in the tests. Defaults that follow from
 * other keys are rules, not values, and stay in the readers: `desiredCapacity` = minSize, `maxSize` =
 * max(4, minSize), `eipPoolSize` = maxSize + headroom (aws/capacity.ts), `shard` and `accountHost` per
 * region (databricks/regions.ts).
 */
import { LIFECYCLE_HEARTBEAT_SECONDS } from "../aws/constants";
import { INITIAL_LAUNCH_HOOK } from "../aws/launchHook";
import { FQDN_ALLOW_DECISION } from "../databricks/fqdnDecision";
import type {
  AzureConfig,
  ModelDeploymentConfig,
  NetworkPolicyConfig,
  ProxyConfig,
  ServingEndpointConfig,
} from "./types";

export const CONFIG_DEFAULTS = {
  // auth `key`: what every stack had before `entra` existed, so existing stacks see no change.
  azure: { existingResourceGroup: false, extraAllowedIps: [], restoreSoftDeleted: false, auth: "key" },
  deployment: { versionUpgradeOption: "OnceCurrentVersionExpired" },
  proxy: {
    availabilityZones: 2,
    instanceType: "t3.small",
    minSize: 2,
    maxSize: 4,
    nlbDeletionProtection: true,
    // Proxies resolve the current AL2023 image only at launch: three weeks bounds how old a running image gets.
    maxInstanceLifetimeDays: 21,
    launchHookHeartbeatSeconds: LIFECYCLE_HEARTBEAT_SECONDS,
    // The group's initial hook is created with this name; the standalone hook adopts it by name.
    launchHookName: INITIAL_LAUNCH_HOOK.name,
  },
  networkPolicy: {
    enforcement: "ENFORCED",
    allowedInternetDestinations: [],
    // Pending a real verify run (databricks/fqdnDecision.ts).
    allowAzureOpenAiFqdn: FQDN_ALLOW_DECISION.default,
    publicAccess: "FULL_ACCESS",
    publicAccessAllowedIps: [],
  },
  servingEndpoint: { usageTracking: true },
} as const satisfies {
  azure: Partial<AzureConfig>;
  deployment: Partial<ModelDeploymentConfig>;
  proxy: Partial<ProxyConfig>;
  networkPolicy: Partial<NetworkPolicyConfig>;
  servingEndpoint: Partial<ServingEndpointConfig>;
};
