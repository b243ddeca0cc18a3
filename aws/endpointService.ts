import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

export interface EndpointServiceArgs {
  readonly nlbArn: pulumi.Input<string>;
  /** The one principal allowed to create endpoints: the Databricks serverless role of the region. */
  readonly allowedPrincipal: string;
  readonly tags?: Record<string, string>;
}

/**
 * PrivateLink in front of the NLB. Acceptance is required and only the Databricks serverless role
 * may ask; the program accepts the one connection it expects itself (`acceptConnection`).
 */
export class EndpointService extends pulumi.ComponentResource {
  public readonly service: aws.ec2.VpcEndpointService;
  public readonly serviceName: pulumi.Output<string>;
  public readonly serviceId: pulumi.Output<string>;

  constructor(name: string, args: EndpointServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbx-aoai-link:aws:EndpointService", name, {}, opts);
    if (args.allowedPrincipal.includes("*")) {
      throw new Error(`refusing a wildcard principal on the endpoint service: ${args.allowedPrincipal}`);
    }
    this.service = new aws.ec2.VpcEndpointService(
      `${name}-service`,
      {
        acceptanceRequired: true,
        networkLoadBalancerArns: [args.nlbArn],
        allowedPrincipals: [args.allowedPrincipal],
        supportedIpAddressTypes: ["ipv4"],
        tags: { ...args.tags, Name: `${name}-service` },
      },
      { parent: this },
    );
    this.serviceName = this.service.serviceName;
    this.serviceId = this.service.id;
    this.registerOutputs({ serviceName: this.serviceName, serviceId: this.serviceId });
  }

  /** Accepts the connection request of one VPC endpoint (idempotent: accepting twice is a no-op). */
  acceptConnection(name: string, vpcEndpointId: pulumi.Input<string>): aws.ec2.VpcEndpointConnectionAccepter {
    return new aws.ec2.VpcEndpointConnectionAccepter(
      name,
      { vpcEndpointServiceId: this.service.id, vpcEndpointId },
      { parent: this },
    );
  }
}
