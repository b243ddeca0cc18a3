/**
 * Reads `dbx-aoai-link:databricks`: the account, its workspaces and shard, and (each in its own reader)
 * the network policy, the serving endpoint and adopted account objects. Pure.
 */
import { type DatabricksShard, databricksRegionFacts, defaultShardFor, knownRegions } from "../databricks/regions";
import { readExistingDatabricks } from "./existingDatabricks";
import { type IssueCollector, quoteFix } from "./issues";
import { configKey, DATABRICKS_KEYS } from "./keys";
import { readNetworkPolicy } from "./networkPolicy";
import { NUMERIC_ID, UUID } from "./patterns";
import { readServingEndpoint } from "./servingEndpoint";
import type { AzureAccountConfig, DatabricksConfig } from "./types";

const SHARDS: readonly DatabricksShard[] = ["commercial", "govcloud", "govcloud-dod"];

export function readDatabricks(
  c: IssueCollector,
  value: unknown,
  awsRegion: string | undefined,
  accounts: readonly AzureAccountConfig[] | undefined,
): DatabricksConfig | undefined {
  const o = c.object(configKey("databricks"), value, true);
  if (!o) return undefined;
  c.unknownKeys(configKey("databricks"), o, DATABRICKS_KEYS);
  const accountId = c.string(configKey("databricks", "accountId"), o.accountId, {
    required: true,
    pattern: UUID,
    describe: "a Databricks account id (a UUID)",
    fix: "copy the account id from the account console (top right menu), e.g. 0d26daa6-5e44-4c97-a497-ef015f91254a",
  });
  const workspaceIds = readWorkspaceIds(c, o.workspaceIds);

  // The default shard is a rule of the region; without a valid region there is none (aws:region is reported).
  const shardValue = c.string(configKey("databricks", "shard"), o.shard, {
    default: awsRegion ? defaultShardFor(awsRegion) : undefined,
  });
  let shard: DatabricksShard | undefined;
  if (shardValue && !(SHARDS as readonly string[]).includes(shardValue)) {
    c.add(
      configKey("databricks", "shard"),
      shardValue,
      "is not a known Databricks shard",
      `use one of ${SHARDS.join(", ")}`,
    );
  } else {
    shard = shardValue as DatabricksShard | undefined;
  }
  const facts = awsRegion && shard ? databricksRegionFacts(awsRegion, shard) : undefined;
  if (awsRegion && shard && !facts) {
    c.add(
      "aws:region",
      awsRegion,
      `is not a region where the Databricks serverless principal is known for the ${shard} shard`,
      `use one of ${knownRegions(shard).join(", ")}, or add the region to databricks/regions.ts`,
    );
  }
  const accountHost = c.string(configKey("databricks", "accountHost"), o.accountHost, {
    default: facts?.accountHost,
    pattern: /^https:\/\/[a-z0-9.-]+$/i,
    describe: "an https URL without a path",
  });
  const networkPolicy = readNetworkPolicy(c, o.networkPolicy, facts?.networkPolicyIngress ?? true);
  const servingEndpoint = readServingEndpoint(c, o.servingEndpoint, accounts, workspaceIds);
  const existing = readExistingDatabricks(c, o);
  if (!accountId || !workspaceIds || !shard || !accountHost || !networkPolicy || servingEndpoint === null || !existing)
    return undefined;
  return {
    accountId,
    workspaceIds,
    shard,
    accountHost,
    networkPolicy,
    ...(servingEndpoint ? { servingEndpoint } : {}),
    ...existing,
  };
}

function readWorkspaceIds(c: IssueCollector, value: unknown): string[] | undefined {
  const key = configKey("databricks", "workspaceIds");
  const list = c.array(key, value, { required: true });
  if (!list) return undefined;
  if (list.length === 0) {
    c.add(
      key,
      list,
      "needs at least one workspace id",
      "list the numeric ids of the workspaces to attach, as quoted strings",
    );
    return undefined;
  }
  const ids: string[] = [];
  list.forEach((id, i) => {
    if (typeof id === "number") {
      c.add(
        `${key}[${i}]`,
        id,
        "must be a quoted string (ids above 2^53 lose digits as YAML numbers)",
        quoteFix(`${key}[${i}]`, id),
      );
    } else if (typeof id !== "string" || !NUMERIC_ID.test(id)) {
      c.add(
        `${key}[${i}]`,
        id,
        "is not a numeric workspace id",
        'copy the number after /o= in the workspace URL, e.g. "1234567890123456"',
      );
    } else if (ids.includes(id)) {
      c.add(`${key}[${i}]`, id, "is listed twice", "list each workspace once");
    } else {
      ids.push(id);
    }
  });
  return ids.length === list.length ? ids : undefined;
}
