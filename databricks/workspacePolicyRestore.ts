/**
 * `WorkspacePolicyRestore`: one per workspace our network policy is attached to. It does nothing until
 * it is deleted — by `pulumi destroy`, or when a workspace leaves `databricks.workspaceIds` — and then
 * points the workspace back to `default-policy` (databricks/policyRestoreProvider.ts). It depends on the
 * policy and on the workspace's `WorkspaceNetworkOption`, so Pulumi deletes it first: the workspace is
 * re-pointed before our policy is deleted, instead of being left attached to a policy that is gone.
 */
import * as pulumi from "@pulumi/pulumi";
import { policyRestoreProvider } from "./policyRestoreProvider";

/** Module and type given to `pulumi.dynamic.Resource` (part of the URN: never rename). */
export const POLICY_RESTORE_MODULE = "databricks";
export const POLICY_RESTORE_TYPE_NAME = "WorkspacePolicyRestore";
export const POLICY_RESTORE_TYPE = `pulumi-nodejs:dynamic/${POLICY_RESTORE_MODULE}:${POLICY_RESTORE_TYPE_NAME}`;

export interface WorkspacePolicyRestoreArgs {
  readonly accountHost: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
  readonly workspaceId: pulumi.Input<string>;
  /** Our policy's id: the workspace is re-pointed only while it still uses this one. */
  readonly networkPolicyId: pulumi.Input<string>;
}

export class WorkspacePolicyRestore extends pulumi.dynamic.Resource {
  declare public readonly workspaceId: pulumi.Output<string>;

  /** `opts.dependsOn` must hold the policy and the workspace's network option (what it outlives). */
  constructor(name: string, args: WorkspacePolicyRestoreArgs, opts: pulumi.CustomResourceOptions) {
    super(policyRestoreProvider, name, { ...args }, opts, POLICY_RESTORE_MODULE, POLICY_RESTORE_TYPE_NAME);
  }
}
