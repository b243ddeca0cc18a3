/** IPv4 address and CIDR arithmetic, pure, for config validation and subnet layout. */

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Parses dotted-quad notation; undefined when it is not a plain IPv4 address. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** Parses "a.b.c.d/n" (or a bare address, as /32). Undefined when malformed. */
export function parseCidr(text: string): (Ipv4Cidr & { hostBitsSet: boolean }) | undefined {
  const [addr, prefixText, ...rest] = text.split("/");
  if (rest.length > 0) return undefined;
  const ip = parseIpv4(addr);
  if (ip === undefined) return undefined;
  if (prefixText !== undefined && !/^(3[0-2]|[12]?\d)$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  const size = 2 ** (32 - prefix);
  const base = ip - (ip % size);
  return { base, prefix, hostBitsSet: base !== ip };
}

export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4(cidr.base)}/${cidr.prefix}`;
}

/** True when every address of `inner` lies in `outer`. */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  if (inner.prefix < outer.prefix) return false;
  const size = 2 ** (32 - outer.prefix);
  return inner.base - (inner.base % size) === outer.base;
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** Splits `parent` into `count` equal, consecutive subnets of `prefix` bits. */
export function carveSubnets(parent: Ipv4Cidr, prefix: number, count: number): Ipv4Cidr[] {
  const size = 2 ** (32 - prefix);
  if (prefix < parent.prefix || count * size > 2 ** (32 - parent.prefix)) {
    throw new Error(`${count} subnets of /${prefix} do not fit in ${formatCidr(parent)}`);
  }
  return Array.from({ length: count }, (_, i) => ({ base: parent.base + i * size, prefix }));
}

/**
 * Ranges that are not routable public unicast on the internet (RFC 6890 and friends). Azure rejects
 * or never sees traffic from them, so they have no place in the Azure firewall's allow list.
 */
export const NON_PUBLIC_RANGES: readonly { cidr: string; what: string }[] = [
  { cidr: "0.0.0.0/8", what: '"this network"' },
  { cidr: "10.0.0.0/8", what: "private (RFC 1918)" },
  { cidr: "100.64.0.0/10", what: "carrier-grade NAT (RFC 6598)" },
  { cidr: "127.0.0.0/8", what: "loopback" },
  { cidr: "169.254.0.0/16", what: "link-local" },
  { cidr: "172.16.0.0/12", what: "private (RFC 1918)" },
  { cidr: "192.0.0.0/24", what: "IETF protocol assignments" },
  { cidr: "192.168.0.0/16", what: "private (RFC 1918)" },
  { cidr: "198.18.0.0/15", what: "benchmarking (RFC 2544)" },
  { cidr: "224.0.0.0/4", what: "multicast" },
  { cidr: "240.0.0.0/4", what: "reserved" },
];

/** The non-public range a CIDR touches, if any. */
export function nonPublicRangeOf(cidr: Ipv4Cidr): string | undefined {
  for (const r of NON_PUBLIC_RANGES) {
    if (cidrsOverlap(parseCidr(r.cidr)!, cidr)) return `${r.cidr} (${r.what})`;
  }
  return undefined;
}

/** Where a VPC CIDR belongs: RFC 1918, and the shared address space (RFC 6598) AWS also allows. */
export const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"] as const;

export function isPrivateRange(cidr: Ipv4Cidr): boolean {
  return PRIVATE_RANGES.some((r) => cidrContains(parseCidr(r)!, cidr));
}
