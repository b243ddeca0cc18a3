/**
 * Reads the workspace attachment preflight's facts from the Databricks account API (the client of
 * databricks/accountApi.ts). The host and `fetch` target are injectable: tests answer from 127.0.0.1
 * (test/support/fakeDatabricks.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import {
  bearerSource,
  credentialValuesFromEnv,
  type DatabricksCredentials,
  requestJson,
  resolveCredentials,
  trimHost,
} from "../databricks/accountApi";
import {
  WORKSPACE_ATTACHMENTS_PREFLIGHT,
  type WorkspaceAttachment,
  type WorkspaceAttachmentFacts,
} from "./workspaceAttachments";

export interface WorkspaceAttachmentReadArgs {
  readonly host: string;
  readonly accountId: string;
  readonly credentials: DatabricksCredentials;
  readonly workspaceIds: readonly string[];
  readonly timeoutMs?: number;
}

const str = (o: unknown, key: string): string | undefined => {
  const v = typeof o === "object" && o !== null ? (o as Record<string, unknown>)[key] : undefined;
  return typeof v === "string" && v.length > 0 ? v : undefined;
};

export async function readWorkspaceAttachments(args: WorkspaceAttachmentReadArgs): Promise<WorkspaceAttachment[]> {
  const host = trimHost(args.host);
  const auth = bearerSource(host, args.credentials, args.accountId, args.timeoutMs ?? 30_000);
  const account = `${host}/api/2.0/accounts/${encodeURIComponent(args.accountId)}`;
  const get = (path: string) => requestJson("GET", `${account}${path}`, auth, undefined, args.timeoutMs ?? 30_000);
  return Promise.all(
    args.workspaceIds.map(async (workspaceId) => {
      const ws = `/workspaces/${encodeURIComponent(workspaceId)}`;
      const [workspace, network] = await Promise.all([get(ws), get(`${ws}/network`)]);
      const nccId = str(workspace, "network_connectivity_config_id");
      const nccName = nccId
        ? str(await get(`/network-connectivity-configs/${encodeURIComponent(nccId)}`), "name")
        : undefined;
      const networkPolicyId = str(network, "network_policy_id");
      return {
        workspaceId,
        ...(nccId ? { nccId } : {}),
        ...(nccName ? { nccName } : {}),
        ...(networkPolicyId ? { networkPolicyId } : {}),
      };
    }),
  );
}

/**
 * The facts for the program: read with the credentials the Databricks providers use (stack config
 * `databricks:clientId`/`clientSecret`/`token`, else the environment). Undefined (check skipped, with a
 * warning) when there are none, as in the offline plan, or when the API cannot be read.
 */
export function workspaceAttachmentFacts(args: {
  host: string;
  accountId: string;
  workspaceIds: readonly string[];
  ours: WorkspaceAttachmentFacts["ours"];
}): pulumi.Output<WorkspaceAttachmentFacts | undefined> {
  const config = new pulumi.Config("databricks");
  const fromConfig = pulumi
    .all([config.getSecret("clientSecret"), config.getSecret("token")])
    .apply(([clientSecret, token]) => ({ clientId: config.get("clientId"), clientSecret, token }));
  return fromConfig.apply(async (values) => {
    let credentials: DatabricksCredentials;
    try {
      credentials = resolveCredentials([values, credentialValuesFromEnv()]);
    } catch {
      return undefined;
    }
    try {
      const workspaces = await readWorkspaceAttachments({
        host: args.host,
        accountId: args.accountId,
        credentials,
        workspaceIds: args.workspaceIds,
      });
      return { workspaces, ours: args.ours };
    } catch (error) {
      void pulumi.log.warn(
        `Preflight "${WORKSPACE_ATTACHMENTS_PREFLIGHT.name}" skipped: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
  });
}
