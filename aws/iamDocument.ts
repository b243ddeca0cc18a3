/**
 * The shapes of the IAM documents this program writes, and the pieces our functions' documents share:
 * ARNs in this account and region, the grant to write a function's own log group, and a resource
 * policy that lets one AWS service act on one resource for this account only. Pure.
 */

/** A statement of an identity policy (a role's inline policy). */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string>>;
}

/** A statement of a resource policy (topic, queue, key): who may act, by principal. */
export interface ResourcePolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Principal: Record<string, string>;
  readonly Action: string | string[];
  readonly Resource: string;
  readonly Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument<S = PolicyStatement> {
  readonly Version: "2012-10-17";
  readonly Statement: S[];
}

/** Where a function's grants live: the account, its partition and region. */
export interface AccountScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export function regionalArn(scope: AccountScope, service: string, resource: string): string {
  return `arn:${scope.partition}:${service}:${scope.region}:${scope.accountId}:${resource}`;
}

/** The Auto Scaling group `asgName` (grants on a group are scoped by its name). */
export function autoScalingGroupArn(scope: AccountScope, asgName: string): string {
  return regionalArn(scope, "autoscaling", `autoScalingGroup:*:autoScalingGroupName/${asgName}`);
}

/** A function writes its own log group's streams and nothing else in CloudWatch Logs. */
export function writeOwnLogs(logGroupArn: string): PolicyStatement {
  return {
    Sid: "WriteOwnLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: `${logGroupArn}:*`,
  };
}

/**
 * A resource policy with one statement: the AWS service `service` (e.g. `events.amazonaws.com`) may
 * `action` on `resource` when `condition` holds (the confused-deputy guard: a source account or ARN).
 */
export function servicePolicy(statement: {
  readonly sid: string;
  readonly service: string;
  readonly action: string;
  readonly resource: string;
  readonly condition: Record<string, Record<string, string>>;
}): PolicyDocument<ResourcePolicyStatement> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: statement.sid,
        Effect: "Allow",
        Principal: { Service: statement.service },
        Action: statement.action,
        Resource: statement.resource,
        Condition: statement.condition,
      },
    ],
  };
}
