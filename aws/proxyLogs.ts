import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { type AlarmFactory } from "./alerts";
import { LOG_RETENTION_DAYS } from "./constants";
import { REFUSED_TLS_FILTER_PATTERN, REFUSED_TLS_METRIC } from "./proxyLogShipping";
import { flowLogTrustPolicy, flowLogWriterPolicy } from "./proxyLogsPolicy";
import { accountPolicyJson } from "./accountPolicy";

export interface ProxyLogsArgs {
  readonly region: string;
  /** HAProxy's log group: the proxies' CloudWatch agents write it (their role is scoped to it in ProxyTier). */
  readonly haproxyLogGroupName: string;
  /** The flow-log group of the proxy subnets. */
  readonly flowLogGroupName: string;
  /**
   * The ids of the subnets the proxies run in, index i in zone i (created or `proxy.existingVpc`):
   * each gets a flow log named by its index.
   */
  readonly proxySubnetIds: readonly pulumi.Input<string>[];
  readonly alarms: AlarmFactory;
  /**
   * Refused TLS connections in five minutes that raise the alarm. Only our FQDN is routed to the
   * endpoint service, so one refusal already means someone tried another name (or no TLS) through it.
   * @default 1
   */
  readonly refusedThreshold?: number;
  readonly tags?: Record<string, string>;
}

/**
 * Evidence that outlives the instances: HAProxy's log in CloudWatch Logs with a count of refused TLS
 * connections (wrong or missing SNI, not TLS) and an alarm on it, and VPC flow logs of the proxy
 * subnets. Both groups keep LOG_RETENTION_DAYS, like every other group of the stack.
 */
export class ProxyLogs extends pulumi.ComponentResource {
  public readonly haproxyLogGroup: aws.cloudwatch.LogGroup;
  public readonly flowLogGroup: aws.cloudwatch.LogGroup;

  constructor(name: string, args: ProxyLogsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbx-aoai-link:aws:ProxyLogs", name, {}, opts);
    const parent = { parent: this };
    const tags = args.tags;

    this.haproxyLogGroup = new aws.cloudwatch.LogGroup(
      `${name}-haproxy`,
      { name: args.haproxyLogGroupName, retentionInDays: LOG_RETENTION_DAYS, tags },
      parent,
    );
    new aws.cloudwatch.LogMetricFilter(
      `${name}-refused-tls`,
      {
        logGroupName: this.haproxyLogGroup.name,
        pattern: REFUSED_TLS_FILTER_PATTERN,
        metricTransformation: {
          namespace: REFUSED_TLS_METRIC.namespace,
          name: REFUSED_TLS_METRIC.name,
          value: "1",
          unit: "Count",
        },
      },
      parent,
    );
    args.alarms.alarm(
      `${name}-refused-tls`,
      {
        alarmDescription:
          "A proxy refused a TLS connection (an SNI name off the allow list, no SNI, or not TLS): someone tried to reach " +
          `another name through our path. The sni= field of the lines matching ${REFUSED_TLS_FILTER_PATTERN} in ` +
          `${args.haproxyLogGroupName} names it.`,
        namespace: REFUSED_TLS_METRIC.namespace,
        metricName: REFUSED_TLS_METRIC.name,
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: args.refusedThreshold ?? 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        tags,
      },
      parent,
    );

    this.flowLogGroup = new aws.cloudwatch.LogGroup(
      `${name}-flows`,
      { name: args.flowLogGroupName, retentionInDays: LOG_RETENTION_DAYS, tags },
      parent,
    );
    const identity = aws.getCallerIdentityOutput({}, parent);
    const role = new aws.iam.Role(
      `${name}-flows-role`,
      {
        description: "VPC Flow Logs of the proxy subnets: writes their log group only",
        assumeRolePolicy: accountPolicyJson(args.region, identity.accountId, flowLogTrustPolicy),
        tags,
      },
      parent,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-flows-write`,
      {
        role: role.name,
        policy: accountPolicyJson(args.region, identity.accountId, (scope) =>
          flowLogWriterPolicy({ ...scope, logGroupName: args.flowLogGroupName }),
        ),
      },
      parent,
    );
    // Keyed like the subnets (AZ index), so a zone added within the same subnet layout adds a flow log
    // and moves none (aws/subnetLayout.ts re-carves at powers of two: docs/fleet.md). An existing
    // VPC's subnets may carry their owner's flow logs too: ours is one more, to our own group. EC2 caps
    // flow logs per subnet (FlowLogsLimitExceeded; older VPC quota tables said 2 per subnet, not
    // adjustable: awsdocs/amazon-vpc-user-guide doc_source/amazon-vpc-limits.md), see docs/bring-your-own.md.
    args.proxySubnetIds.forEach(
      (subnetId, i) =>
        new aws.ec2.FlowLog(
          `${name}-flows-${i}`,
          {
            subnetId,
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: this.flowLogGroup.arn,
            iamRoleArn: role.arn,
            maxAggregationInterval: 60,
            tags,
          },
          { parent: this, dependsOn: [rolePolicy] },
        ),
    );

    this.registerOutputs({
      haproxyLogGroupName: this.haproxyLogGroup.name,
      flowLogGroupName: this.flowLogGroup.name,
    });
  }
}
