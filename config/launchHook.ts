/**
 * The launch hook's two settings, both changeable on an existing group (the standalone hook in
 * aws/launchHook.ts):
 * - `proxy.launchHookHeartbeatSeconds`: how long a launch may wait in Pending:Wait for its pool address
 *   before the hook's default result (ABANDON) applies; updated in place.
 * - `proxy.launchHookName`: the hook's name, e.g. to follow an estate's naming rules; a new name replaces
 *   the standalone hook, never the group, and the EIP assigner answers it and the group's initial hook.
 * Pure.
 */
import type { IssueCollector } from "./issues";
import { PROJECT } from "./types";
import { FUNCTION_TIMEOUT_SECONDS } from "../lambda/contract";

export const LAUNCH_HOOK_HEARTBEAT_KEY = `${PROJECT}:proxy.launchHookHeartbeatSeconds`;
export const LAUNCH_HOOK_NAME_KEY = `${PROJECT}:proxy.launchHookName`;

/**
 * What PutLifecycleHook accepts as LifecycleHookName (Auto Scaling API reference: 1–255 characters of
 * [A-Za-z0-9\-_\/]; no comma either, so LIFECYCLE_HOOK_NAMES can list names comma-separated). Checked here so a bad name fails before anything is registered, not
 * halfway through an `up`.
 */
export const LAUNCH_HOOK_NAME_PATTERN = /^[A-Za-z0-9\-_/]{1,255}$/;

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

export function readLaunchHookName(c: IssueCollector, value: unknown, defaultName: string): string | undefined {
  return c.string(LAUNCH_HOOK_NAME_KEY, value, {
    default: defaultName,
    pattern: LAUNCH_HOOK_NAME_PATTERN,
    describe: "a lifecycle hook name (1-255 letters, digits, - _ /)",
    fix: `use 1-255 letters, digits, - _ or /, or leave it unset for "${defaultName}"`,
  });
}
