/**
 * Reads `databricks.networkPolicy`: egress (enforcement, allowed internet destinations) and ingress
 * (publicAccess) of the account network policy. GovCloud policies take no ingress (databricks/regions.ts). Pure.
 */
import { isDnsName } from "../net/dnsName";
import { CONFIG_DEFAULTS } from "./defaults";
import type { IssueCollector } from "./issues";
import { configKey, NETWORK_POLICY_KEYS } from "./keys";
import { readPublicIps } from "./publicIps";
import type { NetworkPolicyConfig } from "./types";

const PUBLIC_ACCESS_MODES = ["FULL_ACCESS", "RESTRICTED_ACCESS"] as const;

const policyKey = (field?: keyof NetworkPolicyConfig) =>
  configKey("databricks", field ? `networkPolicy.${field}` : "networkPolicy");

export function readNetworkPolicy(
  c: IssueCollector,
  value: unknown,
  ingressAllowed: boolean,
): NetworkPolicyConfig | undefined {
  const o = c.object(policyKey(), value ?? {}, false);
  if (!o) return undefined;
  c.unknownKeys(policyKey(), o, NETWORK_POLICY_KEYS);
  const enforcement = c.string(policyKey("enforcement"), o.enforcement, {
    default: CONFIG_DEFAULTS.networkPolicy.enforcement,
  });
  if (enforcement !== "ENFORCED" && enforcement !== "DRY_RUN") {
    c.add(
      policyKey("enforcement"),
      o.enforcement,
      "must be ENFORCED or DRY_RUN",
      "use DRY_RUN to log would-be denials first, then ENFORCED",
    );
    return undefined;
  }
  const destKey = policyKey("allowedInternetDestinations");
  const list = c.array(
    destKey,
    o.allowedInternetDestinations ?? CONFIG_DEFAULTS.networkPolicy.allowedInternetDestinations,
  );
  if (!list) return undefined;
  const bad = list.filter((d) => typeof d !== "string" || !isDnsName(d));
  for (const d of bad)
    c.add(destKey, d, "is not a DNS name", "list fully qualified names such as pypi.org (no scheme, path or wildcard)");
  if (bad.length > 0) return undefined;
  const allowAzureOpenAiFqdn = c.boolean(
    policyKey("allowAzureOpenAiFqdn"),
    o.allowAzureOpenAiFqdn,
    CONFIG_DEFAULTS.networkPolicy.allowAzureOpenAiFqdn,
  );
  const ingress = readIngress(c, o, ingressAllowed);
  if (!ingress) return undefined;
  return { enforcement, allowedInternetDestinations: [...new Set(list as string[])], allowAzureOpenAiFqdn, ...ingress };
}

/** `ingress.publicAccess` of the network policy. */
function readIngress(
  c: IssueCollector,
  o: Record<string, unknown>,
  ingressAllowed: boolean,
): Pick<NetworkPolicyConfig, "publicAccess" | "publicAccessAllowedIps"> | undefined {
  const modeKey = policyKey("publicAccess");
  const ipsKey = policyKey("publicAccessAllowedIps");
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
  const ips = readPublicIps(
    c,
    ipsKey,
    o.publicAccessAllowedIps ?? CONFIG_DEFAULTS.networkPolicy.publicAccessAllowedIps,
  );
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
