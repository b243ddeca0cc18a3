/** Reads `databricks.servingEndpoint`: the optional Databricks external-model serving endpoint. Pure. */
import type { IssueCollector } from "./issues";
import { ASSIGN_PRINCIPAL_KEYS, configKey, SERVING_ENDPOINT_KEYS } from "./keys";
import { NUMERIC_ID } from "./patterns";
import { readServingAccess } from "./servingAccess";
import { resolveServedDeployment } from "./azureAccounts";
import type { AzureAccountConfig, ServingEndpointConfig } from "./types";

const SERVING_ENDPOINT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** undefined: not configured (fine); null: configured but invalid. */
export function readServingEndpoint(
  c: IssueCollector,
  value: unknown,
  accounts: readonly AzureAccountConfig[] | undefined,
  workspaceIds: readonly string[] | undefined,
): ServingEndpointConfig | undefined | null {
  if (value === undefined || value === null) return undefined;
  const key = configKey("databricks", "servingEndpoint");
  const o = c.object(key, value, true);
  if (!o) return null;
  c.unknownKeys(key, o, SERVING_ENDPOINT_KEYS);
  const workspaceUrl = c.string(`${key}.workspaceUrl`, o.workspaceUrl, {
    required: true,
    pattern: /^https:\/\/[a-z0-9.-]+\/?$/i,
    describe: "the workspace URL (https://<host>, no path)",
    fix: "copy the workspace URL, e.g. https://dbc-1234abcd-5678.cloud.databricks.com",
  });
  const name = c.string(`${key}.name`, o.name, {
    required: true,
    pattern: SERVING_ENDPOINT_NAME,
    describe: "a serving endpoint name (letters, digits, - and _, at most 63)",
  });
  const deployment = c.string(`${key}.deployment`, o.deployment, {
    required: true,
    describe: "the name of one of azure.deployments",
  });
  const account = c.string(`${key}.account`, o.account, { describe: "the name of one of azure.accounts" });
  const served = deployment && accounts ? resolveServedDeployment(c, key, deployment, account, accounts) : undefined;
  if (deployment && accounts && !served) return null;
  const assign = readAssignPrincipal(c, `${key}.assignPrincipal`, o.assignPrincipal, workspaceIds);
  const access = readServingAccess(c, key, o, served?.deployment);
  if (!workspaceUrl || !name || !deployment || !served || assign === null || !access) return null;
  return {
    workspaceUrl: workspaceUrl.replace(/\/$/, ""),
    name,
    deployment,
    account: served.account.name,
    ...(assign ? { assignPrincipal: assign } : {}),
    ...access,
  };
}

/** undefined: not asked for; null: invalid. */
function readAssignPrincipal(
  c: IssueCollector,
  key: string,
  value: unknown,
  workspaceIds: readonly string[] | undefined,
): ServingEndpointConfig["assignPrincipal"] | null {
  if (value === undefined || value === null) return undefined;
  const o = c.object(key, value, true);
  if (!o) return null;
  c.unknownKeys(key, o, ASSIGN_PRINCIPAL_KEYS);
  const principalId = c.string(`${key}.principalId`, o.principalId, {
    required: true,
    pattern: NUMERIC_ID,
    describe: "the service principal's numeric account-level id",
    fix: "copy the id from the account console (User management → Service principals → the principal), as a quoted string",
  });
  const workspaceId = c.string(`${key}.workspaceId`, o.workspaceId, {
    required: true,
    describe: "the serving workspace's numeric id",
  });
  if (workspaceId && workspaceIds && !workspaceIds.includes(workspaceId)) {
    c.add(
      `${key}.workspaceId`,
      workspaceId,
      "is not one of databricks.workspaceIds",
      `use the serving workspace's id, one of ${workspaceIds.join(", ")}`,
    );
    return null;
  }
  return principalId && workspaceId ? { principalId, workspaceId } : null;
}
