import type { Context, SNSEvent, ScheduledEvent } from "aws-lambda";
import { awsCalls } from "./aws";
import { flushMetrics, logger, recordFailure, recordJudgements } from "./observability";
import { type JudgedConnection, type ReconcilePorts, reconcile } from "./reconcile";
import { readSettings } from "./settings";

/** A connection notification through SNS, or the schedule's re-check: both only trigger a reconcile. */
export type RejecterEvent = SNSEvent | ScheduledEvent;

/**
 * Builds the handler over its ports (tests may swap the clock). The event's content is only logged:
 * what is pending is read from EC2, so a late, repeated or lost notification changes nothing.
 */
export function createHandler(
  ports: ReconcilePorts,
): (event: RejecterEvent, context?: Context) => Promise<JudgedConnection[]> {
  return async (event, context) => {
    if (context) logger.addContext(context);
    try {
      const settings = readSettings(process.env);
      logger.info("reconciling pending connections", {
        serviceId: settings.serviceId,
        trigger: describeTrigger(event),
      });
      const judged = await reconcile(settings, ports);
      recordJudgements(settings.serviceId, judged);
      return judged;
    } catch (error) {
      recordFailure(error);
      throw error;
    } finally {
      flushMetrics();
    }
  };
}

function describeTrigger(event: RejecterEvent): string {
  if ("Records" in event && Array.isArray(event.Records)) {
    return `sns: ${event.Records.map((r) => r.Sns?.Message ?? "")
      .join(" | ")
      .slice(0, 1000)}`;
  }
  return `schedule ${(event as ScheduledEvent).time ?? ""}`.trim();
}

export const handler = createHandler({ ...awsCalls, now: () => new Date() });
