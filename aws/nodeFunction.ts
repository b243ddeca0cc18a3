/**
 * The wiring every Lambda function of ours shares (EipAssigner, ConnectionRejecter): its own log
 * group, a role only Lambda assumes with one inline policy, the arm64 Node.js function logging JSON
 * into that group, invoke permissions for its triggers, and "it happened at least once" alarms.
 * Helpers, not a component: the resources stay children of the calling component under the names
 * they always had (`<name>-logs`, `-role`, `-policy`, `-fn`), so existing stacks see no change.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { AlarmFactory } from "./alerts";
import { LOG_RETENTION_DAYS } from "./constants";

export interface NodeFunctionArgs {
  /** The function's description. */
  readonly description: string;
  /** The role's description: what it lets the function do. */
  readonly roleDescription: string;
  readonly logGroupName: pulumi.Input<string>;
  /** The bundled handler (aws/lambdaBundle.ts `lambdaCode`). */
  readonly code: pulumi.asset.Archive;
  readonly timeoutSeconds: number;
  readonly variables: Record<string, pulumi.Input<string>>;
  /** The role's inline policy (JSON), given the function's log group ARN. */
  readonly policy: (logGroupArn: pulumi.Output<string>) => pulumi.Input<string>;
  readonly tags: Record<string, string>;
  /** What only some functions set: a concurrency cap, a dead-letter target. */
  readonly extra?: Pick<aws.lambda.FunctionArgs, "deadLetterConfig">;
}

/** Log group, role, policy and function, children of `parent`; the function waits for its policy. */
export function nodeFunction(
  parent: pulumi.Resource,
  name: string,
  args: NodeFunctionArgs,
): { readonly fn: aws.lambda.Function; readonly logGroup: aws.cloudwatch.LogGroup } {
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    { name: args.logGroupName, retentionInDays: LOG_RETENTION_DAYS, tags: args.tags },
    { parent },
  );
  const role = new aws.iam.Role(
    `${name}-role`,
    {
      description: args.roleDescription,
      assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" }),
      tags: args.tags,
    },
    { parent },
  );
  const rolePolicy = new aws.iam.RolePolicy(
    `${name}-policy`,
    { role: role.name, policy: args.policy(logGroup.arn) },
    { parent },
  );
  const fn = new aws.lambda.Function(
    `${name}-fn`,
    {
      description: args.description,
      runtime: aws.lambda.Runtime.NodeJS22dX,
      architectures: ["arm64"],
      handler: "index.handler",
      code: args.code,
      role: role.arn,
      timeout: args.timeoutSeconds,
      memorySize: 256,
      ...args.extra,
      environment: { variables: args.variables },
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
      tags: args.tags,
    },
    { parent, dependsOn: [rolePolicy] },
  );
  return { fn, logGroup };
}

/** Lets the AWS service `principal` invoke `fn` for `sourceArn` (one topic, one rule) only. */
export function allowInvoke(
  parent: pulumi.Resource,
  name: string,
  fn: aws.lambda.Function,
  principal: string,
  sourceArn: pulumi.Input<string>,
): aws.lambda.Permission {
  return new aws.lambda.Permission(
    name,
    { action: "lambda:InvokeFunction", function: fn.name, principal, sourceArn },
    { parent },
  );
}

export type CountMetric = Pick<aws.cloudwatch.MetricAlarmArgs, "namespace" | "metricName" | "dimensions"> & {
  /** @default "Sum" */
  readonly statistic?: aws.cloudwatch.MetricAlarmArgs["statistic"];
};

/**
 * An alarm maker for events that should not happen at all: `<name>-<key>` fires when the metric
 * reaches 1 within five minutes; no data (nothing happened) is fine.
 */
export function onceAlarms(
  factory: AlarmFactory,
  parent: pulumi.Resource,
  name: string,
  tags: Record<string, string>,
): (key: string, description: string, metric: CountMetric) => aws.cloudwatch.MetricAlarm {
  return (key, description, metric) =>
    factory.alarm(
      `${name}-${key}`,
      {
        alarmDescription: description,
        statistic: "Sum",
        ...metric,
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        tags,
      },
      { parent },
    );
}
