/**
 * The EIP assigner's event pattern and IAM documents, as pure functions of plain values: each grant
 * is scoped to the pool's addresses, this group's instances, this group and this function's log group
 * and queue; only DescribeAddresses and DescribeAutoScalingInstances, which AWS cannot scope, name "*".
 */
import { AUTOSCALING_EVENT_SOURCE, LAUNCH_LIFECYCLE_DETAIL_TYPE } from "../lambda/contract";
import {
  type AccountScope,
  autoScalingGroupArn,
  type PolicyDocument,
  regionalArn,
  servicePolicy,
  writeOwnLogs,
} from "./iamDocument";

export interface LaunchEventPattern {
  readonly source: string[];
  readonly "detail-type": string[];
  readonly detail: { readonly AutoScalingGroupName: string[]; readonly LifecycleHookName: string[] };
}

/** Matches exactly this group's launch lifecycle actions of these hooks (EventBridge: any value listed). */
export function launchEventPattern(asgName: string, hookNames: readonly string[]): LaunchEventPattern {
  if (hookNames.length === 0) throw new Error("the launch event pattern needs at least one hook name");
  return {
    source: [AUTOSCALING_EVENT_SOURCE],
    "detail-type": [LAUNCH_LIFECYCLE_DETAIL_TYPE],
    detail: { AutoScalingGroupName: [asgName], LifecycleHookName: [...hookNames] },
  };
}

export interface AssignerPolicyInputs extends AccountScope {
  readonly asgName: string;
  readonly vpcArn: string;
  readonly eipArns: readonly string[];
  readonly logGroupArn: string;
  readonly deadLetterQueueArn: string;
}

export function eipAssignerPolicy(p: AssignerPolicyInputs): PolicyDocument {
  if (p.eipArns.length === 0) throw new Error("the EIP assigner needs at least one pool address to grant");
  const arn = (service: string, resource: string) => regionalArn(p, service, resource);
  return {
    Version: "2012-10-17",
    Statement: [
      // Neither Describe call supports resource-level permissions (Service Authorization Reference).
      {
        Sid: "DescribeHasNoResourceScope",
        Effect: "Allow",
        Action: ["ec2:DescribeAddresses", "autoscaling:DescribeAutoScalingInstances"],
        Resource: "*",
      },
      // AssociateAddress is authorised against the address and the instance (and interface): all are granted.
      {
        Sid: "AssociatePoolAddresses",
        Effect: "Allow",
        Action: ["ec2:AssociateAddress"],
        Resource: [...p.eipArns].sort(),
      },
      {
        Sid: "AssociateToThisGroupsInstances",
        Effect: "Allow",
        Action: ["ec2:AssociateAddress"],
        Resource: arn("ec2", "instance/*"),
        Condition: { StringEquals: { "aws:ResourceTag/aws:autoscaling:groupName": p.asgName } },
      },
      // AssociateAddress also lists network-interface among its resources; allow only this VPC's.
      {
        Sid: "AssociateThroughThisVpcsInterfaces",
        Effect: "Allow",
        Action: ["ec2:AssociateAddress"],
        Resource: arn("ec2", "network-interface/*"),
        Condition: { StringEquals: { "ec2:Vpc": p.vpcArn } },
      },
      {
        Sid: "CompleteThisGroupsLaunches",
        Effect: "Allow",
        Action: ["autoscaling:CompleteLifecycleAction"],
        Resource: autoScalingGroupArn(p, p.asgName),
      },
      writeOwnLogs(p.logGroupArn),
      {
        Sid: "DeadLetterFailedInvocations",
        Effect: "Allow",
        Action: ["sqs:SendMessage"],
        Resource: p.deadLetterQueueArn,
      },
    ],
  };
}

/** Lets EventBridge put undeliverable events of this rule (only) into the dead-letter queue. */
export function deadLetterQueuePolicy(queueArn: string, ruleArn: string) {
  return servicePolicy({
    sid: "EventBridgeDeadLetters",
    service: "events.amazonaws.com",
    action: "sqs:SendMessage",
    resource: queueArn,
    condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
  });
}
