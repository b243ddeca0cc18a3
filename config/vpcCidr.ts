/** Reads `proxy.vpcCidr`: a private IPv4 range with room for a public and a private subnet per AZ. Pure. */
import { SMALLEST_SUBNET_PREFIX, subnetPrefixFor } from "../aws/subnetLayout";
import { formatIpv4, isPrivateRange, parseCidr } from "../net/ipv4";
import type { IssueCollector } from "./issues";
import { configKey } from "./keys";

/** AWS accepts VPC CIDRs from /16 to /28. */
const VPC_PREFIX = { largest: 16, smallest: 28 } as const;

export function readVpcCidr(
  c: IssueCollector,
  value: unknown,
  availabilityZones: number | undefined,
): string | undefined {
  const key = configKey("proxy", "vpcCidr");
  const text = c.string(key, value, { required: true, describe: "an IPv4 CIDR such as 10.42.0.0/16" });
  if (!text) return undefined;
  const cidr = parseCidr(text);
  if (!cidr || !text.includes("/")) {
    c.add(key, text, "is not an IPv4 CIDR", "write a private range such as 10.42.0.0/16");
    return undefined;
  }
  if (cidr.hostBitsSet) {
    c.add(key, text, "has host bits set", `write the network address ${formatIpv4(cidr.base)}/${cidr.prefix}`);
    return undefined;
  }
  if (cidr.prefix < VPC_PREFIX.largest || cidr.prefix > VPC_PREFIX.smallest) {
    c.add(
      key,
      text,
      `AWS VPCs are /${VPC_PREFIX.largest} to /${VPC_PREFIX.smallest}`,
      `choose a prefix between /${VPC_PREFIX.largest} and /24`,
    );
    return undefined;
  }
  if (!isPrivateRange(cidr)) {
    c.add(
      key,
      text,
      "is not a private range",
      "use a range inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10",
    );
    return undefined;
  }
  if (availabilityZones !== undefined && subnetPrefixFor(cidr.prefix, availabilityZones) > SMALLEST_SUBNET_PREFIX) {
    const largestPrefix = cidr.prefix - (subnetPrefixFor(cidr.prefix, availabilityZones) - SMALLEST_SUBNET_PREFIX);
    c.add(
      key,
      text,
      `has no room for two subnets (public and private) of at least /${SMALLEST_SUBNET_PREFIX} in each of ${availabilityZones} AZs`,
      `use a /${largestPrefix} or larger, or fewer availabilityZones`,
    );
    return undefined;
  }
  return text;
}
