/**
 * The Azure firewall's allow list as Azure stores it: bare addresses (no /32), numerically sorted,
 * de-duplicated, so the same pool always yields the same list and previews never flap. Pure.
 */
import { parseCidr } from "../net/ipv4";

export function toIpRules(addresses: readonly string[]): { value: string }[] {
  const keyed = new Map<string, number>();
  for (const address of addresses) {
    const cidr = parseCidr(address.trim());
    if (!cidr) throw new Error(`not an IPv4 address or CIDR for the Azure firewall: ${JSON.stringify(address)}`);
    const text =
      cidr.prefix === 32 ? address.trim().replace(/\/32$/, "") : `${address.trim().split("/")[0]}/${cidr.prefix}`;
    keyed.set(text, cidr.base * 64 + cidr.prefix);
  }
  return [...keyed.entries()].sort((a, b) => a[1] - b[1]).map(([value]) => ({ value }));
}
