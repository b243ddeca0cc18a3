/**
 * AZ choice by zone id (pure). Zone *names* map to different physical zones in each account; zone *ids*
 * (use1-az1, …) do not, and not every instance type is offered in every zone. The proxies' zones are
 * the first `proxy.availabilityZones` of the region's regular zones in name order that offer
 * `proxy.instanceType`, or exactly `proxy.availabilityZoneIds` when pinned. When the type is offered
 * everywhere this is the choice the program always made (the first N names), so existing stacks keep
 * their subnets, NLB and endpoint service. Subnets still receive zone *names* (mapped back from the
 * ids): their `availabilityZone` input is ForceNew, and switching it to `availabilityZoneId` would be a
 * change of input, i.e. a replacement, on every existing stack.
 */
import { PROJECT } from "../config/types";
import { AVAILABILITY_ZONE_IDS_KEY } from "../config/availabilityZoneIds";
import type { PreflightDescriptor, PreflightProblem } from "./check";
import type { Zone } from "../aws/network";

export const AVAILABILITY_ZONES_KEY = `${PROJECT}:proxy.availabilityZones`;

export const AVAILABILITY_ZONES_PREFLIGHT: PreflightDescriptor = {
  name: "AZ offerings",
  configKey: AVAILABILITY_ZONES_KEY,
  reads: [
    {
      invoke: "aws:index/getAvailabilityZones:getAvailabilityZones",
      permission: "ec2:DescribeAvailabilityZones",
      what: "the region's regular (not opt-in) zones, names and ids",
    },
    {
      invoke: "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings",
      permission: "ec2:DescribeInstanceTypeOfferings",
      what: "the zone ids that offer proxy.instanceType",
    },
  ],
};

export interface ZoneFacts {
  readonly region: string;
  readonly instanceType: string;
  /** proxy.availabilityZones */
  readonly wanted: number;
  /** proxy.availabilityZoneIds, when pinned. */
  readonly pinnedIds?: readonly string[];
  /** The region's available regular zones (getAvailabilityZones: names[i] has zoneIds[i]). */
  readonly zones: readonly Zone[];
  /** Zone ids where the instance type is offered. */
  readonly offeredIds: readonly string[];
}

const byName = (zones: readonly Zone[]) => [...zones].sort((a, b) => a.name.localeCompare(b.name));
const ids = (zones: readonly Zone[]) => zones.map((z) => z.id).join(", ");

/** Zones in name order that offer the instance type. */
export function offeringZones(facts: ZoneFacts): Zone[] {
  const offered = new Set(facts.offeredIds);
  return byName(facts.zones).filter((z) => offered.has(z.id));
}

export function checkZones(facts: ZoneFacts): PreflightProblem[] {
  if (facts.pinnedIds) {
    const known = new Set(facts.zones.map((z) => z.id));
    const unknown = facts.pinnedIds.filter((id) => !known.has(id));
    return unknown.length === 0
      ? []
      : [
          {
            key: AVAILABILITY_ZONE_IDS_KEY,
            value: facts.pinnedIds,
            problem: `${unknown.join(", ")} ${unknown.length === 1 ? "is not a" : "are not"} regular zone id${unknown.length === 1 ? "" : "s"} of ${facts.region} (it has ${ids(byName(facts.zones))})`,
            fix: `list ids of ${facts.region} (aws ec2 describe-availability-zones --region ${facts.region}), or remove the key to choose by offering`,
          },
        ];
  }
  const offering = offeringZones(facts);
  if (offering.length >= facts.wanted) return [];
  const missing = byName(facts.zones).filter((z) => !offering.includes(z));
  return [
    {
      key: AVAILABILITY_ZONES_KEY,
      value: facts.wanted,
      problem:
        facts.zones.length < facts.wanted
          ? `${facts.region} has only ${facts.zones.length} regular availability zones`
          : `only ${offering.length} of ${facts.region}'s ${facts.zones.length} zones offer proxy.instanceType ${facts.instanceType} (${ids(offering) || "none"}; not offered in ${ids(missing)})`,
      fix:
        facts.zones.length < facts.wanted
          ? `set it to ${facts.zones.length} or fewer, or pick another aws:region`
          : `set it to ${offering.length} or fewer, or choose an instance type offered in more zones (aws ec2 describe-instance-type-offerings --location-type availability-zone-id --filters Name=instance-type,Values=${facts.instanceType} --region ${facts.region})`,
    },
  ];
}

/** The chosen zones, subnet index i in zone i (after checkZones passed). */
export function chooseZones(facts: ZoneFacts): Zone[] {
  if (facts.pinnedIds) return facts.pinnedIds.map((id) => facts.zones.find((z) => z.id === id)!);
  return offeringZones(facts).slice(0, facts.wanted);
}

/** Pinned zones that do not offer the instance type: the group cannot launch there (a warning, as the pin is deliberate). */
export function zoneWarnings(facts: ZoneFacts): string[] {
  if (!facts.pinnedIds) return [];
  const offered = new Set(facts.offeredIds);
  const bare = facts.pinnedIds.filter((id) => !offered.has(id));
  return bare.length === 0
    ? []
    : [
        `${AVAILABILITY_ZONE_IDS_KEY}: ${facts.instanceType} is not offered in ${bare.join(", ")}; the group launches proxies only in the other zones (the subnets there still serve the NLB)`,
      ];
}
