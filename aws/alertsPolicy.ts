/**
 * The alert topic's KMS key policy. Pure (no @pulumi/*), so the exact statements are tested.
 *
 * Why a customer managed key and not `alias/aws/sns`: CloudWatch publishes to an encrypted topic
 * only when the key policy lets the `cloudwatch.amazonaws.com` principal use the key, and the AWS
 * managed key's policy cannot be changed. Source: Amazon SNS Developer Guide, "Key management" →
 * "Enable compatibility between event sources from AWS services and encrypted topics"
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 */

import type { PolicyDocument, ResourcePolicyStatement } from "./iamDocument";

export interface AlertKeyPolicyArgs {
  readonly partition: string;
  readonly accountId: string;
}

export function alertKeyPolicy(args: AlertKeyPolicyArgs): PolicyDocument<ResourcePolicyStatement> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        // KMS's default key policy: the account's IAM policies decide who administers the key.
        // Without it the key could become unmanageable (KMS rejects policies that lock the account out).
        Sid: "AccountIamPoliciesGovernTheKey",
        Effect: "Allow",
        Principal: { AWS: `arn:${args.partition}:iam::${args.accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        // Only what publishing needs, and only for alarms of this account (confused-deputy guard).
        Sid: "CloudWatchAlarmsPublishToTheAlertTopic",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
      },
    ],
  };
}
