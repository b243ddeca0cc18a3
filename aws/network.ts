import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { layoutSubnets } from "./subnetLayout";

/** An availability zone: its name (per account) and its id (the same physical zone in every account). */
export interface Zone {
  readonly name: string;
  readonly id: string;
}

/** Subnets of an existing VPC the proxy tier goes into (`proxy.existingVpc`, once its preflight passed). */
export interface VpcPlacement {
  readonly vpcId: string;
  readonly vpcArn: string;
  /** The VPC's primary CIDR. */
  readonly cidrBlock: string;
  /** One per AZ, in AZ name order. */
  readonly publicSubnetIds: readonly string[];
  /** One per AZ, the same AZs in the same order. */
  readonly privateSubnetIds: readonly string[];
  /** The subnets' zones, in the same order. */
  readonly zones: readonly Zone[];
}

export interface ProxyNetworkArgs {
  /** The created VPC's CIDR (`proxy.vpcCidr`); required without `existingVpc`. */
  readonly cidrBlock?: string;
  /** The stack's AWS region (`aws:region`). */
  readonly region: string;
  /**
   * Number of AZs (2..6): one public and one private subnet in each. With `existingVpc` it is the
   * number of subnets per list (config/proxy.ts), so per-zone resources are known at construction.
   */
  readonly availabilityZones: number;
  /**
   * The zones, subnet index i in zone i (chosen by id where the instance type is offered; the program
   * decides, preflight/availabilityZones.ts). Nothing of the network is created before they resolve.
   */
  readonly zones: pulumi.Input<Zone[]>;
  readonly tags?: Record<string, string>;
  /**
   * Subnets of a VPC someone else owns (`proxy.existingVpc`, checked by its preflight): nothing is
   * created, and `cidrBlock` is not used. @default unset: the VPC is created
   */
  readonly existingVpc?: pulumi.Output<VpcPlacement>;
}

/**
 * The proxies' VPC. Public subnets hold the proxies but never auto-assign a public IP: a proxy's only
 * public address is its pool EIP, so without one it has no internet path at all (fail closed).
 * Private subnets hold the internal NLB and have no internet route. An S3 gateway endpoint lets a
 * proxy install HAProxy from the Amazon Linux repositories (served from S3) before its EIP arrives.
 */
export class ProxyNetwork extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly vpcArn: pulumi.Output<string>;
  /** The VPC's (primary) CIDR: what the proxies admit metrics scrapers and NLB health checks from. */
  public readonly cidrBlock: pulumi.Output<string>;
  /** One per AZ, in AZ name order: the proxies' subnets. */
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  /** One per AZ, the same AZs: the NLB's subnets. */
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  /**
   * The proxies' subnet ids one by one, index i in zone i, as many as `availabilityZones` in both
   * modes: what per-zone resources (the flow logs) are keyed by.
   */
  public readonly publicSubnetIdByZone: readonly pulumi.Output<string>[];
  /** The created VPC and its parts; absent with `existingVpc`. */
  public readonly vpc?: aws.ec2.Vpc;
  public readonly publicSubnets: aws.ec2.Subnet[];
  public readonly privateSubnets: aws.ec2.Subnet[];
  public readonly s3Endpoint?: aws.ec2.VpcEndpoint;
  /** The zones, subnet index i in zone i: the plan shows their ids. */
  public readonly availabilityZones: pulumi.Output<Zone[]>;

  constructor(name: string, args: ProxyNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbx-aoai-link:aws:ProxyNetwork", name, {}, opts);
    // An existing VPC: its owner keeps routes, gateways and endpoints; the proxy tier only uses its subnets.
    if (args.existingVpc) {
      const placement = args.existingVpc;
      this.vpcId = placement.vpcId;
      this.vpcArn = placement.vpcArn;
      this.cidrBlock = placement.cidrBlock;
      this.publicSubnetIds = placement.publicSubnetIds.apply((ids) => [...ids]);
      this.privateSubnetIds = placement.privateSubnetIds.apply((ids) => [...ids]);
      this.publicSubnetIdByZone = Array.from({ length: args.availabilityZones }, (_, i) =>
        placement.publicSubnetIds.apply((ids) => {
          if (ids.length !== args.availabilityZones)
            throw new Error(`ProxyNetwork: ${ids.length} existing public subnets for ${args.availabilityZones} AZs`);
          return ids[i];
        }),
      );
      this.publicSubnets = [];
      this.privateSubnets = [];
      this.availabilityZones = placement.zones.apply((zones) => [...zones]);
      this.registerOutputs({
        availabilityZones: this.availabilityZones,
        vpcId: this.vpcId,
        publicSubnetIds: this.publicSubnetIds,
        privateSubnetIds: this.privateSubnetIds,
      });
      return;
    }
    const cidrBlock = args.cidrBlock;
    if (!cidrBlock) throw new Error("ProxyNetwork: cidrBlock is required without existingVpc");
    const parent = { parent: this };
    const tag = (role: string) => ({ ...args.tags, Name: `${name}-${role}` });
    this.cidrBlock = pulumi.output(cidrBlock);
    this.availabilityZones = pulumi.output(args.zones);

    const zoneName = (i: number) => this.availabilityZones.apply((zones) => zones[i].name);

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock,
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: tag("vpc"),
      },
      // Nothing of the network is created when no zone set qualifies (the zones' preflight failed).
      { parent: this, dependsOn: this.availabilityZones.apply(() => []) },
    );
    this.vpc = vpc;
    this.vpcId = vpc.id;
    this.vpcArn = vpc.arn;
    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tag("igw") }, parent);

    const layout = layoutSubnets(cidrBlock, args.availabilityZones);
    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public-rt`,
      {
        vpcId: vpc.id,
        routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
        tags: tag("public"),
      },
      parent,
    );
    const privateRoutes = new aws.ec2.RouteTable(`${name}-private-rt`, { vpcId: vpc.id, tags: tag("private") }, parent);

    // Subnets are keyed by AZ index, which is stable for a given AZ count.
    this.publicSubnets = layout.publicCidrs.map(
      (cidrBlock, i) =>
        new aws.ec2.Subnet(
          `${name}-public-${i}`,
          {
            vpcId: vpc.id,
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
            vpcId: vpc.id,
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
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${args.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: [publicRoutes.id],
        tags: tag("s3"),
      },
      parent,
    );

    this.publicSubnetIds = pulumi.all(this.publicSubnets.map((s) => s.id));
    this.publicSubnetIdByZone = this.publicSubnets.map((s) => s.id);
    this.privateSubnetIds = pulumi.all(this.privateSubnets.map((s) => s.id));
    this.registerOutputs({
      vpcId: vpc.id,
      publicSubnetIds: this.publicSubnets.map((s) => s.id),
      privateSubnetIds: this.privateSubnets.map((s) => s.id),
      availabilityZones: this.availabilityZones,
    });
  }
}
