/** Lists of public IPv4 addresses/CIDRs (azure.extraAllowedIps, networkPolicy.publicAccessAllowedIps). Pure. */
import { formatIpv4, nonPublicRangeOf, parseCidr } from "../net/ipv4";
import type { IssueCollector } from "./issues";

/** Public IPv4 addresses/CIDRs, written as Azure accepts them (no /31, no /32); `[]` when unset. */
export function readPublicIps(c: IssueCollector, key: string, value: unknown): string[] | undefined {
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
