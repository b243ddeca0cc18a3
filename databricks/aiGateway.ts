/**
 * The serving endpoint's AI Gateway settings and query permissions, as plain values from the config
 * (docs/serving-access.md). Shapes: @pulumi/databricks 1.110 `ModelServingAiGateway` and
 * `PermissionsAccessControl`; behaviour: https://docs.databricks.com/aws/en/ai-gateway/configure-ai-gateway-endpoints
 * and .../ai-gateway/rate-limits-beta (at most 20 rate limits per endpoint; limits apply only to
 * principals that may query it; an endpoint limit caps all traffic whatever the per-user ones say).
 */

/** The only renewal period the API accepts. */
export const RATE_LIMIT_PERIOD = "minute";
/** What a query group is granted: call the endpoint, not change it. */
export const QUERY_PERMISSION = "CAN_QUERY";

/** One AI Gateway rate limit per minute; an absent field sets no limit of that kind. */
export interface RateLimitConfig {
  readonly tokensPerMinute?: number;
  readonly callsPerMinute?: number;
}

export interface ServingRateLimits {
  /** Every querying user (and service principal) on its own. */
  readonly user: RateLimitConfig;
  /** All traffic to the endpoint together. */
  readonly endpoint: RateLimitConfig;
}

export interface InferenceTableConfig {
  readonly catalog: string;
  readonly schema: string;
  /** @default the endpoint's name (Databricks' own default) */
  readonly tableNamePrefix?: string;
}

export interface AiGatewaySettings {
  readonly rateLimits: ServingRateLimits;
  readonly usageTracking: boolean;
  readonly inferenceTable?: InferenceTableConfig;
}

export interface RateLimitEntry {
  readonly key: "user" | "endpoint";
  readonly renewalPeriod: typeof RATE_LIMIT_PERIOD;
  readonly tokens?: number;
  readonly calls?: number;
}

/** One entry per key and kind (calls, tokens): the stricter of the two applies when both are set. */
function entries(key: RateLimitEntry["key"], limit: RateLimitConfig): RateLimitEntry[] {
  return [
    ...(limit.tokensPerMinute
      ? [{ key, renewalPeriod: RATE_LIMIT_PERIOD, tokens: limit.tokensPerMinute } as const]
      : []),
    ...(limit.callsPerMinute ? [{ key, renewalPeriod: RATE_LIMIT_PERIOD, calls: limit.callsPerMinute } as const] : []),
  ];
}

/** The endpoint's `aiGateway` input. */
export function aiGatewayInput(settings: AiGatewaySettings) {
  const table = settings.inferenceTable;
  return {
    usageTrackingConfig: { enabled: settings.usageTracking },
    rateLimits: [...entries("endpoint", settings.rateLimits.endpoint), ...entries("user", settings.rateLimits.user)],
    ...(table
      ? {
          inferenceTableConfig: {
            enabled: true,
            catalogName: table.catalog,
            schemaName: table.schema,
            ...(table.tableNamePrefix ? { tableNamePrefix: table.tableNamePrefix } : {}),
          },
        }
      : {}),
  };
}

/** The endpoint's access control list: CAN_QUERY for each group (admins and the creator keep CAN_MANAGE). */
export function queryAccessControls(groups: readonly string[]) {
  return groups.map((groupName) => ({ groupName, permissionLevel: QUERY_PERMISSION }));
}
