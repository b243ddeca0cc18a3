import { Logger } from "@aws-lambda-powertools/logger";
import { MetricUnit, Metrics } from "@aws-lambda-powertools/metrics";
import { ENV_VARS, METRIC_NAMESPACE_DEFAULT, METRIC_NAMES, SERVICE_NAME_DEFAULT } from "./contract";
import type { JudgedConnection } from "./reconcile";

const serviceName = process.env[ENV_VARS.POWERTOOLS_SERVICE_NAME] || SERVICE_NAME_DEFAULT;

/** Created once per container; keys are passed per call. */
export const logger = new Logger({ serviceName });

/** EMF on stdout, dimension `service` only (see contract.ts). */
export const metrics = new Metrics({
  namespace: process.env[ENV_VARS.POWERTOOLS_METRICS_NAMESPACE] || METRIC_NAMESPACE_DEFAULT,
  serviceName,
});

/** One log line per judged request; a rejection is the WARN an operator looks for. */
export function recordJudgements(serviceId: string, judged: JudgedConnection[]): void {
  for (const c of judged) {
    const about = {
      serviceId,
      vpcEndpointId: c.vpcEndpointId,
      vpcEndpointOwner: c.vpcEndpointOwner,
      createdAt: c.createdAt?.toISOString(),
      ...c.verdict,
    };
    if (c.verdict.action === "keep") {
      logger.info("pending request is our rule's endpoint: left for the program to accept", about);
    } else if (c.verdict.action === "wait") {
      metrics.addMetric(METRIC_NAMES.ConnectionLeftPending, MetricUnit.Count, 1);
      logger.info("foreign pending request left for now: judged again after the window", about);
    } else if (c.rejection === "rejected") {
      metrics.addMetric(METRIC_NAMES.ConnectionRejected, MetricUnit.Count, 1);
      logger.warn("foreign connection request rejected", about);
    } else {
      logger.warn("foreign connection request not rejected by EC2 (no longer pending?)", {
        ...about,
        code: c.rejection?.notRejected,
      });
    }
  }
}

export function recordFailure(error: unknown): void {
  metrics.addMetric(METRIC_NAMES.ReconcileFailed, MetricUnit.Count, 1);
  logger.error("reconciling pending connections failed: the invocation throws and will be retried", {
    error: error instanceof Error ? error : String(error),
  });
}

export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
