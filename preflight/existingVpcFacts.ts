/**
 * Reads the existing VPC preflight's facts through invokes (run at preview; answered by
 * engine/inventedValues.ts offline). Lookups that find nothing return empty lists rather than failing,
 * so a wrong id becomes a message naming the key instead of a provider error.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { ExistingVpcConfig } from "../config/existingVpc";
import type { ExistingSubnet, ExistingVpcFacts } from "./existingVpc";

/** Where a route table sends 0.0.0.0/0: the gateway, NAT gateway, instance, … id. */
function defaultRouteTarget(table: aws.ec2.GetRouteTableResult): string | undefined {
  const route = table.routes.find((r) => r.cidrBlock === "0.0.0.0/0");
  if (!route) return undefined;
  return (
    [
      route.gatewayId,
      route.natGatewayId,
      route.transitGatewayId,
      route.networkInterfaceId,
      route.instanceId,
      route.vpcPeeringConnectionId,
      route.carrierGatewayId,
      route.localGatewayId,
      route.vpcEndpointId,
      route.coreNetworkArn,
    ].find((t) => !!t) ?? "an unknown target"
  );
}

export function readExistingVpcFacts(
  config: ExistingVpcConfig,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<ExistingVpcFacts> {
  const found = aws.ec2.getVpcsOutput({ filters: [{ name: "vpc-id", values: [config.vpcId] }] }, opts);
  const ids = [...config.publicSubnetIds, ...config.privateSubnetIds];
  const existing = aws.ec2.getSubnetsOutput({ filters: [{ name: "subnet-id", values: ids }] }, opts);
  return pulumi.all([found, existing]).apply(async ([vpcs, subnetIds]): Promise<ExistingVpcFacts> => {
    if (vpcs.ids.length === 0) return { config, subnets: [], publicDefaultRoutes: {} };
    const invoke = { ...opts };
    const vpc = await aws.ec2.getVpc({ id: config.vpcId }, invoke);
    const subnets: ExistingSubnet[] = await Promise.all(
      ids
        .filter((id) => subnetIds.ids.includes(id))
        .map(async (id) => {
          const s = await aws.ec2.getSubnet({ id }, invoke);
          return {
            id,
            vpcId: s.vpcId,
            availabilityZone: s.availabilityZone,
            availabilityZoneId: s.availabilityZoneId,
            cidrBlock: s.cidrBlock,
          };
        }),
    );
    const routes = await Promise.all(
      subnets
        .filter((s) => config.publicSubnetIds.includes(s.id) && s.vpcId === config.vpcId)
        .map(async (s) => {
          // A subnet without an explicit association uses the VPC's main route table.
          const associated = await aws.ec2.getRouteTables(
            { filters: [{ name: "association.subnet-id", values: [s.id] }] },
            invoke,
          );
          const routeTableId = associated.ids[0] ?? vpc.mainRouteTableId;
          const table = await aws.ec2.getRouteTable({ routeTableId }, invoke);
          return [s.id, defaultRouteTarget(table)] as const;
        }),
    );
    return {
      config,
      vpc: { cidrBlock: vpc.cidrBlock, arn: vpc.arn, enableDnsSupport: vpc.enableDnsSupport },
      subnets,
      publicDefaultRoutes: Object.fromEntries(routes),
    };
  });
}
