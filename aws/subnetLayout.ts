/**
 * How the VPC CIDR is carved: the lower half holds one public subnet per AZ (proxies), the upper
 * half one private subnet per AZ (NLB). Each half is split into the next power of two ≥ the AZ count,
 * so a given (CIDR, AZ count) always yields the same subnets. Pure.
 */
import { carveSubnets, formatCidr, parseCidr } from "../net/ipv4";

/** Smallest subnet we accept: an NLB needs 8 free addresses per subnet and AWS keeps 5. */
export const SMALLEST_SUBNET_PREFIX = 27;

/** Prefix length of each subnet for a VPC prefix and AZ count. */
export function subnetPrefixFor(vpcPrefix: number, availabilityZones: number): number {
  const slotsPerHalf = 2 ** Math.ceil(Math.log2(availabilityZones));
  return vpcPrefix + 1 + Math.log2(slotsPerHalf);
}

export interface SubnetLayout {
  /** Index i is the subnet in the i-th AZ. */
  readonly publicCidrs: readonly string[];
  readonly privateCidrs: readonly string[];
}

export function layoutSubnets(vpcCidr: string, availabilityZones: number): SubnetLayout {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) throw new Error(`not an IPv4 CIDR: ${vpcCidr}`);
  const prefix = subnetPrefixFor(vpc.prefix, availabilityZones);
  const [lower, upper] = carveSubnets(vpc, vpc.prefix + 1, 2);
  return {
    publicCidrs: carveSubnets(lower, prefix, availabilityZones).map(formatCidr),
    privateCidrs: carveSubnets(upper, prefix, availabilityZones).map(formatCidr),
  };
}
