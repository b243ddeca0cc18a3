/**
 * Plan section: the proxies' availability zones by zone id (the ids are the same physical zones in
 * every account; names are not), as the network component chose them (preflight/availabilityZones.ts).
 */
import type { Plan } from "../run";
import type { Zone } from "../../aws/network";

const NETWORK = "dbx-aoai-link:aws:ProxyNetwork";

/** The chosen zones, subnet index i in zone i; empty when the plan has no proxy network. */
export function chosenZones(plan: Pick<Plan, "recorded">): Zone[] {
  const network = plan.recorded.find((r) => r.type === NETWORK);
  return ((network?.outputs.availabilityZones ?? []) as Zone[]).map(({ id, name }) => ({ id, name }));
}

export function availabilityZonesSection(plan: Plan): string {
  const zones = chosenZones(plan);
  if (zones.length === 0) return "";
  const { proxy } = plan.config;
  const how = proxy.availabilityZoneIds
    ? "pinned by proxy.availabilityZoneIds"
    : `the first ${proxy.availabilityZones} in name order of the regular zones offering ${proxy.instanceType}; pin them with proxy.availabilityZoneIds`;
  return [
    `Availability zones (by zone id: ${how})`,
    ...zones.map((z, i) => `  ${z.id.padEnd(12)} ${z.name.padEnd(16)} subnets public-${i}, private-${i}`),
  ].join("\n");
}
