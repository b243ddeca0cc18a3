/** AWS partition facts derived from the region, so IAM ARNs need no extra API call. Pure. */
export function partitionOf(region: string): "aws" | "aws-us-gov" | "aws-cn" {
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  return "aws";
}

/** ARN of an AWS managed IAM policy in the region's partition. */
export function managedPolicyArn(region: string, policyName: string): string {
  return `arn:${partitionOf(region)}:iam::aws:policy/${policyName}`;
}
