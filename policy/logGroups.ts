/** Logs expire: no log group keeps data (and cost) forever. */
import { validateResourceOfType } from "@pulumi/policy";
import { LogGroup } from "@pulumi/aws/cloudwatch";
import { type MandatoryPolicy, subject } from "./lib";

export const logGroupRetention: MandatoryPolicy = {
  name: "log-group-retention",
  description: "Every CloudWatch log group sets retentionInDays.",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps: "Set retentionInDays (e.g. 90) on the log group.",
  validateResource: validateResourceOfType(LogGroup, (group, args, reportViolation) => {
    const days = group.retentionInDays;
    if (typeof days !== "number" || !Number.isInteger(days) || days <= 0) {
      reportViolation(
        `${subject(args)}: retentionInDays is ${JSON.stringify(days)}, so its logs are kept forever. ` +
          `Fix: set retentionInDays to one of CloudWatch's values (e.g. 30, 90, 365).`,
      );
    }
  }),
};
