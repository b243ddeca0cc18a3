import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

export interface EipPoolArgs {
  /** Number of addresses; covers maxSize plus rolling-replacement headroom. */
  readonly size: number;
  /** Pool membership: every address carries this tag key (value: the stack name). */
  readonly tagKey: string;
  readonly tags?: Record<string, string>;
  /**
   * Allocate only once this resolves (a passed preflight, e.g. the EIP quota): a failed check then
   * allocates nothing. Not an input of the addresses, so it never changes them.
   */
  readonly allocateAfter?: pulumi.Input<pulumi.Resource[]>;
}

/**
 * The proxies' egress addresses. The whole pool (not only addresses in use) is what the Azure
 * firewall allows, so each address is protected: deleting one silently breaks the allow list.
 * Members are named by a stable index, so growing the pool never renames existing ones.
 */
export class EipPool extends pulumi.ComponentResource {
  public readonly addresses: aws.ec2.Eip[];
  public readonly publicIps: pulumi.Output<string[]>;
  public readonly allocationIds: pulumi.Output<string[]>;

  constructor(name: string, args: EipPoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbx-aoai-link:aws:EipPool", name, {}, opts);
    this.addresses = Array.from(
      { length: args.size },
      (_, i) =>
        new aws.ec2.Eip(
          `${name}-eip-${i}`,
          {
            domain: "vpc",
            tags: { ...args.tags, Name: `${name}-${i}`, [args.tagKey]: pulumi.getStack() },
          },
          { parent: this, protect: true, dependsOn: args.allocateAfter },
        ),
    );
    this.publicIps = pulumi.all(this.addresses.map((a) => a.publicIp));
    this.allocationIds = pulumi.all(this.addresses.map((a) => a.allocationId));
    this.registerOutputs({ publicIps: this.publicIps, allocationIds: this.allocationIds });
  }
}
