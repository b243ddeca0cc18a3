import type { EventBridgeEvent } from "aws-lambda";
import { AUTOSCALING_EVENT_SOURCE, LAUNCH_LIFECYCLE_DETAIL_TYPE, LAUNCH_TRANSITION } from "./contract";
import type { Settings } from "./settings";

/** `detail` of an "EC2 Instance-launch Lifecycle Action" event as Auto Scaling sends it. */
export interface LaunchLifecycleDetail {
  LifecycleActionToken: string;
  AutoScalingGroupName: string;
  LifecycleHookName: string;
  EC2InstanceId: string;
  LifecycleTransition: string;
  NotificationMetadata?: string;
  Origin?: string;
  Destination?: string;
}

/**
 * Anything the rule may deliver. Every field is optional because a test notification
 * (`Event: "autoscaling:TEST_NOTIFICATION"`) carries none of the action's fields, and a mis-scoped rule
 * could deliver other events: fields are checked before they are trusted.
 */
export type LifecycleEvent = EventBridgeEvent<string, Partial<LaunchLifecycleDetail> & { Event?: string }>;

/** The launch this invocation must settle, with everything CompleteLifecycleAction needs. */
export interface LifecycleAction {
  instanceId: string;
  lifecycleActionToken: string;
  autoScalingGroupName: string;
  lifecycleHookName: string;
}

export type EventClassification = { kind: "launch"; action: LifecycleAction } | { kind: "ignore"; reason: string };

/**
 * Decides whether an event is this group's and this hook's launch action. Everything else is
 * acknowledged and ignored: acting on it could complete another group's action, and throwing would
 * only make the invoke retry an event that can never succeed.
 */
export function classifyEvent(event: LifecycleEvent, settings: Settings): EventClassification {
  const ignore = (reason: string): EventClassification => ({ kind: "ignore", reason });
  const detail = event.detail ?? {};
  if (detail.Event === "autoscaling:TEST_NOTIFICATION") return ignore("test notification");
  if (event.source !== AUTOSCALING_EVENT_SOURCE) return ignore(`source ${event.source}`);
  if (event["detail-type"] !== LAUNCH_LIFECYCLE_DETAIL_TYPE) return ignore(`detail-type ${event["detail-type"]}`);
  if (detail.LifecycleTransition !== LAUNCH_TRANSITION) return ignore(`transition ${detail.LifecycleTransition}`);
  if (detail.AutoScalingGroupName !== settings.asgName) return ignore(`group ${detail.AutoScalingGroupName}`);
  const { EC2InstanceId: instanceId, LifecycleActionToken: lifecycleActionToken, LifecycleHookName: hook } = detail;
  if (!hook || !settings.lifecycleHookNames.includes(hook)) return ignore(`hook ${hook}`);
  if (!instanceId || !lifecycleActionToken) return ignore("launch action without instance id or token");
  return {
    kind: "launch",
    action: {
      instanceId,
      lifecycleActionToken,
      autoScalingGroupName: settings.asgName,
      // The event's own hook: with two launch hooks on a group, each action is completed by its own event.
      lifecycleHookName: hook,
    },
  };
}
