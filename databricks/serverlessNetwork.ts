import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import { VpcEndpointWaiter } from "./vpcEndpointWaiter";

export interface ServerlessNetworkArgs {
  /** `aws:region`: the NCC must be in the workspaces' region. */
  readonly region: string;
  readonly accountId: string;
  /** Account console host, for the rule waiter's API calls. */
  readonly accountHost: string;
  readonly workspaceIds: readonly string[];
  readonly nccName: string;
  /** Full AWS endpoint service name (`com.amazonaws.vpce.<region>.vpce-svc-…`). */
  readonly endpointServiceName: pulumi.Input<string>;
  /** Names serverless resolves to the private endpoint (the Azure OpenAI FQDN). At most 10. */
  readonly domainNames: pulumi.Input<string[]>;
  readonly networkPolicyId: string;
  readonly enforcement: "ENFORCED" | "DRY_RUN";
  /** DNS names serverless may still reach over the internet (besides `domainNames`, always allowed). */
  readonly allowedInternetDestinations: readonly string[];
  /** Set the network policy's ingress explicitly (see `DatabricksRegionFacts.networkPolicyIngress`). */
  readonly setIngress: boolean;
  /** The account-level provider: every child here is an account-level resource. */
  readonly provider: databricks.Provider;
}

/**
 * The Databricks side of the path: an NCC with one private endpoint rule to our endpoint service,
 * a network policy that restricts serverless internet egress, and both attached to each workspace.
 * `vpcEndpointId` appears once AWS has created Databricks' endpoint (it is empty at rule creation);
 * the caller accepts that endpoint's connection on the AWS side.
 */
export class ServerlessNetwork extends pulumi.ComponentResource {
  public readonly ncc: databricks.MwsNetworkConnectivityConfig;
  public readonly rule: databricks.MwsNccPrivateEndpointRule;
  public readonly policy: databricks.AccountNetworkPolicy;
  public readonly nccId: pulumi.Output<string>;
  public readonly ruleId: pulumi.Output<string>;
  public readonly vpcEndpointId: pulumi.Output<string>;
  public readonly networkPolicyId: pulumi.Output<string>;

  constructor(name: string, args: ServerlessNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbx-aoai-link:databricks:ServerlessNetwork", name, {}, opts);
    const account = { parent: this, provider: args.provider };

    this.ncc = new databricks.MwsNetworkConnectivityConfig(`${name}-ncc`, {
      name: args.nccName, region: args.region, accountId: args.accountId,
    }, account);
    this.nccId = this.ncc.networkConnectivityConfigId;

    // One rule carries every domain name: rules created in parallel time out (provider issue #4559),
    // and endpointService forces replacement, so it is kept stable. `enabled` is S3-only: not sent.
    this.rule = new databricks.MwsNccPrivateEndpointRule(`${name}-rule`, {
      networkConnectivityConfigId: this.nccId,
      endpointService: args.endpointServiceName,
      domainNames: args.domainNames,
    }, account);
    this.ruleId = this.rule.ruleId;

    const endpoint = new VpcEndpointWaiter(`${name}-rule-endpoint`, {
      accountHost: args.accountHost, accountId: args.accountId, nccId: this.nccId, ruleId: this.ruleId,
    }, { parent: this, dependsOn: [this.rule] });
    this.vpcEndpointId = endpoint.vpcEndpointId;

    for (const workspaceId of args.workspaceIds) {
      new databricks.MwsNccBinding(`${name}-binding-${workspaceId}`, { networkConnectivityConfigId: this.nccId, workspaceId }, account);
    }

    this.policy = new databricks.AccountNetworkPolicy(`${name}-policy`, {
      accountId: args.accountId,
      networkPolicyId: args.networkPolicyId,
      egress: {
        networkAccess: {
          restrictionMode: "RESTRICTED_ACCESS",
          // The rule's domain names are allowed too: Databricks documents no exemption of private
          // endpoint destinations from the egress policy, and its SRA allow-lists them.
          allowedInternetDestinations: pulumi.output(args.domainNames).apply(domains =>
            [...new Set([...domains, ...args.allowedInternetDestinations])].map(destination => ({ destination, internetDestinationType: "DNS_NAME" }))),
          policyEnforcement: { enforcementMode: args.enforcement },
        },
      },
      // Set explicitly: left out, the API fills these in and the provider reports an inconsistent
      // result after apply (#5884). Values as in the SRA (PR #243); LEGACY_MODE is the API's default.
      ...(args.setIngress ? { ingress: {
        privateAccess: { restrictionMode: "ALLOW_ALL_REGISTERED_ENDPOINTS" },
        crossWorkspaceAccess: { restrictionMode: "LEGACY_MODE" },
      } } : {}),
    }, account);
    this.networkPolicyId = this.policy.networkPolicyId.apply(id => id ?? args.networkPolicyId);

    for (const workspaceId of args.workspaceIds) {
      new databricks.WorkspaceNetworkOption(`${name}-policy-${workspaceId}`, { workspaceId, networkPolicyId: this.networkPolicyId }, account);
    }

    this.registerOutputs({ nccId: this.nccId, ruleId: this.ruleId, vpcEndpointId: this.vpcEndpointId, networkPolicyId: this.networkPolicyId });
  }
}
