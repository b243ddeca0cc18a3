/**
 * The connection rejecter's names and IAM documents, as pure functions of plain values: it may list
 * connections (EC2 offers no resource scope for that), reject on this one service, read this one
 * parameter and write its own log group; the topic accepts publications from this account's endpoint
 * services only.
 */
import { type AccountScope, type PolicyDocument, regionalArn, servicePolicy, writeOwnLogs } from "./iamDocument";

export interface RejecterPolicyInputs extends AccountScope {
  readonly serviceId: string;
  readonly parameterName: string;
  readonly logGroupArn: string;
}

export function connectionRejecterPolicy(p: RejecterPolicyInputs): PolicyDocument {
  const arn = (service: string, resource: string) => regionalArn(p, service, resource);
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
      writeOwnLogs(p.logGroupArn),
    ],
  };
}

/**
 * The endpoint service publishes as `vpce.amazonaws.com`; only on behalf of this account
 * (principal as in the Pulumi registry example for aws.ec2.VpcEndpointConnectionNotification).
 */
export function connectionTopicPolicy(topicArn: string, accountId: string) {
  return servicePolicy({
    sid: "EndpointServiceNotifications",
    service: "vpce.amazonaws.com",
    action: "sns:Publish",
    resource: topicArn,
    condition: { StringEquals: { "aws:SourceAccount": accountId } },
  });
}
