/**
 * The dynamic provider behind `VpcEndpointWaiter`. Pulumi serializes this object by closure and runs it
 * in the `pulumi-nodejs` dynamic provider process, so it may only reach node globals and the two local
 * modules below (local modules are serialized by value; anything from node_modules would be `require`d
 * there, and a captured `@pulumi/pulumi` object would drag the SDK's state along). `pulumi` is imported
 * for types only: the import disappears when compiled.
 *
 * Credentials are read when an operation runs, never stored in state: first the environment of the
 * `pulumi` process (DATABRICKS_CLIENT_ID + DATABRICKS_CLIENT_SECRET, or DATABRICKS_TOKEN; the dynamic
 * provider process inherits it), then the stack config keys `databricks:clientId` +
 * `databricks:clientSecret` or `databricks:token` (handed to `configure`).
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  DatabricksHttpError,
  createAccountApi,
  credentialValuesFromConfig,
  credentialValuesFromEnv,
  resolveCredentials,
  type AccountApi,
  type CredentialValues,
  type RuleLocation,
} from "./accountApi";
import { resolveWaitSettings, waitForRuleVpcEndpointId } from "./rulePoller";

/** Plain (resolved) inputs as the provider receives them. */
export interface RuleVpcEndpointInputs extends RuleLocation {
  readonly timeoutSeconds?: number;
  readonly pollIntervalSeconds?: number;
}

export interface RuleVpcEndpointOutputs extends RuleVpcEndpointInputs {
  readonly vpcEndpointId: string;
  readonly connectionState: string;
}

/** Inputs whose change means another rule, hence a new wait. */
export const REPLACE_ON_CHANGE = ["nccId", "ruleId"] as const;

/** Filled by `configure` in the provider process; one object shared by every method below. */
const stackCredentials: { values?: CredentialValues } = {};

function accountApiFor(inputs: RuleVpcEndpointInputs): AccountApi {
  const credentials = resolveCredentials(
    [credentialValuesFromEnv(), stackCredentials.values],
    " of the `pulumi` process, or the stack config secrets databricks:clientId and databricks:clientSecret",
  );
  return createAccountApi({ host: inputs.accountHost, accountId: inputs.accountId, credentials });
}

/** The state we keep: known keys only, none undefined (the RPC layer cannot encode `undefined`). */
function outputsOf(
  inputs: RuleVpcEndpointInputs,
  vpcEndpointId: string,
  connectionState: string,
): RuleVpcEndpointOutputs {
  const { accountHost, accountId, nccId, ruleId, timeoutSeconds, pollIntervalSeconds } = inputs;
  return {
    accountHost,
    accountId,
    nccId,
    ruleId,
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
    ...(pollIntervalSeconds === undefined ? {} : { pollIntervalSeconds }),
    vpcEndpointId,
    connectionState,
  };
}

export const ruleVpcEndpointProvider: pulumi.dynamic.ResourceProvider<RuleVpcEndpointInputs, RuleVpcEndpointOutputs> = {
  async configure(request) {
    stackCredentials.values = credentialValuesFromConfig(request.config);
  },

  /** Waits for the endpoint id; a timeout fails the create, and the next `pulumi up` waits again. */
  async create(inputs) {
    const found = await waitForRuleVpcEndpointId({
      api: accountApiFor(inputs),
      nccId: inputs.nccId,
      ruleId: inputs.ruleId,
      ...resolveWaitSettings(inputs.timeoutSeconds, inputs.pollIntervalSeconds),
    });
    return {
      id: `${inputs.nccId}/${inputs.ruleId}`,
      outs: outputsOf(inputs, found.vpcEndpointId, found.connectionState),
    };
  },

  /** Replace when the rule changes (a new rule has a new endpoint); anything else needs no API call. */
  async diff(_id, olds, news) {
    const replaces = REPLACE_ON_CHANGE.filter((key) => olds[key] !== news[key]);
    return { changes: replaces.length > 0, replaces };
  },

  /** Refresh: re-reads the rule; a rule that is gone (404) drops this resource from state. */
  async read(id, props) {
    if (!props) throw new Error(`RuleVpcEndpoint ${id} cannot be imported: declare it in the program instead`);
    try {
      const rule = await accountApiFor(props).getPrivateEndpointRule(props.nccId, props.ruleId);
      // The endpoint id of a rule never changes; keep the known one if the API leaves it out.
      const vpcEndpointId = rule.vpc_endpoint_id || props.vpcEndpointId;
      return { id, props: outputsOf(props, vpcEndpointId, rule.connection_state ?? props.connectionState) };
    } catch (error) {
      if (error instanceof DatabricksHttpError && error.status === 404) return { id: "" };
      throw error;
    }
  },
};
