/**
 * The launch lifecycle hook the EIP assigner completes, in two parts:
 *
 * - the **initial hook** (`initialLifecycleHooks` of the group) exists from the group's first second, so
 *   the very first launches already wait for their pool address. Every field of it forces replacement of
 *   the group (terraform-provider-aws internal/service/autoscaling/group.go: `initial_lifecycle_hook` is
 *   ForceNew down to each field, its Create puts the hooks between CreateAutoScalingGroup at size 0 and
 *   the UpdateAutoScalingGroup that sets the real size, and its Read never reads the hooks back). So its
 *   inputs are frozen here, exactly as every existing stack was created with them.
 * - the **standalone hook** (`aws.autoscaling.LifecycleHook`) with the same name takes it over after
 *   creation and carries the settings that may change: heartbeat and default result update in place
 *   (internal/service/autoscaling/lifecycle_hook.go: Create and Update are both PutLifecycleHook, which
 *   creates or overwrites the hook of that name, so adopting the initial hook is no conflict; only `name`
 *   is ForceNew, and replacing the hook never touches the group). Deleting the standalone resource deletes
 *   the hook on AWS (DeleteLifecycleHook): keep it in the program.
 *
 * Because the group's Read never reports its hooks, the standalone hook's later changes cause no drift on
 * the group either.
 */
import { LAUNCH_TRANSITION } from "../lambda/contract";
import { LIFECYCLE_HEARTBEAT_SECONDS } from "./constants";

/** What a launch hook is set to (the inputs both hook forms share). */
export interface LaunchHookSettings {
  readonly name: string;
  readonly lifecycleTransition: string;
  readonly defaultResult: "ABANDON" | "CONTINUE";
  readonly heartbeatTimeout: number;
}

/**
 * The group's initial hook, frozen: changing any field here replaces the Auto Scaling group of every
 * existing stack (and every proxy with it). Change the standalone hook instead.
 */
export const INITIAL_LAUNCH_HOOK: LaunchHookSettings = Object.freeze({
  name: "assign-pool-eip",
  lifecycleTransition: LAUNCH_TRANSITION,
  defaultResult: "ABANDON",
  heartbeatTimeout: 600,
});

/**
 * The standalone hook's settings. A launch that gets no address within the heartbeat is ABANDONed: it
 * would have no allow-listed egress. The name defaults to the initial hook's, so the standalone hook adopts
 * it; a different name (`proxy.launchHookName`) adds a hook and removes the old one, never the group.
 */
export function launchHookSettings(
  heartbeatSeconds: number = LIFECYCLE_HEARTBEAT_SECONDS,
  name: string = INITIAL_LAUNCH_HOOK.name,
): LaunchHookSettings {
  return { name, lifecycleTransition: LAUNCH_TRANSITION, defaultResult: "ABANDON", heartbeatTimeout: heartbeatSeconds };
}

/**
 * Every launch hook a group of this program can carry, for the EIP assigner to answer. Normally one: the
 * standalone hook adopts the initial hook by name. After a rename an existing group has only the new hook
 * (replacing the standalone hook deletes the old name, which was the initial hook), but a group created
 * later (a new stack, or a group replaced for another reason) carries the frozen initial hook as well:
 * left unanswered it would hold every launch until its heartbeat abandons it. Both hooks fire for each
 * launch; the assigner settles each action from its own event, and both invocations converge on one
 * address (lambda/assign.ts).
 */
export function answeredLaunchHooks(name: string): string[] {
  return [...new Set([INITIAL_LAUNCH_HOOK.name, name])];
}

/**
 * The standalone hook's logical name: the default hook keeps `<component>-launch-hook` (existing stacks'
 * URN), a renamed one gets its own. So a rename is a new resource plus the old one removed, which Pulumi
 * orders create first, delete last, with both hooks answered in between. Replacing one resource instead
 * would delete first: the provider auto-names `name`, and the bridge makes an explicitly named resource
 * delete-before-replace (pulumi-terraform-bridge `nameRequiresDeleteBeforeReplace`; pulumi/pulumi#4712),
 * leaving launches without a hook, or none at all if the create then failed.
 */
export function launchHookResourceName(component: string, hookName: string): string {
  const base = `${component}-launch-hook`;
  return hookName === INITIAL_LAUNCH_HOOK.name ? base : `${base}-${hookName.replace(/[^A-Za-z0-9-]/g, "-")}`;
}

/**
 * What `pulumi.log.warn` should say about the hook settings (empty: nothing). A renamed hook sits beside
 * the frozen initial hook on every group created from now on, and a launch ends at the first heartbeat
 * to run out: a heartbeat above the initial hook's buys those groups nothing.
 */
export function launchHookWarnings(name: string, heartbeatSeconds: number): string[] {
  if (name === INITIAL_LAUNCH_HOOK.name || heartbeatSeconds <= INITIAL_LAUNCH_HOOK.heartbeatTimeout) return [];
  return [
    `dbx-aoai-link:proxy.launchHookHeartbeatSeconds = ${heartbeatSeconds}: with dbx-aoai-link:proxy.launchHookName = "${name}", ` +
      `a group created from now on also carries the initial hook "${INITIAL_LAUNCH_HOOK.name}" (${INITIAL_LAUNCH_HOOK.heartbeatTimeout} s), ` +
      `which abandons a launch still waiting for its address after ${INITIAL_LAUNCH_HOOK.heartbeatTimeout} s. ` +
      `Fix: nothing, if launches settle within ${INITIAL_LAUNCH_HOOK.heartbeatTimeout} s (the assigner needs under 60 s); otherwise keep the default hook name.`,
  ];
}
