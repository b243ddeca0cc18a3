import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { layoutSubnets } from "./subnetLayout";
import { preflight, waitFor } from "../preflight/gate";
import {
  AVAILABILITY_ZONES_PREFLIGHT,
  checkZones,
  chooseZones,
  type Zone,
  zoneWarnings,
} from "../preflight/availabilityZones";
import { readZoneFacts } from "../preflight/availabilityZonesFacts";

export interface ProxyNetworkArgs {
  readonly cidrBlock: string;
  /** The stack's AWS region (`aws:region`). */
  readonly region: string;
  /**
   * Number of AZs (2..6): the first in name order of the region's regular zones that offer
   * `instanceType` (the choice the program always made where the type is offered everywhere).
   */
  readonly availabilityZones: number;
  /** The proxies' instance type: only zones offering it are chosen. */
  readonly instanceType: string;
  /** Zone ids to use instead, in subnet order (`proxy.availabilityZoneIds`). */
  readonly availabilityZoneIds?: readonly string[];
  readonly tags?: Record<string, string>;
}

/**
 * The proxies' VPC. Public subnets hold the proxies but never auto-assign a public IP: a proxy's only
 * public address is its pool EIP, so without one it has no internet path at all (fail closed).
 * Private subnets hold the internal NLB and have no internet route. An S3 gateway endpoint lets a
 * proxy install HAProxy from the Amazon Linux repositories (served from S3) before its EIP arrives.
 */
export class ProxyNetwork extends pulumi.ComponentResource {
  public readonly vpc: aws.ec2.Vpc;
  public readonly publicSubnets: aws.ec2.Subnet[];
  public readonly privateSubnets: aws.ec2.Subnet[];
  public readonly s3Endpoint: aws.ec2.VpcEndpoint;
  public readonly cidrBlock: string;
  /** The chosen zones, subnet index i in zone i: the plan shows their ids. */
  public readonly availabilityZones: pulumi.Output<Zone[]>;

  constructor(name: string, args: ProxyNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbx-aoai-link:aws:ProxyNetwork", name, {}, opts);
    const parent = { parent: this };
    const tag = (role: string) => ({ ...args.tags, Name: `${name}-${role}` });
    this.cidrBlock = args.cidrBlock;

    // Zones by id, among those offering the instance type; subnets get the names (preflight/availabilityZones.ts).
    const facts = readZoneFacts(
      {
        region: args.region,
        instanceType: args.instanceType,
        wanted: args.availabilityZones,
        pinnedIds: args.availabilityZoneIds,
      },
      parent,
    );
    const chosen = preflight(AVAILABILITY_ZONES_PREFLIGHT.name, facts, checkZones).apply((f) => {
      for (const warning of zoneWarnings(f)) void pulumi.log.warn(warning);
      return chooseZones(f);
    });
    this.availabilityZones = chosen;
    const zoneName = (i: number) => chosen.apply((zones) => zones[i].name);

    this.vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidrBlock,
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: tag("vpc"),
      },
      // Nothing of the network is created when no zone set qualifies.
      { parent: this, dependsOn: waitFor(chosen) },
    );
    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: this.vpc.id, tags: tag("igw") }, parent);

    const layout = layoutSubnets(args.cidrBlock, args.availabilityZones);
    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public-rt`,
      {
        vpcId: this.vpc.id,
        routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
        tags: tag("public"),
      },
      parent,
    );
    const privateRoutes = new aws.ec2.RouteTable(
      `${name}-private-rt`,
      { vpcId: this.vpc.id, tags: tag("private") },
      parent,
    );

    // Subnets are keyed by AZ index, which is stable for a given AZ count.
    this.publicSubnets = layout.publicCidrs.map(
      (cidrBlock, i) =>
        new aws.ec2.Subnet(
          `${name}-public-${i}`,
          {
            vpcId: this.vpc.id,
            cidrBlock,
            availabilityZone: zoneName(i),
            mapPublicIpOnLaunch: false,
            tags: tag(`public-${i}`),
          },
          parent,
        ),
    );
    this.privateSubnets = layout.privateCidrs.map(
      (cidrBlock, i) =>
        new aws.ec2.Subnet(
          `${name}-private-${i}`,
          {
            vpcId: this.vpc.id,
            cidrBlock,
            availabilityZone: zoneName(i),
            mapPublicIpOnLaunch: false,
            tags: tag(`private-${i}`),
          },
          parent,
        ),
    );
    this.publicSubnets.forEach(
      (subnet, i) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-public-${i}`,
          {
            subnetId: subnet.id,
            routeTableId: publicRoutes.id,
          },
          parent,
        ),
    );
    this.privateSubnets.forEach(
      (subnet, i) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-private-${i}`,
          {
            subnetId: subnet.id,
            routeTableId: privateRoutes.id,
          },
          parent,
        ),
    );

    this.s3Endpoint = new aws.ec2.VpcEndpoint(
      `${name}-s3`,
      {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${args.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: [publicRoutes.id],
        tags: tag("s3"),
      },
      parent,
    );

    this.registerOutputs({
      vpcId: this.vpc.id,
      publicSubnetIds: this.publicSubnets.map((s) => s.id),
      privateSubnetIds: this.privateSubnets.map((s) => s.id),
      availabilityZones: this.availabilityZones,
    });
  }
}
