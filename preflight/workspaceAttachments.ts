/**
 * Preflight: binding our NCC or attaching our network policy must not silently replace a different one.
 * A workspace holds one NCC and one network policy; `MwsNccBinding` and `WorkspaceNetworkOption` swap
 * them, and their delete is a no-op, so a `pulumi destroy` would not give the old ones back. Pure.
 */
import type { PreflightDescriptor, PreflightProblem } from "./check";
import { PROJECT } from "../config/types";
import { DEFAULT_NETWORK_POLICY_ID } from "../databricks/accountApi";

export interface WorkspaceAttachment {
  readonly workspaceId: string;
  /** `network_connectivity_config_id` of the workspace (absent when none is bound). */
  readonly nccId?: string;
  /** The bound NCC's name, when one is bound. */
  readonly nccName?: string;
  /** `network_policy_id` of the workspace's network option (absent: `default-policy`). */
  readonly networkPolicyId?: string;
}

export interface WorkspaceAttachmentFacts {
  readonly workspaces: readonly WorkspaceAttachment[];
  /** The NCC the program creates (its name), or the adopted one (`databricks.existingNccId`). */
  readonly ours: {
    readonly nccName: string;
    readonly existingNccId?: string;
    readonly networkPolicyId: string;
    readonly existingNetworkPolicyId?: string;
  };
}

export const WORKSPACE_ATTACHMENTS_PREFLIGHT: PreflightDescriptor = {
  name: "workspace NCC and network policy",
  configKey: `${PROJECT}:databricks.workspaceIds`,
  reads: [
    {
      invoke: "GET /api/2.0/accounts/{account}/workspaces/{id}",
      permission: "Databricks account admin",
      what: "the NCC bound to each workspace",
    },
    {
      invoke: "GET /api/2.0/accounts/{account}/network-connectivity-configs/{id}",
      permission: "Databricks account admin",
      what: "that NCC's name",
    },
    {
      invoke: "GET /api/2.0/accounts/{account}/workspaces/{id}/network",
      permission: "Databricks account admin",
      what: "the network policy of each workspace",
    },
  ],
};

export function checkWorkspaceAttachments(facts: WorkspaceAttachmentFacts): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  const { ours } = facts;
  facts.workspaces.forEach((w) => {
    const key = `${PROJECT}:databricks.workspaceIds`;
    // With databricks.existingNccId the program binds nothing, so no binding can replace anything.
    if (!ours.existingNccId && w.nccId && w.nccName !== ours.nccName) {
      problems.push({
        key,
        value: w.workspaceId,
        problem:
          `workspace ${w.workspaceId} is bound to NCC ${JSON.stringify(w.nccName ?? "?")} (${w.nccId}); binding ours (${ours.nccName}) would replace it, ` +
          "and destroy would not restore it",
        fix:
          `to add our private endpoint rule to that NCC instead, set databricks.existingNccId: ${w.nccId}; ` +
          "or unbind it in the account console first if it is no longer needed",
      });
    }
    const policy = w.networkPolicyId ?? DEFAULT_NETWORK_POLICY_ID;
    if (!ours.existingNetworkPolicyId && policy !== DEFAULT_NETWORK_POLICY_ID && policy !== ours.networkPolicyId) {
      problems.push({
        key,
        value: w.workspaceId,
        problem: `workspace ${w.workspaceId} uses network policy ${JSON.stringify(policy)}; attaching ours (${ours.networkPolicyId}) would replace it`,
        fix:
          `to keep that policy, set databricks.existingNetworkPolicyId: ${policy} (its owner then allows our FQDN); ` +
          `or point the workspace back to ${DEFAULT_NETWORK_POLICY_ID} first`,
      });
    }
  });
  return problems;
}
