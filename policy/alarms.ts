/** Alarms reach a person: every CloudWatch alarm notifies something when it fires and when it clears. */
import { validateResourceOfType } from "@pulumi/policy";
import { CompositeAlarm, MetricAlarm } from "@pulumi/aws/cloudwatch";
import { type MandatoryPolicy, subject, validateResourceOfTypes } from "./lib";

const FIX =
  "Fix: create the alarm through the alarm factory (AlertTopic.alarm in aws/alerts.ts), which sets both to the stack's alert topic.";

function check(
  args: { type: string; name: string },
  alarm: { alarmActions?: unknown; okActions?: unknown },
  reportViolation: (m: string) => void,
): void {
  for (const field of ["alarmActions", "okActions"] as const) {
    const actions = alarm[field];
    if (!Array.isArray(actions) || actions.length === 0) {
      reportViolation(
        `${subject(args)}: ${field} is ${JSON.stringify(actions)}, so ${field === "alarmActions" ? "the alarm firing" : "its recovery"} reaches nobody. ${FIX}`,
      );
    }
  }
}

export const alarmHasActions: MandatoryPolicy = {
  name: "alarm-has-actions",
  description: "Every CloudWatch alarm (metric or composite) has alarm actions and OK actions.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Set alarmActions and okActions to the stack's alert topic (the alarm factory does).",
  validateResource: validateResourceOfTypes(
    validateResourceOfType(MetricAlarm, (alarm, args, reportViolation) => check(args, alarm, reportViolation)),
    validateResourceOfType(CompositeAlarm, (alarm, args, reportViolation) => check(args, alarm, reportViolation)),
  ),
};
