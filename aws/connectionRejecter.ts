import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { CONNECTION_REJECTER_ENTRY, lambdaCode } from "./lambdaBundle";
import { connectionRejecterPolicy, connectionTopicPolicy } from "./connectionRejecterPolicy";
import { partitionOf } from "./partition";
import { type AlarmFactory } from "./alerts";
import { allowInvoke, nodeFunction, onceAlarms } from "./nodeFunction";
import {
  CONNECT_EVENT,
  ENV_VARS,
  FUNCTION_TIMEOUT_SECONDS,
  METRIC_NAMES,
  METRIC_NAMESPACE_DEFAULT,
  RECHECK_SCHEDULE,
} from "../lambda-connections/contract";

export interface ConnectionRejecterArgs {
  readonly region: string;
  /** The endpoint service whose foreign connection requests are rejected. */
  readonly serviceId: pulumi.Input<string>;
  /** Where our rule's endpoint id is recorded (config/names.ts). */
  readonly parameterName: string;
  /** The function's log group (config/names.ts). */
  readonly logGroupName: string;
  /** Powertools service name: the dimension of the rejection metric (config/names.ts). */
  readonly serviceName: string;
  /** Our rule's VPC endpoint id, from the rule waiter: recorded in the parameter. */
  readonly ourEndpointId: pulumi.Input<string>;
  /** Creates the alarms, with the stack's alert destinations as their actions. */
  readonly alarms: AlarmFactory;
  readonly tags?: Record<string, string>;
}

/**
 * Foreign PrivateLink requests rejected: the endpoint service allows the Databricks serverless role,
 * which every Databricks customer in the region shares, so anyone can ask to connect. The service's
 * "Connect" notifications (SNS) and a 15-minute schedule invoke a function that rejects every pending
 * request other than our rule's endpoint (recorded in SSM by this component), with an alarm per rejection.
 */
export class ConnectionRejecter extends pulumi.ComponentResource {
  public readonly function: aws.lambda.Function;
  public readonly parameter: aws.ssm.Parameter;
  public readonly topic: aws.sns.Topic;
  public readonly alarms: aws.cloudwatch.MetricAlarm[];

  constructor(name: string, args: ConnectionRejecterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbx-aoai-link:aws:ConnectionRejecter", name, {}, opts);
    const parent = { parent: this };
    const tags = { ...args.tags, Name: name };
    const serviceName = args.serviceName;
    const identity = aws.getCallerIdentityOutput({}, parent);

    this.parameter = new aws.ssm.Parameter(
      `${name}-rule-endpoint`,
      {
        // insecureValue: an endpoint id is no secret, and the plan should show which one is recorded.
        name: args.parameterName,
        type: "String",
        insecureValue: args.ourEndpointId,
        description:
          "VPC endpoint id of our Databricks private endpoint rule: the one connection the rejecter never rejects",
        tags,
      },
      parent,
    );
    this.topic = new aws.sns.Topic(`${name}-topic`, { tags }, parent);
    const topicPolicy = new aws.sns.TopicPolicy(
      `${name}-topic-policy`,
      {
        arn: this.topic.arn,
        policy: pulumi
          .all([this.topic.arn, identity.accountId])
          .apply(([topicArn, accountId]) => JSON.stringify(connectionTopicPolicy(topicArn, accountId))),
      },
      parent,
    );
    new aws.ec2.VpcEndpointConnectionNotification(
      `${name}-notification`,
      {
        vpcEndpointServiceId: args.serviceId,
        connectionNotificationArn: this.topic.arn,
        connectionEvents: [CONNECT_EVENT],
      },
      { parent: this, dependsOn: [topicPolicy] },
    );

    const { fn } = nodeFunction(this, name, {
      description:
        "Rejects pending connection requests on our endpoint service other than our Databricks rule's endpoint",
      roleDescription: "Connection rejecter: reject foreign connection requests on our endpoint service",
      logGroupName: args.logGroupName,
      code: lambdaCode(CONNECTION_REJECTER_ENTRY),
      timeoutSeconds: FUNCTION_TIMEOUT_SECONDS,
      variables: {
        [ENV_VARS.SERVICE_ID]: args.serviceId,
        [ENV_VARS.OUR_ENDPOINT_PARAMETER]: args.parameterName,
        [ENV_VARS.POWERTOOLS_SERVICE_NAME]: serviceName,
        [ENV_VARS.POWERTOOLS_METRICS_NAMESPACE]: METRIC_NAMESPACE_DEFAULT,
      },
      policy: (logGroupArn) =>
        pulumi.all([identity.accountId, args.serviceId, logGroupArn]).apply(([accountId, serviceId, logGroupArn]) =>
          JSON.stringify(
            connectionRejecterPolicy({
              partition: partitionOf(args.region),
              region: args.region,
              accountId,
              serviceId,
              parameterName: args.parameterName,
              logGroupArn,
            }),
          ),
        ),
      tags,
      // No reserved concurrency: Lambda refuses a reservation that leaves less than its minimum
      // unreserved ("decreases account's UnreservedConcurrentExecution below its minimum value"), so new
      // accounts with a concurrency quota of 10 or 50 failed the first `up` here
      // (aws-samples/one-observability-demo#278). Concurrent invocations only repeat the same rejections.
    });
    this.function = fn;

    const snsInvoke = allowInvoke(this, `${name}-invoke-sns`, this.function, "sns.amazonaws.com", this.topic.arn);
    new aws.sns.TopicSubscription(
      `${name}-subscription`,
      {
        topic: this.topic.arn,
        protocol: "lambda",
        endpoint: this.function.arn,
      },
      { parent: this, dependsOn: [snsInvoke] },
    );

    // The schedule re-judges requests that were too young at their notification, and catches lost ones.
    const schedule = new aws.cloudwatch.EventRule(
      `${name}-schedule`,
      {
        description: "Re-check pending connection requests on the endpoint service",
        scheduleExpression: RECHECK_SCHEDULE,
        tags,
      },
      parent,
    );
    const scheduleInvoke = allowInvoke(
      this,
      `${name}-invoke-schedule`,
      this.function,
      "events.amazonaws.com",
      schedule.arn,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-schedule-target`,
      { rule: schedule.name, arn: this.function.arn },
      { parent: this, dependsOn: [scheduleInvoke] },
    );

    const alarm = onceAlarms(args.alarms, this, name, tags);
    this.alarms = [
      alarm(
        "rejected",
        "A foreign VPC endpoint asked to connect to our endpoint service and was rejected: read the function's log for its id and owner",
        {
          namespace: METRIC_NAMESPACE_DEFAULT,
          metricName: METRIC_NAMES.ConnectionRejected,
          dimensions: { service: serviceName },
        },
      ),
      alarm("errors", "The connection rejecter failed: foreign requests may stay pending unseen", {
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: this.function.name },
      }),
    ];

    this.registerOutputs({
      functionName: this.function.name,
      topicArn: this.topic.arn,
      parameterName: this.parameter.name,
    });
  }
}
