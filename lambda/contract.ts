/**
 * The names the EIP assigner Lambda shares with the Pulumi wiring (aws/): environment variables,
 * the EventBridge event it handles, its CloudWatch metrics. One home for each, so the function and the
 * rule, IAM and alarms that surround it cannot drift apart.
 *
 * The Pulumi program imports this file, so it must import nothing (no AWS SDK, no Powertools).
 */

/** Environment variables the function reads. */
export const ENV_VARS = {
  /** Required. Tag key that marks an Elastic IP as a member of the egress pool (its value is not read). */
  EIP_TAG_KEY: "EIP_TAG_KEY",
  /** Required. The only Auto Scaling group whose launches are handled; events of other groups are ignored. */
  ASG_NAME: "ASG_NAME",
  /**
   * Required. The lifecycle hooks handled, comma-separated (names cannot contain commas): the group's
   * initial hook and, after a rename, the standalone one (aws/launchHook.ts). Other hooks are ignored.
   */
  LIFECYCLE_HOOK_NAMES: "LIFECYCLE_HOOK_NAMES",
  /** Powertools: the `service` key of every log line and the one dimension of every metric. */
  POWERTOOLS_SERVICE_NAME: "POWERTOOLS_SERVICE_NAME",
  /** Powertools: CloudWatch namespace of the metrics (defaults to METRIC_NAMESPACE_DEFAULT). */
  POWERTOOLS_METRICS_NAMESPACE: "POWERTOOLS_METRICS_NAMESPACE",
} as const;

/** Service name used when POWERTOOLS_SERVICE_NAME is unset; the wiring should set it explicitly. */
export const SERVICE_NAME_DEFAULT = "eip-assigner";

/** CloudWatch namespace used when POWERTOOLS_METRICS_NAMESPACE is unset. */
export const METRIC_NAMESPACE_DEFAULT = "DbxAoaiLink/EipAssigner";

/**
 * Metric names, one per outcome, emitted in Embedded Metric Format by Powertools (unit Count, value 1).
 *
 * Every metric carries exactly one dimension, `service`, whose value is POWERTOOLS_SERVICE_NAME (Powertools'
 * default dimension; the function adds none of its own). A CloudWatch alarm must therefore name the
 * namespace, the metric and `service = <POWERTOOLS_SERVICE_NAME>`: an alarm with no dimension, or with
 * another one, watches a different time series and never fires.
 */
export const METRIC_NAMES = {
  /** No free pool address after a fresh listing: the launch was ABANDONed. Alarm on this. */
  PoolExhausted: "PoolExhausted",
  /** A pool address was associated and the launch CONTINUEd. */
  EipAssigned: "EipAssigned",
  /** The instance already held a pool address (a repeated event): CONTINUE, no second association. */
  EipAlreadyHeld: "EipAlreadyHeld",
  /** The invocation threw (throttling, transient or unexpected error); the async invoke retries. */
  AssignmentFailed: "AssignmentFailed",
  /** EC2 still did not know the instance after the whole wait: the launch was ABANDONed. Alarmed. */
  InstanceGone: "InstanceGone",
  /** CompleteLifecycleAction found no active action (completed by an earlier delivery, or timed out). */
  ActionAlreadyCompleted: "ActionAlreadyCompleted",
} as const;

/** EventBridge `source` of Auto Scaling lifecycle events. */
export const AUTOSCALING_EVENT_SOURCE = "aws.autoscaling";

/** EventBridge `detail-type` of the event the function handles. */
export const LAUNCH_LIFECYCLE_DETAIL_TYPE = "EC2 Instance-launch Lifecycle Action";

/** `detail.LifecycleTransition` of a launch; the hook must be created with this transition. */
export const LAUNCH_TRANSITION = "autoscaling:EC2_INSTANCE_LAUNCHING";

/**
 * Upper bound of one invocation, for the function's timeout. The handler's own waits (instance not yet
 * ready, SDK retries on throttling) are bounded well below it; the hook's heartbeat timeout must exceed
 * the whole async retry sequence (3 invocations plus Lambda's retry delays), not one invocation.
 */
export const FUNCTION_TIMEOUT_SECONDS = 90;
