/**
 * IAM documents for the logs that outlive the proxies: the instances may write HAProxy's log group
 * only, and VPC Flow Logs may write the flow-log group only, assumed only on behalf of this account's
 * flow logs (the confused-deputy conditions AWS documents for vpc-flow-logs.amazonaws.com:
 * docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html). Pure.
 */
import { type AccountScope, type PolicyDocument, regionalArn } from "./iamDocument";

export interface LogGroupScope extends AccountScope {
  readonly logGroupName: string;
}

/** The group itself and its streams (`log-group:NAME:log-stream:*`), nothing else. */
export function logGroupArns(s: LogGroupScope): string[] {
  const group = regionalArn(s, "logs", `log-group:${s.logGroupName}`);
  return [group, `${group}:*`];
}

/**
 * The CloudWatch agent on a proxy: creates its instance's stream and puts events in the one group.
 * No CreateLogGroup (the program creates it, with its retention) and no PutRetentionPolicy.
 */
export function proxyLogWriterPolicy(s: LogGroupScope): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ShipHaproxyLogToItsGroupOnly",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
        Resource: logGroupArns(s),
      },
    ],
  };
}

/** VPC Flow Logs delivering to the one group. */
export function flowLogWriterPolicy(s: LogGroupScope): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DeliverFlowLogsToItsGroupOnly",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:PutLogEvents"],
        Resource: logGroupArns(s),
      },
    ],
  };
}

export interface TrustPolicy {
  readonly Version: "2012-10-17";
  readonly Statement: {
    readonly Effect: "Allow";
    readonly Principal: { readonly Service: string };
    readonly Action: "sts:AssumeRole";
    readonly Condition: Record<string, Record<string, string>>;
  }[];
}

/** Only VPC Flow Logs, and only for flow logs of this account and region, may assume the role. */
export function flowLogTrustPolicy(s: AccountScope): TrustPolicy {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": s.accountId },
          ArnLike: { "aws:SourceArn": regionalArn(s, "ec2", "vpc-flow-log/*") },
        },
      },
    ],
  };
}
