import { Logger } from "@aws-lambda-powertools/logger";
import { MetricUnit, Metrics } from "@aws-lambda-powertools/metrics";
import { ENV_VARS, METRIC_NAMESPACE_DEFAULT, METRIC_NAMES, SERVICE_NAME_DEFAULT } from "./contract";
import type { LaunchOutcome } from "./launch";
import type { LifecycleAction } from "./lifecycleEvent";

const serviceName = process.env[ENV_VARS.POWERTOOLS_SERVICE_NAME] || SERVICE_NAME_DEFAULT;

/** Created once per container. Keys are passed per call, never appended, so nothing leaks between events. */
export const logger = new Logger({ serviceName });

/**
 * Embedded Metric Format on stdout. The only dimension is Powertools' default `service`: no other is
 * added, so an alarm on (namespace, metric, service) sees every data point (see contract.ts).
 */
export const metrics = new Metrics({
  namespace: process.env[ENV_VARS.POWERTOOLS_METRICS_NAMESPACE] || METRIC_NAMESPACE_DEFAULT,
  serviceName,
});

type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

const OUTCOME_METRIC: Record<LaunchOutcome["outcome"], MetricName> = {
  assigned: METRIC_NAMES.EipAssigned,
  "already-held": METRIC_NAMES.EipAlreadyHeld,
  "pool-exhausted": METRIC_NAMES.PoolExhausted,
  "instance-gone": METRIC_NAMES.InstanceGone,
  // The action is no longer open, as when CompleteLifecycleAction finds none.
  "launch-ended": METRIC_NAMES.ActionAlreadyCompleted,
};

/** One log line and one metric per settled launch; the pool running dry is the one ERROR. */
export function recordOutcome(outcome: LaunchOutcome): void {
  addCount(OUTCOME_METRIC[outcome.outcome]);
  if (outcome.completion === "already-completed") addCount(METRIC_NAMES.ActionAlreadyCompleted);

  if (outcome.outcome === "pool-exhausted") {
    logger.error("EIP pool exhausted: launch abandoned", { ...outcome });
  } else if (
    outcome.outcome === "instance-gone" ||
    outcome.outcome === "launch-ended" ||
    outcome.completion === "already-completed"
  ) {
    logger.warn(describe(outcome), { ...outcome });
  } else {
    logger.info(describe(outcome), { ...outcome });
  }
}

/** The invocation is about to throw: say which launch and why before the async invoke retries it. */
export function recordFailure(action: LifecycleAction | undefined, error: unknown): void {
  addCount(METRIC_NAMES.AssignmentFailed);
  logger.error("EIP assignment failed: the invocation throws and will be retried", {
    outcome: "failed",
    instanceId: action?.instanceId,
    autoScalingGroupName: action?.autoScalingGroupName,
    error: error instanceof Error ? error : String(error),
  });
}

export function recordIgnored(reason: string, eventId: string | undefined): void {
  logger.info("event ignored: not this group's launch lifecycle action", { outcome: "ignored", reason, eventId });
}

/** Writes the stored metrics (if any, so ignored events do not trigger Powertools' empty warning). */
export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

function addCount(name: MetricName): void {
  metrics.addMetric(name, MetricUnit.Count, 1);
}

function describe(outcome: LaunchOutcome): string {
  switch (outcome.outcome) {
    case "assigned":
      return "EIP assigned: launch continues";
    case "already-held":
      return "instance already holds a pool EIP: launch continues";
    case "instance-gone":
      return "instance unknown to EC2 after the whole wait: launch abandoned";
    case "pool-exhausted":
      return "EIP pool exhausted: launch abandoned";
    case "launch-ended":
      return "instance never became associable and its launch is already over (another hook abandoned it, or it timed out)";
  }
}
