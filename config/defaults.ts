/**
 * The defaults of the optional stack config keys: one home, read by validation (config/validate.ts),
 * checked against README's configuration reference and applied in the tests. Defaults that follow from
 * other keys are rules, not values, and stay in validation: `desiredCapacity` = minSize, `maxSize` =
 * max(4, minSize), `eipPoolSize` = maxSize + headroom (aws/capacity.ts), `shard` and `accountHost` per
 * region (databricks/regions.ts).
 */
import type { AzureConfig, ModelDeploymentConfig, NetworkPolicyConfig, ProxyConfig } from "./types";

export const CONFIG_DEFAULTS = {
  azure: { existingResourceGroup: false, extraAllowedIps: [], restoreSoftDeleted: false },
  deployment: { versionUpgradeOption: "OnceCurrentVersionExpired" },
  proxy: {
    availabilityZones: 2,
    instanceType: "t3.small",
    minSize: 2,
    maxSize: 4,
    nlbDeletionProtection: true,
    maxInstanceLifetimeDays: 21,
  },
  networkPolicy: {
    enforcement: "ENFORCED",
    allowedInternetDestinations: [],
    publicAccess: "FULL_ACCESS",
    publicAccessAllowedIps: [],
  },
} as const satisfies {
  azure: Partial<AzureConfig>;
  deployment: Partial<ModelDeploymentConfig>;
  proxy: Partial<ProxyConfig>;
  networkPolicy: Partial<NetworkPolicyConfig>;
};

/**
 * `allKeys<T>()([...])`: the keys of a config block, each typed against its interface: tsc rejects a
 * key the interface lacks (as `satisfies` would) and a list that misses one of its keys.
 */
export function allKeys<T>() {
  return <const K extends readonly (keyof T & string)[]>(
    keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : ["missing key", Exclude<keyof T, K[number]>]),
  ): K => keys;
}
