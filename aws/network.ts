import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { layoutSubnets } from "./subnetLayout";

/** An availability zone: its name (per account) and its id (the same physical zone in every account). */
export interface Zone {
  readonly name: string;
  readonly id: string;
}

export interface ProxyNetworkArgs {
  readonly cidrBlock: string;
  /** The stack's AWS region (`aws:region`). */
  readonly region: string;
  /** Number of AZs (2..6): one public and one private subnet in each. */
  readonly availabilityZones: number;
  /**
   * The zones, subnet index i in zone i (chosen by id where the instance type is offered; the program
   * decides, preflight/availabilityZones.ts). Nothing of the network is created before they resolve.
   */
  readonly zones: pulumi.Input<Zone[]>;
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
  /** The zones, subnet index i in zone i: the plan shows their ids. */
  public readonly availabilityZones: pulumi.Output<Zone[]>;

  constructor(name: string, args: ProxyNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbx-aoai-link:aws:ProxyNetwork", name, {}, opts);
    const parent = { parent: this };
    const tag = (role: string) => ({ ...args.tags, Name: `${name}-${role}` });
    this.cidrBlock = args.cidrBlock;
    this.availabilityZones = pulumi.output(args.zones);

    const zoneName = (i: number) => this.availabilityZones.apply((zones) => zones[i].name);

    this.vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidrBlock,
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: tag("vpc"),
      },
      // Nothing of the network is created when no zone set qualifies (the zones' preflight failed).
      { parent: this, dependsOn: this.availabilityZones.apply(() => []) },
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
