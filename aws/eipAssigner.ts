import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { lambdaCode } from "./lambdaBundle";
import { deadLetterQueuePolicy, eipAssignerPolicy, launchEventPattern } from "./eipAssignerPolicy";
import { partitionOf } from "./partition";
import { type AlarmFactory } from "./alerts";
import { allowInvoke, nodeFunction, onceAlarms } from "./nodeFunction";
import { ENV_VARS, FUNCTION_TIMEOUT_SECONDS, METRIC_NAMES, METRIC_NAMESPACE_DEFAULT } from "../lambda/contract";

export interface EipAssignerArgs {
  readonly region: string;
  /** The group whose launches get a pool address (fixed name: the group is created after this). */
  readonly asgName: string;
  /**
   * The launch hooks it completes: every hook a group of this program can carry (answeredLaunchHooks in
   * aws/launchHook.ts). A hook left out holds each launch until its heartbeat abandons it.
   */
  readonly lifecycleHookNames: readonly string[];
  /** Pool membership tag key. */
  readonly eipTagKey: string;
  /** ARNs of the pool's addresses: the only ones the function may associate. */
  readonly eipArns: pulumi.Input<pulumi.Input<string>[]>;
  /** The proxies' VPC: association through its network interfaces only. */
  readonly vpcArn: pulumi.Input<string>;
  /** Creates the alarms, with the stack's alert destinations as their actions. */
  readonly alarms: AlarmFactory;
  readonly tags?: Record<string, string>;
  /** @default `/dbx-aoai-link/<stack>/<name>` */
  readonly logGroupName?: string;
  /** Powertools service name, the dimension of the pool-exhausted metric. @default `<name>-<stack>` */
  readonly serviceName?: string;
}

/**
 * Launch lifecycle hook → EventBridge → Lambda: gives each new proxy a free pool EIP without ever
 * taking one from another instance, or abandons the launch. Undeliverable events and failed
 * invocations land in a dead-letter queue; alarms watch errors, pool exhaustion and the queue.
 */
export class EipAssigner extends pulumi.ComponentResource {
  public readonly function: aws.lambda.Function;
  public readonly rule: aws.cloudwatch.EventRule;
  public readonly deadLetterQueue: aws.sqs.Queue;
  public readonly alarms: aws.cloudwatch.MetricAlarm[];
  /** Powertools service name: the `service` dimension of the assigner's outcome metrics. */
  public readonly serviceName: string;

  constructor(name: string, args: EipAssignerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbx-aoai-link:aws:EipAssigner", name, {}, opts);
    const parent = { parent: this };
    const tags = { ...args.tags, Name: name };
    const serviceName = args.serviceName ?? `${name}-${pulumi.getStack()}`;
    this.serviceName = serviceName;

    this.deadLetterQueue = new aws.sqs.Queue(
      `${name}-dlq`,
      {
        sqsManagedSseEnabled: true,
        messageRetentionSeconds: 14 * 24 * 3600,
        tags,
      },
      parent,
    );
    const identity = aws.getCallerIdentityOutput({}, parent);
    const { fn } = nodeFunction(this, name, {
      description: "Associates a free pool EIP with each new proxy (no reassociation), or abandons the launch",
      roleDescription: "EIP assigner: associate pool addresses with this group's new proxies",
      logGroupName: args.logGroupName ?? `/dbx-aoai-link/${pulumi.getStack()}/${name}`,
      code: lambdaCode(),
      timeoutSeconds: FUNCTION_TIMEOUT_SECONDS,
      variables: {
        [ENV_VARS.EIP_TAG_KEY]: args.eipTagKey,
        [ENV_VARS.ASG_NAME]: args.asgName,
        [ENV_VARS.LIFECYCLE_HOOK_NAMES]: args.lifecycleHookNames.join(","),
        [ENV_VARS.POWERTOOLS_SERVICE_NAME]: serviceName,
        [ENV_VARS.POWERTOOLS_METRICS_NAMESPACE]: METRIC_NAMESPACE_DEFAULT,
      },
      policy: (logGroupArn) =>
        pulumi
          .all([identity.accountId, args.eipArns, args.vpcArn, logGroupArn, this.deadLetterQueue.arn])
          .apply(([accountId, eipArns, vpcArn, logGroupArn, deadLetterQueueArn]) =>
            JSON.stringify(
              eipAssignerPolicy({
                partition: partitionOf(args.region),
                region: args.region,
                accountId,
                asgName: args.asgName,
                vpcArn,
                eipArns,
                logGroupArn,
                deadLetterQueueArn,
              }),
            ),
          ),
      tags,
      extra: { deadLetterConfig: { targetArn: this.deadLetterQueue.arn } },
    });
    this.function = fn;

    this.rule = new aws.cloudwatch.EventRule(
      `${name}-rule`,
      {
        description: `Launch lifecycle actions of ${args.asgName}`,
        eventPattern: JSON.stringify(launchEventPattern(args.asgName, args.lifecycleHookNames)),
        tags,
      },
      parent,
    );
    new aws.sqs.QueuePolicy(
      `${name}-dlq-policy`,
      {
        queueUrl: this.deadLetterQueue.url,
        policy: pulumi
          .all([this.deadLetterQueue.arn, this.rule.arn])
          .apply(([q, r]) => JSON.stringify(deadLetterQueuePolicy(q, r))),
      },
      parent,
    );
    const permission = allowInvoke(this, `${name}-invoke`, this.function, "events.amazonaws.com", this.rule.arn);
    new aws.cloudwatch.EventTarget(
      `${name}-target`,
      {
        rule: this.rule.name,
        arn: this.function.arn,
        retryPolicy: { maximumEventAgeInSeconds: 300, maximumRetryAttempts: 8 },
        deadLetterConfig: { arn: this.deadLetterQueue.arn },
      },
      { parent: this, dependsOn: [permission] },
    );

    const alarm = onceAlarms(args.alarms, this, name, tags);
    this.alarms = [
      alarm("errors", "EIP assigner invocations failed (throttling or AWS errors; retries may still succeed)", {
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: this.function.name },
      }),
      alarm(
        "pool-exhausted",
        "A proxy launch was abandoned: no free pool EIP. Grow proxy.eipPoolSize (and the Azure allow list follows)",
        {
          namespace: METRIC_NAMESPACE_DEFAULT,
          metricName: METRIC_NAMES.PoolExhausted,
          dimensions: { service: serviceName },
        },
      ),
      alarm(
        "instance-gone",
        "A launch was abandoned: EC2 did not know its instance within the assigner's whole wait. Read the function's logs and EC2's events for the instance",
        {
          namespace: METRIC_NAMESPACE_DEFAULT,
          metricName: METRIC_NAMES.InstanceGone,
          dimensions: { service: serviceName },
        },
      ),
      alarm(
        "dlq-not-empty",
        "Launch events or invocations were dead-lettered: read the queue, then the function's logs",
        {
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: this.deadLetterQueue.name },
          statistic: "Maximum",
        },
      ),
      alarm(
        "throttles",
        "EIP assigner invocations were throttled (account or function concurrency): launches wait; if it persists they are abandoned at the heartbeat",
        {
          namespace: "AWS/Lambda",
          metricName: "Throttles",
          dimensions: { FunctionName: this.function.name },
        },
      ),
    ];

    this.registerOutputs({
      functionName: this.function.name,
      ruleArn: this.rule.arn,
      deadLetterQueueUrl: this.deadLetterQueue.url,
    });
  }
}
