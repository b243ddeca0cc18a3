import { LAUNCH_LIFECYCLE_DETAIL_TYPE, LAUNCH_TRANSITION } from "../../lambda/contract";
import type { LaunchLifecycleDetail, LifecycleEvent } from "../../lambda/lifecycleEvent";

export const TEST_ASG = "dbx-aoai-proxy";
export const TEST_HOOK = "assign-pool-eip";
export const TEST_TAG_KEY = "dbx-aoai-link:egress-pool";

/** An "EC2 Instance-launch Lifecycle Action" event as EventBridge delivers it; `detail` fields overridable. */
export function launchEvent(
  detail: Partial<LaunchLifecycleDetail> = {},
  detailType = LAUNCH_LIFECYCLE_DETAIL_TYPE,
): LifecycleEvent {
  const instanceId = detail.EC2InstanceId ?? "i-0123456789abcdef0";
  return {
    version: "0",
    id: `evt-${instanceId}`,
    "detail-type": detailType,
    source: "aws.autoscaling",
    account: "123456789012",
    time: "2025-01-01T00:00:00Z",
    region: "eu-west-1",
    resources: [`arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/${TEST_ASG}`],
    detail: {
      LifecycleActionToken: `token-${instanceId}`,
      AutoScalingGroupName: TEST_ASG,
      LifecycleHookName: TEST_HOOK,
      EC2InstanceId: instanceId,
      LifecycleTransition: LAUNCH_TRANSITION,
      Origin: "EC2",
      Destination: "AutoScalingGroup",
      ...detail,
    },
  };
}

/** The test message Auto Scaling sends when a notification target is attached to a hook. */
export function testNotificationEvent(): LifecycleEvent {
  return {
    ...launchEvent(),
    detail: {
      Event: "autoscaling:TEST_NOTIFICATION",
      AutoScalingGroupName: TEST_ASG,
      LifecycleHookName: TEST_HOOK,
    },
  };
}
