/**
 * Reads who may call the serving endpoint and how much: `databricks.servingEndpoint.queryGroups`,
 * `.rateLimits`, `.usageTracking` and `.inferenceTable` (docs/serving-access.md).
 */
import { CONFIG_DEFAULTS } from "./defaults";
import type { IssueCollector } from "./issues";
import { INFERENCE_TABLE_KEYS, RATE_LIMIT_KEYS, RATE_LIMITS_KEYS } from "./keys";
import type {
  InferenceTableConfig,
  ModelDeploymentConfig,
  RateLimitConfig,
  ServingEndpointConfig,
  ServingRateLimits,
} from "./types";

/** The fields this reader owns inside `databricks.servingEndpoint` (their keys: config/keys.ts). */
export type ServingAccess = Pick<
  ServingEndpointConfig,
  "queryGroups" | "rateLimits" | "usageTracking" | "inferenceTable"
>;

/** Share of the deployment's tokens per minute one user may take by default: four busy users fill it. */
export const DEFAULT_USER_TOKEN_SHARE = 0.25;

/**
 * The deployment's quota in tokens per minute, when its SKU counts capacity in thousands of tokens per
 * minute. Provisioned SKUs count PTUs and batch SKUs have no per-minute quota: undefined.
 */
export function deploymentTokensPerMinute(deployment: Pick<ModelDeploymentConfig, "sku" | "capacity">) {
  return /Provisioned|Batch/.test(deployment.sku) ? undefined : deployment.capacity * 1000;
}

/** Each user's default token limit: a quarter of what the endpoint may use (or of the quota when unlimited). */
export function defaultUserTokens(endpointTokens: number | undefined, quota: number | undefined): number | undefined {
  const whole = endpointTokens ?? quota;
  return whole === undefined ? undefined : Math.max(1, Math.floor(whole * DEFAULT_USER_TOKEN_SHARE));
}

/**
 * Unity Catalog names: at most 255 characters, no period, space, forward slash or control character
 * (https://docs.databricks.com/aws/en/sql/language-manual/sql-ref-names.html).
 */
const UC_NAME = /^[^./\s\p{Cc}]{1,255}$/u;

/** undefined when invalid. `deployment` is the one the endpoint serves, when known. */
export function readServingAccess(
  c: IssueCollector,
  key: string,
  o: Record<string, unknown>,
  deployment: ModelDeploymentConfig | undefined,
): ServingAccess | undefined {
  const before = c.issues.length;
  const queryGroups = readGroups(c, `${key}.queryGroups`, o.queryGroups);
  const rateLimits = readRateLimits(
    c,
    `${key}.rateLimits`,
    o.rateLimits,
    deployment && deploymentTokensPerMinute(deployment),
  );
  const usageTracking = c.boolean(
    `${key}.usageTracking`,
    o.usageTracking,
    CONFIG_DEFAULTS.servingEndpoint.usageTracking,
  );
  const inferenceTable = readInferenceTable(c, `${key}.inferenceTable`, o.inferenceTable);
  if (c.issues.length > before || !queryGroups || !rateLimits || inferenceTable === null) return undefined;
  return { queryGroups, rateLimits, usageTracking, ...(inferenceTable ? { inferenceTable } : {}) };
}

function readGroups(c: IssueCollector, key: string, value: unknown): string[] | undefined {
  const list = c.array(key, value);
  if (!list) return undefined;
  const groups: string[] = [];
  list.forEach((entry, i) => {
    if (typeof entry !== "string" || entry.trim() === "") {
      c.add(
        `${key}[${i}]`,
        entry,
        "is not a group name",
        'write the workspace group\'s display name, e.g. "data-scientists"',
      );
    } else if (groups.includes(entry)) {
      c.add(`${key}[${i}]`, entry, "is listed twice", "list each group once");
    } else {
      groups.push(entry);
    }
  });
  return groups.length === list.length ? groups : undefined;
}

/** Defaults: the endpoint at the deployment's quota (`quota`), each user at a quarter of the endpoint's. */
function readRateLimits(
  c: IssueCollector,
  key: string,
  value: unknown,
  quota: number | undefined,
): ServingRateLimits | undefined {
  const o = c.object(key, value ?? {}, false);
  if (!o) return undefined;
  c.unknownKeys(key, o, RATE_LIMITS_KEYS);
  const endpoint = readRateLimit(c, `${key}.endpoint`, o.endpoint, { tokensPerMinute: quota });
  if (!endpoint) return undefined;
  const user = readRateLimit(c, `${key}.user`, o.user, {
    tokensPerMinute: defaultUserTokens(endpoint.tokensPerMinute, quota),
  });
  if (!user) return undefined;
  for (const field of ["tokensPerMinute", "callsPerMinute"] as const) {
    const mine = user[field];
    const all = endpoint[field];
    if (mine !== undefined && all !== undefined && mine > all) {
      c.add(
        `${key}.user.${field}`,
        mine,
        `is above the whole endpoint's ${field} (${all}), so it never applies`,
        `set it at most ${all}, or raise rateLimits.endpoint.${field}`,
      );
      return undefined;
    }
  }
  return { user, endpoint };
}

/** Absent fields take the default; 0 sets no limit of that kind. */
function readRateLimit(
  c: IssueCollector,
  key: string,
  value: unknown,
  defaults: RateLimitConfig,
): RateLimitConfig | undefined {
  const o = c.object(key, value ?? {}, false);
  if (!o) return undefined;
  c.unknownKeys(key, o, RATE_LIMIT_KEYS);
  const result: { tokensPerMinute?: number; callsPerMinute?: number } = {};
  for (const field of ["tokensPerMinute", "callsPerMinute"] as const) {
    if (o[field] === undefined || o[field] === null) {
      if (defaults[field] !== undefined) result[field] = defaults[field];
      continue;
    }
    const n = c.integer(`${key}.${field}`, o[field], {
      min: 0,
      fix: "write a whole number per minute, or 0 for no limit of this kind",
    });
    if (n === undefined) return undefined;
    if (n > 0) result[field] = n;
  }
  return result;
}

/** undefined: off; null: invalid. */
function readInferenceTable(c: IssueCollector, key: string, value: unknown): InferenceTableConfig | undefined | null {
  if (value === undefined || value === null) return undefined;
  const o = c.object(key, value, true);
  if (!o) return null;
  c.unknownKeys(key, o, INFERENCE_TABLE_KEYS);
  const name = (field: string, required: boolean) =>
    c.string(`${key}.${field}`, o[field], {
      required,
      pattern: UC_NAME,
      describe: "a Unity Catalog name (1-255 characters, no period, space or slash)",
      fix:
        field === "tableNamePrefix"
          ? "use a name such as aoai_chat, or remove it (the endpoint's name is the default)"
          : `name an existing ${field} the endpoint's creator may create tables in, e.g. ${field === "catalog" ? "main" : "aoai_audit"}`,
    });
  const catalog = name("catalog", true);
  const schema = name("schema", true);
  const tableNamePrefix = name("tableNamePrefix", false);
  if (!catalog || !schema || (o.tableNamePrefix !== undefined && !tableNamePrefix)) return null;
  return { catalog, schema, ...(tableNamePrefix ? { tableNamePrefix } : {}) };
}
