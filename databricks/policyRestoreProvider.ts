/**
 * The dynamic provider behind `WorkspacePolicyRestore`: its **delete** points a workspace back to
 * `default-policy`. Nothing else calls the API: create and update only keep state.
 *
 * Why a resource of its own: a workspace's network option cannot be deleted, only re-pointed (provider
 * docs of `databricks_workspace_network_option`: "You cannot create or delete a workspace's network
 * option"), so the provider's delete of `WorkspaceNetworkOption` leaves our policy attached; to revert,
 * the API takes `default-policy` as the policy id (Databricks CLI reference,
 * `account workspace-network-configuration update-workspace-network-option-rpc`; the SDK sends
 * `PUT /api/2.0/accounts/{account}/workspaces/{id}/network`, databricks-sdk-go service/settings
 * `UpdateWorkspaceNetworkOptionRpc`). This resource depends on the policy and on the option, so
 * Pulumi deletes it — and re-points the workspace — before either.
 *
 * Serialized by closure like ruleVpcEndpointProvider.ts: only node globals and local modules.
 * Credentials are read when delete runs (environment first, then the stack config), never stored.
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  bearerSource,
  credentialValuesFromConfig,
  credentialValuesFromEnv,
  DatabricksHttpError,
  DEFAULT_NETWORK_POLICY_ID,
  requestJson,
  resolveCredentials,
  trimHost,
  type CredentialValues,
} from "./accountApi";

export interface PolicyRestoreInputs {
  readonly accountHost: string;
  readonly accountId: string;
  /** Numeric workspace id, as a string (16 digits do not fit a JavaScript number exactly). */
  readonly workspaceId: string;
  /** Our policy: the workspace is re-pointed only while it still uses this one. */
  readonly networkPolicyId: string;
}

/** What delete did, for logs and tests. */
export type RestoreOutcome = "re-pointed" | "left: uses another policy" | "left: workspace gone";

const stackCredentials: { values?: CredentialValues } = {};

/** `PUT …/workspaces/{id}/network` body: the id's digits written as they are. */
export function restoreBody(workspaceId: string): string {
  if (!/^\d+$/.test(workspaceId)) throw new Error(`not a numeric workspace id: ${workspaceId}`);
  return `{"workspace_id":${workspaceId},"network_policy_id":${JSON.stringify(DEFAULT_NETWORK_POLICY_ID)}}`;
}

/**
 * Points the workspace back to `default-policy` when it still uses ours; a workspace someone moved to
 * another policy meanwhile is left alone, and one that no longer exists needs nothing.
 */
export async function restoreDefaultPolicy(
  inputs: PolicyRestoreInputs,
  credentials: CredentialValues | undefined,
  timeoutMs = 30_000,
): Promise<RestoreOutcome> {
  const resolved = resolveCredentials(
    [credentialValuesFromEnv(), credentials],
    " of the `pulumi` process, or the stack config secrets databricks:clientId and databricks:clientSecret",
  );
  const host = trimHost(inputs.accountHost);
  const auth = bearerSource(host, resolved, inputs.accountId, timeoutMs);
  const url = `${host}/api/2.0/accounts/${encodeURIComponent(inputs.accountId)}/workspaces/${encodeURIComponent(inputs.workspaceId)}/network`;
  let current: unknown;
  try {
    current = await requestJson("GET", url, auth, undefined, timeoutMs);
  } catch (error) {
    if (error instanceof DatabricksHttpError && error.status === 404) return "left: workspace gone";
    throw error;
  }
  const policy = (current as { network_policy_id?: unknown }).network_policy_id;
  if (typeof policy === "string" && policy !== "" && policy !== inputs.networkPolicyId)
    return "left: uses another policy";
  await requestJson("PUT", url, auth, restoreBody(inputs.workspaceId), timeoutMs);
  return "re-pointed";
}

function stateOf(inputs: PolicyRestoreInputs): PolicyRestoreInputs {
  const { accountHost, accountId, workspaceId, networkPolicyId } = inputs;
  return { accountHost, accountId, workspaceId, networkPolicyId };
}

export const policyRestoreProvider: pulumi.dynamic.ResourceProvider<PolicyRestoreInputs, PolicyRestoreInputs> = {
  async configure(request) {
    stackCredentials.values = credentialValuesFromConfig(request.config);
  },

  /** Nothing to do until delete: the attachment itself is `WorkspaceNetworkOption`'s. */
  async create(inputs) {
    return { id: `${inputs.accountId}/${inputs.workspaceId}`, outs: stateOf(inputs) };
  },

  /**
   * Never a replacement: replacing would run delete, and re-point a workspace our (possibly renamed)
   * policy should stay attached to. The workspace id is part of the resource's name, so another
   * workspace is another resource.
   */
  async diff(_id, olds, news) {
    const changes = (Object.keys(stateOf(news)) as (keyof PolicyRestoreInputs)[]).some((k) => olds[k] !== news[k]);
    return { changes, replaces: [], deleteBeforeReplace: false };
  },

  async update(_id, _olds, news) {
    return { outs: stateOf(news) };
  },

  async delete(_id, props) {
    await restoreDefaultPolicy(props, stackCredentials.values);
  },
};
