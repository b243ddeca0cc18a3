/**
 * Preflight: the subnets of `proxy.existingVpc` can carry the proxy tier. Read at preview (invokes),
 * judged here. Pure.
 *
 * - every id exists, and every subnet is in the VPC;
 * - one public and one private subnet per AZ, in the same AZs, at least two: the internal NLB only
 *   sends to targets in AZs it has a subnet in, and the endpoint service needs two AZs;
 * - each public subnet's route table sends 0.0.0.0/0 to an internet gateway (a proxy's only way out is
 *   its pool EIP, which needs that route; a NAT route would hide the EIP behind the NAT's address);
 * - the subnets lie in the VPC's primary CIDR, which the proxies' security group and HAProxy's metrics
 *   ACL admit (the NLB's health checks come from its private subnets);
 * - the VPC resolves DNS (HAProxy resolves the Azure OpenAI name through the VPC resolver).
 */
import type { PreflightDescriptor, PreflightProblem } from "./check";
import { EXISTING_VPC_KEY, MIN_EXISTING_AZS, type ExistingVpcConfig } from "../config/existingVpc";
import { cidrContains, parseCidr } from "../net/ipv4";
import type { VpcPlacement } from "../aws/network";

export const EXISTING_VPC_PREFLIGHT: PreflightDescriptor = {
  name: "existing VPC",
  configKey: EXISTING_VPC_KEY,
  reads: [
    { invoke: "aws:ec2/getVpcs:getVpcs", permission: "ec2:DescribeVpcs", what: "whether the VPC exists" },
    {
      invoke: "aws:ec2/getVpc:getVpc",
      permission: "ec2:DescribeVpcs",
      what: "its CIDR, DNS support, main route table",
    },
    { invoke: "aws:ec2/getSubnets:getSubnets", permission: "ec2:DescribeSubnets", what: "which subnet ids exist" },
    { invoke: "aws:ec2/getSubnet:getSubnet", permission: "ec2:DescribeSubnets", what: "each subnet's VPC, AZ, CIDR" },
    {
      invoke: "aws:ec2/getRouteTables:getRouteTables",
      permission: "ec2:DescribeRouteTables",
      what: "the route table of each public subnet",
    },
    {
      invoke: "aws:ec2/getRouteTable:getRouteTable",
      permission: "ec2:DescribeRouteTables",
      what: "its default route (internet gateway or not)",
    },
  ],
};

export interface ExistingSubnet {
  readonly id: string;
  readonly vpcId: string;
  readonly availabilityZone: string;
  readonly availabilityZoneId: string;
  readonly cidrBlock: string;
}

export interface ExistingVpcFacts {
  readonly config: ExistingVpcConfig;
  /** Absent when no VPC has that id in the region. */
  readonly vpc?: { readonly cidrBlock: string; readonly arn: string; readonly enableDnsSupport: boolean };
  /** The configured subnets that exist (by id); a missing id is not here. */
  readonly subnets: readonly ExistingSubnet[];
  /** Per public subnet id: where its route table sends 0.0.0.0/0 (`igw-…`, `nat-…`, …), absent when nowhere. */
  readonly publicDefaultRoutes: Readonly<Record<string, string | undefined>>;
}

const PUBLIC = "publicSubnetIds";
const PRIVATE = "privateSubnetIds";

export function checkExistingVpc(facts: ExistingVpcFacts): PreflightProblem[] {
  const { config } = facts;
  const problems: PreflightProblem[] = [];
  const add = (field: string, value: unknown, problem: string, fix: string) =>
    problems.push({ key: `${EXISTING_VPC_KEY}.${field}`, value, problem, fix });

  if (!facts.vpc) {
    add(
      "vpcId",
      config.vpcId,
      "no VPC with this id exists in the stack's aws:region (or the deploying identity cannot see it)",
      "copy the id of a VPC in aws:region (aws ec2 describe-vpcs), or remove proxy.existingVpc to let the program create one",
    );
    return problems;
  }
  if (!facts.vpc.enableDnsSupport) {
    add(
      "vpcId",
      config.vpcId,
      "has DNS resolution turned off; HAProxy resolves the Azure OpenAI name through the VPC resolver",
      `turn it on (aws ec2 modify-vpc-attribute --vpc-id ${config.vpcId} --enable-dns-support)`,
    );
  }
  const vpcCidr = parseCidr(facts.vpc.cidrBlock);
  const byId = new Map(facts.subnets.map((s) => [s.id, s]));

  const zonesOf = (field: typeof PUBLIC | typeof PRIVATE): Map<string, string> => {
    const zones = new Map<string, string>();
    for (const id of config[field]) {
      const subnet = byId.get(id);
      if (!subnet) {
        add(field, id, "no subnet with this id exists in the stack's aws:region", `list subnets of ${config.vpcId}`);
        continue;
      }
      if (subnet.vpcId !== config.vpcId) {
        add(
          field,
          id,
          `is in ${subnet.vpcId}, not in ${config.vpcId}`,
          `list subnets of ${config.vpcId} only (aws ec2 describe-subnets --filters Name=vpc-id,Values=${config.vpcId})`,
        );
        continue;
      }
      const other = zones.get(subnet.availabilityZone);
      if (other) {
        add(
          field,
          id,
          `is in ${subnet.availabilityZone}, like ${other}: one subnet per AZ`,
          `keep one of ${other} and ${id}, and list a subnet of another AZ`,
        );
        continue;
      }
      const cidr = parseCidr(subnet.cidrBlock);
      if (vpcCidr && cidr && !cidrContains(vpcCidr, cidr)) {
        add(
          field,
          id,
          `its CIDR ${subnet.cidrBlock} is outside the VPC's primary CIDR ${facts.vpc?.cidrBlock}, which the proxies' security group and HAProxy admit`,
          `list subnets inside ${facts.vpc?.cidrBlock}`,
        );
      }
      zones.set(subnet.availabilityZone, id);
    }
    return zones;
  };
  const publicZones = zonesOf(PUBLIC);
  const privateZones = zonesOf(PRIVATE);

  for (const id of config[PUBLIC]) {
    const subnet = byId.get(id);
    if (!subnet || subnet.vpcId !== config.vpcId) continue;
    const target = facts.publicDefaultRoutes[id];
    if (!target?.startsWith("igw-")) {
      add(
        PUBLIC,
        id,
        target
          ? `its route table sends 0.0.0.0/0 to ${target}, not to an internet gateway: the proxies' pool addresses (EIPs) would not be their source address`
          : "its route table has no 0.0.0.0/0 route: the proxies could not reach Azure OpenAI",
        "list subnets whose route table sends 0.0.0.0/0 to the VPC's internet gateway (igw-…), or add that route",
      );
    }
  }

  const checkCount = (field: typeof PUBLIC | typeof PRIVATE, zones: Map<string, string>) => {
    if (zones.size > 0 && zones.size < MIN_EXISTING_AZS)
      add(
        field,
        config[field],
        `covers ${zones.size} availability zone (${[...zones.keys()].join(", ")}); the endpoint service needs at least ${MIN_EXISTING_AZS}`,
        `list subnets in ${MIN_EXISTING_AZS} or more AZs`,
      );
  };
  checkCount(PUBLIC, publicZones);
  checkCount(PRIVATE, privateZones);

  const onlyPublic = [...publicZones.keys()].filter((z) => !privateZones.has(z));
  const onlyPrivate = [...privateZones.keys()].filter((z) => !publicZones.has(z));
  if (problems.length === 0 && (onlyPublic.length > 0 || onlyPrivate.length > 0)) {
    add(
      PRIVATE,
      config[PRIVATE],
      `covers ${[...privateZones.keys()].sort().join(", ")} while publicSubnetIds covers ${[...publicZones.keys()].sort().join(", ")}: ` +
        "the NLB (private subnets) sends only to proxies (public subnets) in its own AZs",
      "list one public and one private subnet in each AZ you use",
    );
  }
  return problems;
}

/** The placement of a passed check: subnets ordered by AZ name, public and private pairwise. */
export function placementOf(facts: ExistingVpcFacts): VpcPlacement {
  const byId = new Map(facts.subnets.map((s) => [s.id, s]));
  const byZone = (ids: readonly string[]) =>
    [...ids].sort((a, b) => byId.get(a)!.availabilityZone.localeCompare(byId.get(b)!.availabilityZone));
  return {
    vpcId: facts.config.vpcId,
    vpcArn: facts.vpc!.arn,
    cidrBlock: facts.vpc!.cidrBlock,
    publicSubnetIds: byZone(facts.config.publicSubnetIds),
    privateSubnetIds: byZone(facts.config.privateSubnetIds),
    zones: byZone(facts.config.publicSubnetIds).map((id) => ({
      name: byId.get(id)!.availabilityZone,
      id: byId.get(id)!.availabilityZoneId,
    })),
  };
}
