/** Reads `dbx-aoai-link:proxy`: the HAProxy fleet's network, size and EIP pool. Pure. */
import { poolHeadroom } from "../aws/capacity";
import { CONFIG_DEFAULTS } from "./defaults";
import type { IssueCollector } from "./issues";
import { configKey, PROXY_KEYS } from "./keys";
import { AZURE_MAX_IP_RULES, MAX_AZS, MIN_AZS } from "./limits";
import type { ProxyConfig } from "./types";
import { readVpcCidr } from "./vpcCidr";
import { readLaunchHookHeartbeat, readLaunchHookName } from "./launchHook";
import { checkZoneCount, readAvailabilityZoneIds } from "./availabilityZoneIds";
import { readExistingVpc } from "./existingVpc";

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
/** AWS accepts a maximum instance lifetime of 1 to 365 days (or none). */
const MAX_LIFETIME_DAYS = 365;

export function readProxy(c: IssueCollector, value: unknown): ProxyConfig | undefined {
  const key = (field: keyof ProxyConfig) => configKey("proxy", field);
  const o = c.object(configKey("proxy"), value, true);
  if (!o) return undefined;
  c.unknownKeys(configKey("proxy"), o, PROXY_KEYS);
  // With an existing VPC its subnets decide the AZs, and no CIDR is ours to choose.
  const existingVpc = readExistingVpc(c, o);
  const adopting = o.existingVpc !== undefined && o.existingVpc !== null;
  const availabilityZoneIds = readAvailabilityZoneIds(c, o.availabilityZoneIds, { min: MIN_AZS, max: MAX_AZS });
  checkZoneCount(c, availabilityZoneIds, o.availabilityZones, key("availabilityZones"));
  const availabilityZones = adopting
    ? existingVpc.value?.publicSubnetIds.length
    : c.integer(key("availabilityZones"), o.availabilityZones, {
        default: availabilityZoneIds?.length ?? CONFIG_DEFAULTS.proxy.availabilityZones,
        min: MIN_AZS,
        max: MAX_AZS,
        fix: `choose ${MIN_AZS} to ${MAX_AZS} AZs (PrivateLink for Databricks needs at least two)`,
      });
  const vpcCidr = adopting ? undefined : readVpcCidr(c, o.vpcCidr, availabilityZones);
  const instanceType = c.string(key("instanceType"), o.instanceType, {
    default: CONFIG_DEFAULTS.proxy.instanceType,
    pattern: INSTANCE_TYPE,
    describe: "an EC2 instance type such as t3.small",
  });
  const minSize = c.integer(key("minSize"), o.minSize, { default: CONFIG_DEFAULTS.proxy.minSize, min: 0 });
  const maxSize = c.integer(key("maxSize"), o.maxSize, {
    default: Math.max(CONFIG_DEFAULTS.proxy.maxSize, minSize ?? 0),
    min: 1,
  });
  const desiredCapacity = c.integer(key("desiredCapacity"), o.desiredCapacity, { default: minSize, min: 0 });
  if (
    minSize !== undefined &&
    desiredCapacity !== undefined &&
    maxSize !== undefined &&
    !(minSize <= desiredCapacity && desiredCapacity <= maxSize)
  ) {
    c.add(
      key("desiredCapacity"),
      o.desiredCapacity ?? desiredCapacity,
      `must lie between minSize (${minSize}) and maxSize (${maxSize})`,
      "set minSize ≤ desiredCapacity ≤ maxSize",
    );
  }
  const headroom = poolHeadroom(maxSize ?? 1);
  const needed = (maxSize ?? 0) + headroom;
  const eipPoolSize = c.integer(key("eipPoolSize"), o.eipPoolSize, {
    default: needed,
    min: 1,
    max: AZURE_MAX_IP_RULES,
  });
  if (eipPoolSize !== undefined && maxSize !== undefined && eipPoolSize < needed) {
    c.add(
      key("eipPoolSize"),
      eipPoolSize,
      `is below maxSize (${maxSize}) + ${headroom} spare for rolling replacement and AZ rebalancing: launches beyond the pool are aborted`,
      `set eipPoolSize to at least ${needed}, or lower maxSize`,
    );
  }
  const eipTagKey = c.string(key("eipTagKey"), o.eipTagKey, {
    required: true,
    pattern: TAG_KEY,
    describe: "an AWS tag key (1-128 letters, digits, spaces, _ . : / = + - @)",
    fix: "choose a tag key unique to this stack in its AWS account and region, e.g. dbx-aoai-link-dev-eip",
  });
  if (eipTagKey && eipTagKey.toLowerCase().startsWith("aws:")) {
    c.add(key("eipTagKey"), eipTagKey, "uses the reserved aws: prefix", "choose a key without the aws: prefix");
  }
  const nlbDeletionProtection = c.boolean(
    key("nlbDeletionProtection"),
    o.nlbDeletionProtection,
    CONFIG_DEFAULTS.proxy.nlbDeletionProtection,
  );
  // 0 here means no lifetime limit.
  const maxInstanceLifetimeDays = c.integer(key("maxInstanceLifetimeDays"), o.maxInstanceLifetimeDays, {
    default: CONFIG_DEFAULTS.proxy.maxInstanceLifetimeDays,
    min: 0,
    max: MAX_LIFETIME_DAYS,
    fix: `choose 1 to ${MAX_LIFETIME_DAYS} days (proxies are replaced onto the current image at that age), or 0 to keep them until something else replaces them`,
  });
  const launchHookHeartbeatSeconds = readLaunchHookHeartbeat(
    c,
    o.launchHookHeartbeatSeconds,
    CONFIG_DEFAULTS.proxy.launchHookHeartbeatSeconds,
  );
  const launchHookName = readLaunchHookName(c, o.launchHookName, CONFIG_DEFAULTS.proxy.launchHookName);
  if (
    (adopting ? !existingVpc.valid : !vpcCidr) ||
    !availabilityZones ||
    !instanceType ||
    minSize === undefined ||
    maxSize === undefined ||
    desiredCapacity === undefined ||
    !eipPoolSize ||
    !eipTagKey ||
    maxInstanceLifetimeDays === undefined ||
    launchHookHeartbeatSeconds === undefined ||
    !launchHookName
  )
    return undefined;
  return {
    ...(vpcCidr ? { vpcCidr } : {}),
    ...(existingVpc.value ? { existingVpc: existingVpc.value } : {}),
    availabilityZones,
    instanceType,
    minSize,
    desiredCapacity,
    maxSize,
    eipPoolSize,
    eipTagKey,
    nlbDeletionProtection,
    maxInstanceLifetimeDays,
    launchHookHeartbeatSeconds,
    launchHookName,
    ...(availabilityZoneIds ? { availabilityZoneIds } : {}),
  };
}
