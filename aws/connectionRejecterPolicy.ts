/**
 * The connection rejecter's names and IAM documents, as pure functions of plain values: it may list
 * connections (EC2 offers no resource scope for that), reject on this one service, read this one
 * parameter and write its own log group; the topic accepts publications from this account's endpoint
 * services only.
 */
import type { PolicyDocument } from "./eipAssignerPolicy";

export interface RejecterPolicyInputs {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly serviceId: string;
  readonly parameterName: string;
  readonly logGroupArn: string;
}

export function connectionRejecterPolicy(p: RejecterPolicyInputs): PolicyDocument {
  const arn = (service: string, resource: string) =>
    `arn:${p.partition}:${service}:${p.region}:${p.accountId}:${resource}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DescribeHasNoResourceScope",
        Effect: "Allow",
        Action: ["ec2:DescribeVpcEndpointConnections"],
        Resource: "*",
      },
      {
        Sid: "RejectOnThisServiceOnly",
        Effect: "Allow",
        Action: ["ec2:RejectVpcEndpointConnections"],
        Resource: arn("ec2", `vpc-endpoint-service/${p.serviceId}`),
      },
      // Parameter ARNs drop the name's leading slash.
      {
        Sid: "ReadRecordedEndpointId",
        Effect: "Allow",
        Action: ["ssm:GetParameter"],
        Resource: arn("ssm", `parameter/${p.parameterName.replace(/^\//, "")}`),
      },
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${p.logGroupArn}:*`,
      },
    ],
  };
}

/**
 * The endpoint service publishes as `vpce.amazonaws.com`; only on behalf of this account
 * (principal as in the Pulumi registry example for aws.ec2.VpcEndpointConnectionNotification).
 */
export function connectionTopicPolicy(topicArn: string, accountId: string): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EndpointServiceNotifications",
        Effect: "Allow",
        Principal: { Service: "vpce.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  };
}
