/**
 * `proxy.launchHookHeartbeatSeconds`: how long a launch may wait in Pending:Wait for its pool address
 * before the launch hook's default result (ABANDON) applies. Updated in place on an existing group (the
 * standalone hook in aws/launchHook.ts), so it can be tuned after creation. Pure.
 */
import type { IssueCollector } from "./issues";
import { PROJECT } from "./types";
import { FUNCTION_TIMEOUT_SECONDS } from "../lambda/contract";

export const LAUNCH_HOOK_HEARTBEAT_KEY = `${PROJECT}:proxy.launchHookHeartbeatSeconds`;

/**
 * Shortest heartbeat that outlasts the assigner's whole async sequence: three invocations of up to the
 * function timeout with Lambda's 1 and 2 minute retry delays between them, plus a minute of event delivery.
 */
export const MIN_LAUNCH_HOOK_HEARTBEAT_SECONDS = 3 * FUNCTION_TIMEOUT_SECONDS + 180 + 60;
/** AWS's upper limit for a lifecycle hook heartbeat (PutLifecycleHook HeartbeatTimeout). */
export const MAX_LAUNCH_HOOK_HEARTBEAT_SECONDS = 7200;

export function readLaunchHookHeartbeat(c: IssueCollector, value: unknown, defaultSeconds: number): number | undefined {
  return c.integer(LAUNCH_HOOK_HEARTBEAT_KEY, value, {
    default: defaultSeconds,
    min: MIN_LAUNCH_HOOK_HEARTBEAT_SECONDS,
    max: MAX_LAUNCH_HOOK_HEARTBEAT_SECONDS,
    fix: `choose ${MIN_LAUNCH_HOOK_HEARTBEAT_SECONDS} to ${MAX_LAUNCH_HOOK_HEARTBEAT_SECONDS} seconds: shorter abandons launches the EIP assigner would still complete (three invocations of ${FUNCTION_TIMEOUT_SECONDS} s with Lambda's retry delays); AWS allows at most ${MAX_LAUNCH_HOOK_HEARTBEAT_SECONDS}`,
  });
}
