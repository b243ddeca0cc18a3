/**
 * `proxy.availabilityZoneIds`: pins the proxies' zones by zone id (use1-az1, …), in subnet order,
 * instead of the first `availabilityZones` zones offering the instance type. `availabilityZones`
 * follows the list's length. Pure.
 */
import type { IssueCollector } from "./issues";
import { PROJECT } from "./types";

export const AVAILABILITY_ZONE_IDS_KEY = `${PROJECT}:proxy.availabilityZoneIds`;
/** Regular AZ ids: a region code and a zone number (Local Zone ids such as use1-bos1-az1 are excluded). */
const ZONE_ID = /^[a-z]+\d+-az\d+$/;

/** undefined when absent or invalid (problems go to the collector). */
export function readAvailabilityZoneIds(
  c: IssueCollector,
  value: unknown,
  bounds: { min: number; max: number },
): readonly string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = c.array(AVAILABILITY_ZONE_IDS_KEY, value);
  if (!list) return undefined;
  const before = c.issues.length;
  list.forEach((entry, i) => {
    if (typeof entry !== "string" || !ZONE_ID.test(entry))
      c.add(
        `${AVAILABILITY_ZONE_IDS_KEY}[${i}]`,
        entry,
        "is not an availability zone id",
        "write ids such as use1-az1 (aws ec2 describe-availability-zones shows ZoneId next to ZoneName); the plan lists the ids in use",
      );
    else if (list.indexOf(entry) !== i)
      c.add(`${AVAILABILITY_ZONE_IDS_KEY}[${i}]`, entry, "is listed twice", "list each zone once");
  });
  if (list.length < bounds.min || list.length > bounds.max)
    c.add(
      AVAILABILITY_ZONE_IDS_KEY,
      list,
      `lists ${list.length} zones`,
      `list ${bounds.min} to ${bounds.max} zone ids (PrivateLink for Databricks needs at least two)`,
    );
  return c.issues.length > before ? undefined : (list as string[]);
}

/** With ids pinned, `availabilityZones` (when also set) must agree with their count. */
export function checkZoneCount(
  c: IssueCollector,
  ids: readonly string[] | undefined,
  configured: unknown,
  key: string,
): void {
  if (ids && configured !== undefined && configured !== null && Number(configured) !== ids.length)
    c.add(
      key,
      configured,
      `disagrees with proxy.availabilityZoneIds, which lists ${ids.length} zones`,
      `remove availabilityZones (it follows the list) or set it to ${ids.length}`,
    );
}
