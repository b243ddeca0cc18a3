/**
 * The proxy instance's own permission besides SSM: the watchdog may mark instances of this group
 * (and no other) unhealthy. SetInstanceHealth is authorised against the Auto Scaling group; AWS has no
 * condition key for the instance id, so the group's ARN is the narrowest scope. Pure.
 */
import { type AccountScope, autoScalingGroupArn, type PolicyDocument } from "./iamDocument";

export interface ProxyInstancePolicyInputs extends AccountScope {
  readonly asgName: string;
}

export function proxyInstancePolicy(p: ProxyInstancePolicyInputs): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WatchdogMarksThisGroupsInstances",
        Effect: "Allow",
        Action: ["autoscaling:SetInstanceHealth"],
        Resource: autoScalingGroupArn(p, p.asgName),
      },
    ],
  };
}
