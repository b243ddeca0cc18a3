/**
 * `VpcEndpointWaiter`: a dynamic resource whose create waits until Databricks has filled in the VPC
 * endpoint id of an NCC private endpoint rule (empty in the rule's create response, because AWS
 * creates the endpoint asynchronously). Its `vpcEndpointId` feeds `aws.ec2.VpcEndpointConnectionAccepter`.
 *
 * The provider runs with the environment of the `pulumi` process: it needs DATABRICKS_CLIENT_ID +
 * DATABRICKS_CLIENT_SECRET (an account-admin service principal) or DATABRICKS_TOKEN, or the stack config
 * secrets `databricks:clientId` + `databricks:clientSecret`. Nothing secret is kept in its state.
 *
 * Usage (account provider, rule and endpoint service built elsewhere):
 * ```ts
 * const endpoint = new VpcEndpointWaiter(`${name}-rule-endpoint`, {
 *   accountHost, accountId, nccId: ncc.networkConnectivityConfigId, ruleId: rule.ruleId,
 * }, { parent: this });
 * new aws.ec2.VpcEndpointConnectionAccepter(`${name}-accept`, {
 *   vpcEndpointServiceId: service.id, vpcEndpointId: endpoint.vpcEndpointId,
 * }, { parent: this });
 * ```
 */
import * as pulumi from "@pulumi/pulumi";
import { ruleVpcEndpointProvider } from "./ruleVpcEndpointProvider";
import { resolveWaitSettings } from "./rulePoller";

export {
  DEFAULT_POLL_INTERVAL_SECONDS,
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  RULE_STATES,
  describeRuleState,
  waitForRuleVpcEndpointId,
  type RuleVpcEndpointResult,
  type WaitForRuleOptions,
} from "./rulePoller";

/**
 * Module and type given to `pulumi.dynamic.Resource`; the engine only accepts `pulumi-nodejs` as package.
 * The type keeps its first name (`RuleVpcEndpoint`) after the class was renamed: it is part of the URN,
 * so changing it would make existing stacks replace the waiter.
 */
export const RULE_VPC_ENDPOINT_MODULE = "databricks";
export const RULE_VPC_ENDPOINT_TYPE_NAME = "RuleVpcEndpoint";
/** The resulting type token, e.g. for `findResources` in mock tests. */
export const RULE_VPC_ENDPOINT_TYPE = `pulumi-nodejs:dynamic/${RULE_VPC_ENDPOINT_MODULE}:${RULE_VPC_ENDPOINT_TYPE_NAME}`;

export interface VpcEndpointWaiterArgs {
  /** Account console host: `https://accounts.cloud.databricks.com` on commercial AWS (GovCloud differs). */
  readonly accountHost: pulumi.Input<string>;
  /** Databricks account id. */
  readonly accountId: pulumi.Input<string>;
  /** `MwsNetworkConnectivityConfig.networkConnectivityConfigId`. A change means a new wait. */
  readonly nccId: pulumi.Input<string>;
  /** `MwsNccPrivateEndpointRule.ruleId`. A change (a replaced rule) means a new wait. */
  readonly ruleId: pulumi.Input<string>;
  /** How long create waits before failing. @default 600 */
  readonly timeoutSeconds?: number;
  /** Pause between two reads of the rule. @default 10 */
  readonly pollIntervalSeconds?: number;
}

export class VpcEndpointWaiter extends pulumi.dynamic.Resource {
  // `declare`: with target ES2022 a plain (or `!:`) field would be re-initialised to undefined after
  // super(), and the output would vanish.
  /** The AWS VPC endpoint id (`vpce-…`) Databricks created for the rule. */
  declare public readonly vpcEndpointId: pulumi.Output<string>;
  /** The rule's connection state when it was read (PENDING right after creation). */
  declare public readonly connectionState: pulumi.Output<string>;

  constructor(name: string, args: VpcEndpointWaiterArgs, opts?: pulumi.CustomResourceOptions) {
    // Reject bad timings at plan time rather than after a `pulumi up` has started waiting.
    resolveWaitSettings(args.timeoutSeconds, args.pollIntervalSeconds);
    super(
      ruleVpcEndpointProvider,
      name,
      // Every output key must be listed among the inputs, or the engine does not expose it.
      { ...args, vpcEndpointId: undefined, connectionState: undefined },
      opts,
      RULE_VPC_ENDPOINT_MODULE,
      RULE_VPC_ENDPOINT_TYPE_NAME,
    );
  }
}
