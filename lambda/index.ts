import { setTimeout as sleep } from "node:timers/promises";
import type { Context } from "aws-lambda";
import { awsCalls } from "./aws";
import { type LaunchOutcome, type LaunchPorts, settleLaunch } from "./launch";
import { ASSIGNMENT_POLICY, type AssignmentPolicy } from "./decisions";
import { type LifecycleAction, type LifecycleEvent, classifyEvent } from "./lifecycleEvent";
import { flushMetrics, logger, recordFailure, recordIgnored, recordOutcome } from "./observability";
import { readSettings } from "./settings";

export type { LifecycleEvent } from "./lifecycleEvent";

export type HandlerResult = LaunchOutcome | { outcome: "ignored"; reason: string };

/**
 * Builds the handler over its ports; production wires the SDK calls, tests may swap the clock (and the
 * benchmark the retry policy, to measure the one this handler had before).
 * Parses and routes only: what to ignore, how to assign and what to log live in their own modules.
 * Throws (so the async invoke retries) on anything it cannot settle; the hook's default ABANDON covers
 * the case where every retry fails.
 */
export function createHandler(
  ports: LaunchPorts,
  policy: AssignmentPolicy = ASSIGNMENT_POLICY,
): (event: LifecycleEvent, context?: Context) => Promise<HandlerResult> {
  return async (event, context) => {
    let action: LifecycleAction | undefined;
    // Adds the request id and function name to every log line of this invocation.
    if (context) logger.addContext(context);
    try {
      const settings = readSettings(process.env);
      const classification = classifyEvent(event, settings);
      if (classification.kind === "ignore") {
        recordIgnored(classification.reason, event.id);
        return { outcome: "ignored", reason: classification.reason };
      }
      action = classification.action;
      const outcome = await settleLaunch(action, settings.eipTagKey, ports, policy);
      recordOutcome(outcome);
      return outcome;
    } catch (error) {
      recordFailure(action, error);
      throw error;
    } finally {
      flushMetrics();
    }
  };
}

export const handler = createHandler({ ...awsCalls, sleep: (ms) => sleep(ms), random: Math.random });
