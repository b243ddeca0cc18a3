/**
 * The names the connection rejecter shares with its Pulumi wiring (aws/connectionRejecter.ts):
 * environment variables, metrics, timing defaults. The program imports this file, so it imports nothing.
 */

/** Environment variables the function reads. */
export const ENV_VARS = {
  /** Required. The endpoint service (`vpce-svc-…`) whose pending connections are judged. */
  SERVICE_ID: "SERVICE_ID",
  /** Required. SSM parameter holding our rule's VPC endpoint id(s), written by the program from the rule waiter. */
  OUR_ENDPOINT_PARAMETER: "OUR_ENDPOINT_PARAMETER",
  /** Seconds a request of another endpoint stays pending before it is rejected (see REJECTION_TIMING). */
  SETTLE_SECONDS: "SETTLE_SECONDS",
  /** Seconds a request may stay pending while no id is recorded at all. */
  GRACE_SECONDS: "GRACE_SECONDS",
  POWERTOOLS_SERVICE_NAME: "POWERTOOLS_SERVICE_NAME",
  POWERTOOLS_METRICS_NAMESPACE: "POWERTOOLS_METRICS_NAMESPACE",
} as const;

export const SERVICE_NAME_DEFAULT = "connection-rejecter";
export const METRIC_NAMESPACE_DEFAULT = "DbxAoaiLink/ConnectionRejecter";

/**
 * Metrics in Embedded Metric Format, dimension `service` only (as the EIP assigner's): an alarm names
 * the namespace, the metric and `service = <POWERTOOLS_SERVICE_NAME>`.
 */
export const METRIC_NAMES = {
  /** A foreign endpoint's request was rejected. Someone else asked to reach our proxies: alarm on this. */
  ConnectionRejected: "ConnectionRejected",
  /** A foreign request is left pending for now (inside the settle or grace window). */
  ConnectionLeftPending: "ConnectionLeftPending",
  /** The invocation threw; the async invoke (SNS) or the next schedule retries. */
  ReconcileFailed: "ReconcileFailed",
} as const;

/**
 * Why two windows. `settle`: when the rule is replaced, Databricks' new endpoint asks to connect while
 * the parameter still holds the old id, for as long as the rule waiter needs (at most 10 minutes,
 * databricks/rulePoller.ts) before the program records and accepts it; a request younger than that is
 * never rejected. `grace`: before the first deployment has recorded any id, nothing tells ours from
 * theirs; only requests older than a day (Databricks expires unaccepted rules after 14 days) are rejected.
 */
export const REJECTION_TIMING = {
  settleSeconds: 30 * 60,
  graceSeconds: 24 * 3600,
} as const;

/** How often the schedule re-judges requests that were too young when their notification arrived. */
export const RECHECK_SCHEDULE = "rate(15 minutes)";

/** Connection event that makes the endpoint service notify the topic. */
export const CONNECT_EVENT = "Connect";

export const FUNCTION_TIMEOUT_SECONDS = 60;
