import {
  type Assignment,
  type AssignmentPorts,
  type AssignmentTally,
  InstanceNotReadyError,
  assignPoolAddress,
} from "./assign";
import { ASSIGNMENT_POLICY, type AssignmentPolicy, isActionAlreadyCompleted } from "./decisions";
import type { LifecycleAction } from "./lifecycleEvent";

export type LifecycleActionResult = "CONTINUE" | "ABANDON";

export interface LaunchPorts extends AssignmentPorts {
  completeLifecycleAction(action: LifecycleAction, result: LifecycleActionResult): Promise<void>;
  /** Whether the group still holds the launch in Pending / Pending:Wait (DescribeAutoScalingInstances). */
  launchIsWaiting(action: LifecycleAction): Promise<boolean>;
}

/** Everything the outcome log line and metric need about one settled launch. */
export type LaunchOutcome = (
  | Assignment
  /**
   * The instance never became associable, and the group no longer holds the launch: another launch hook's
   * action abandoned it (its instance is terminating), or the heartbeat ran out. Nothing is left to do.
   */
  | (AssignmentTally & { outcome: "launch-ended" })
) & {
  instanceId: string;
  autoScalingGroupName: string;
  /** Absent only when an unknown instance is left to the heartbeat (policies without waitsOutNotFound). */
  lifecycleActionResult?: LifecycleActionResult;
  /** "already-completed": an earlier delivery completed the action, or its heartbeat timed out. */
  completion?: "completed" | "already-completed";
};

/**
 * Assigns a pool address, then completes the lifecycle action: CONTINUE when the instance holds an
 * address, ABANDON when the pool is exhausted, so the launch fails now instead of at the heartbeat
 * timeout, and no instance ever serves without an allow-listed address.
 */
export async function settleLaunch(
  action: LifecycleAction,
  eipTagKey: string,
  ports: LaunchPorts,
  policy: AssignmentPolicy = ASSIGNMENT_POLICY,
): Promise<LaunchOutcome> {
  const about = { instanceId: action.instanceId, autoScalingGroupName: action.autoScalingGroupName };
  let assignment: Assignment;
  try {
    assignment = await assignPoolAddress(action.instanceId, eipTagKey, ports, policy);
  } catch (error) {
    // A terminating instance answers AssociateAddress like a pending one. Before throwing for Lambda's
    // retry (which would wait out the same budget twice more and raise the errors alarm), ask the group
    // whether the launch is still waiting: with two launch hooks, the other hook's ABANDON ends it.
    if (error instanceof InstanceNotReadyError && !(await ports.launchIsWaiting(action))) {
      return { outcome: "launch-ended", ...error.tally, ...about };
    }
    throw error;
  }
  // An instance EC2 still does not know after the whole wait is gone (or never came): ABANDON now, an
  // explicit end, rather than leave the launch to the heartbeat (the policy without waitsOutNotFound did).
  if (assignment.outcome === "instance-gone" && !policy.waitsOutNotFound) return { ...assignment, ...about };

  const lifecycleActionResult: LifecycleActionResult =
    assignment.outcome === "assigned" || assignment.outcome === "already-held" ? "CONTINUE" : "ABANDON";
  const completion = await complete(action, lifecycleActionResult, ports);
  return { ...assignment, ...about, lifecycleActionResult, completion };
}

async function complete(
  action: LifecycleAction,
  result: LifecycleActionResult,
  ports: LaunchPorts,
): Promise<"completed" | "already-completed"> {
  try {
    await ports.completeLifecycleAction(action, result);
    return "completed";
  } catch (error) {
    if (isActionAlreadyCompleted(error)) return "already-completed";
    throw error;
  }
}
