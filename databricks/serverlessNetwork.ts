import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import { VpcEndpointWaiter } from "./vpcEndpointWaiter";
import { WorkspacePolicyRestore } from "./workspacePolicyRestore";

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
  /** DNS names serverless may still reach over the internet. */
  readonly allowedInternetDestinations: readonly string[];
  /** Also allow `domainNames` as internet destinations (verify's FQDN switch verdict decides). @default true */
  readonly allowDomainNames?: boolean;
  /**
   * The network policy's ingress, set explicitly; undefined leaves it out (GovCloud, see
   * `DatabricksRegionFacts.networkPolicyIngress`).
   */
  readonly ingress?: {
    readonly publicAccess: "FULL_ACCESS" | "RESTRICTED_ACCESS";
    /** With RESTRICTED_ACCESS: public IPv4 addresses/CIDRs allowed in. */
    readonly publicAccessAllowedIps: readonly string[];
  };
  /** The account-level provider: every child here is an account-level resource. */
  readonly provider: databricks.Provider;
  /** Put the rule on this NCC (someone else's): create no NCC and bind nothing. @default unset */
  readonly existingNccId?: string;
  /** Use this policy (someone else's): create and attach none. @default unset */
  readonly existingNetworkPolicyId?: string;
  /** What bindings and policy attachments wait for (a passed preflight). @default none */
  readonly attachAfter?: pulumi.Input<pulumi.Resource[]>;
}

/**
 * The Databricks side of the path: an NCC with one private endpoint rule to our endpoint service,
 * a network policy that restricts serverless internet egress, and both attached to each workspace.
 * `vpcEndpointId` appears once AWS has created Databricks' endpoint (it is empty at rule creation);
 * the caller accepts that endpoint's connection on the AWS side.
 */
export class ServerlessNetwork extends pulumi.ComponentResource {
  /** Absent with `existingNccId`. */
  public readonly ncc?: databricks.MwsNetworkConnectivityConfig;
  public readonly rule: databricks.MwsNccPrivateEndpointRule;
  /** Absent with `existingNetworkPolicyId`. */
  public readonly policy?: databricks.AccountNetworkPolicy;
  public readonly nccId: pulumi.Output<string>;
  public readonly ruleId: pulumi.Output<string>;
  public readonly vpcEndpointId: pulumi.Output<string>;
  public readonly networkPolicyId: pulumi.Output<string>;

  constructor(name: string, args: ServerlessNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbx-aoai-link:databricks:ServerlessNetwork", name, {}, opts);
    const account = { parent: this, provider: args.provider };
    const attach = { ...account, dependsOn: args.attachAfter ?? [] };

    if (args.existingNccId) {
      this.nccId = pulumi.output(args.existingNccId);
    } else {
      this.ncc = new databricks.MwsNetworkConnectivityConfig(
        `${name}-ncc`,
        {
          name: args.nccName,
          region: args.region,
          accountId: args.accountId,
        },
        account,
      );
      this.nccId = this.ncc.networkConnectivityConfigId;
    }

    // One rule carries every domain name: rules created in parallel time out (provider issue #4559),
    // and endpointService forces replacement, so it is kept stable. `enabled` is S3-only: not sent.
    // deleteBeforeReplace: a replacement made create-first would hold two rules for the same domain
    // names at once, and serverless routing for a name may follow either endpoint (the new one is not
    // accepted yet). Deleting first means a short outage of the path during the replacement, which a
    // changed endpoint service causes anyway; the waiter and the accepter are replaced with the rule.
    this.rule = new databricks.MwsNccPrivateEndpointRule(
      `${name}-rule`,
      {
        networkConnectivityConfigId: this.nccId,
        endpointService: args.endpointServiceName,
        domainNames: args.domainNames,
      },
      { ...account, deleteBeforeReplace: true },
    );
    this.ruleId = this.rule.ruleId;

    const endpoint = new VpcEndpointWaiter(
      `${name}-rule-endpoint`,
      {
        accountHost: args.accountHost,
        accountId: args.accountId,
        nccId: this.nccId,
        ruleId: this.ruleId,
      },
      { parent: this, dependsOn: [this.rule] },
    );
    this.vpcEndpointId = endpoint.vpcEndpointId;

    // An adopted NCC is bound by its owner: binding it again would be a second manager of the binding.
    if (!args.existingNccId) {
      for (const workspaceId of args.workspaceIds) {
        new databricks.MwsNccBinding(
          `${name}-binding-${workspaceId}`,
          { networkConnectivityConfigId: this.nccId, workspaceId },
          attach,
        );
      }
    }

    if (args.existingNetworkPolicyId) {
      // The policy's owner must allow our FQDNs; the program says which (databricks/adoption.ts).
      this.networkPolicyId = pulumi.output(args.existingNetworkPolicyId);
      this.registerOutputs({
        nccId: this.nccId,
        ruleId: this.ruleId,
        vpcEndpointId: this.vpcEndpointId,
        networkPolicyId: this.networkPolicyId,
      });
      return;
    }
    this.policy = new databricks.AccountNetworkPolicy(
      `${name}-policy`,
      {
        accountId: args.accountId,
        networkPolicyId: args.networkPolicyId,
        egress: {
          networkAccess: {
            restrictionMode: "RESTRICTED_ACCESS",
            // The rule's domain names are allowed too by default: Databricks documents no exemption of
            // private endpoint destinations from the egress policy, and its SRA allow-lists them. Whether
            // that opens other accounts on the same front end is what verify's FQDN switch verdict tells.
            allowedInternetDestinations: pulumi
              .output(args.domainNames)
              .apply((domains) =>
                [
                  ...new Set([
                    ...((args.allowDomainNames ?? true) ? domains : []),
                    ...args.allowedInternetDestinations,
                  ]),
                ].map((destination) => ({ destination, internetDestinationType: "DNS_NAME" })),
              ),
            policyEnforcement: { enforcementMode: args.enforcement },
          },
        },
        // Set explicitly: left out, the API fills ingress in and the provider reports an inconsistent
        // result after apply (terraform-provider-databricks #5884, #5477). Values as in the SRA's AWS
        // network policy (terraform-databricks-sra, aws/tf/modules/databricks_account/network_policy/main.tf,
        // PR #243): privateAccess ALLOW_ALL_REGISTERED_ENDPOINTS, publicAccess FULL_ACCESS unless an IP
        // allow list restricts it. crossWorkspaceAccess LEGACY_MODE is what the API fills in.
        ...(args.ingress ? { ingress: ingressOf(args.ingress) } : {}),
      },
      {
        ...account,
        // The API fills ingressDryRun in server-side like ingress; we never manage it, so a value it
        // returns must not show as a change on every preview.
        ignoreChanges: ["ingressDryRun"],
      },
    );
    this.networkPolicyId = this.policy.networkPolicyId.apply((id) => id ?? args.networkPolicyId);

    for (const workspaceId of args.workspaceIds) {
      const option = new databricks.WorkspaceNetworkOption(
        `${name}-policy-${workspaceId}`,
        { workspaceId, networkPolicyId: this.networkPolicyId },
        attach,
      );
      // An option's delete leaves our policy attached; this one, deleted first, points the workspace back
      // to default-policy before the policy goes (databricks/workspacePolicyRestore.ts).
      new WorkspacePolicyRestore(
        `${name}-policy-restore-${workspaceId}`,
        {
          accountHost: args.accountHost,
          accountId: args.accountId,
          workspaceId,
          networkPolicyId: this.networkPolicyId,
        },
        { parent: this, dependsOn: [option, this.policy] },
      );
    }

    this.registerOutputs({
      nccId: this.nccId,
      ruleId: this.ruleId,
      vpcEndpointId: this.vpcEndpointId,
      networkPolicyId: this.networkPolicyId,
    });
  }
}

/** The network policy's `ingress` block for the configured public access. Pure. */
export function ingressOf(
  ingress: NonNullable<ServerlessNetworkArgs["ingress"]>,
): databricks.types.input.AccountNetworkPolicyIngress {
  const restricted = ingress.publicAccess === "RESTRICTED_ACCESS";
  return {
    privateAccess: { restrictionMode: "ALLOW_ALL_REGISTERED_ENDPOINTS" },
    publicAccess: {
      restrictionMode: ingress.publicAccess,
      ...(restricted
        ? {
            allowRules: [
              { label: "allowed-ips", origin: { includedIpRanges: { ipRanges: [...ingress.publicAccessAllowedIps] } } },
            ],
          }
        : {}),
    },
    crossWorkspaceAccess: { restrictionMode: "LEGACY_MODE" },
  };
}
