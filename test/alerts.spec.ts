/**
 * Alarms reach a person: the `alerts` config, the alarm factory's encrypted topic, and every alarm
 * of the program notifying it on ALARM and on OK.
 */
import * as assert from "assert";
import * as path from "path";
import { validateStackConfig } from "../config/validate";
import { ConfigError } from "../config/issues";
import { parseRawConfig } from "../config/load";
import { readStackConfigFile } from "../plan/run";
import { alertKeyPolicy } from "../aws/alertsPolicy";
import { alertsWarning, subscriptionName } from "../aws/alerts";
import { evaluate, type Evaluation, stackConfig } from "./support/program";
import { TYPES as T } from "../plan/resourceTypes";
import { ignoredGroupInputs } from "../aws/proxyTier";
import { TARGET_FLOWS_PER_PROXY } from "../aws/observability";
import { PROXY_MAXCONN } from "../aws/constants";
import { METRIC_NAMES, METRIC_NAMESPACE_DEFAULT } from "../lambda/contract";

const ALERTS = "dbx-aoai-link:alerts";

function devWithAlerts(alerts: unknown): Record<string, unknown> {
  const raw = parseRawConfig(readStackConfigFile(path.resolve(__dirname, "..", "Pulumi.dev.yaml")).values);
  if (alerts === undefined) delete raw[ALERTS];
  else raw[ALERTS] = alerts;
  return raw;
}

function rejection(alerts: unknown): string {
  try {
    validateStackConfig("dev", devWithAlerts(alerts));
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message;
  }
  return assert.fail("accepted");
}

describe("alerts config (dbx-aoai-link:alerts)", () => {
  it("reads emails (lower-cased) and an existing topic in aws:region", () => {
    const config = validateStackConfig(
      "dev",
      devWithAlerts({ emails: ["OnCall@Example.com"], topicArn: "arn:aws:sns:us-east-1:123456789012:pager" }),
    );
    assert.deepStrictEqual(config.alerts, {
      emails: ["oncall@example.com"],
      topicArn: "arn:aws:sns:us-east-1:123456789012:pager",
    });
  });

  it("is optional: no block means no subscriber, and a warning says so", () => {
    const config = validateStackConfig("dev", devWithAlerts(undefined));
    assert.deepStrictEqual(config.alerts, { emails: [] });
    assert.match(
      alertsWarning(config.alerts)!,
      /dbx-aoai-link:alerts is not set: .*nobody is subscribed.*Fix: set alerts\.emails/,
    );
    assert.strictEqual(alertsWarning({ emails: ["a@example.com"] }), undefined);
    assert.strictEqual(alertsWarning({ emails: [], topicArn: "arn:aws:sns:us-east-1:123456789012:x" }), undefined);
  });

  it("rejects a malformed address, naming the entry", () => {
    assert.match(
      rejection({ emails: ["oncall.example.com"] }),
      /dbx-aoai-link:alerts\.emails\[0\] = "oncall\.example\.com": is not an email address\. Fix:/,
    );
  });

  it("rejects a topic in another region: alarms can only notify a topic of their own region", () => {
    assert.match(
      rejection({ topicArn: "arn:aws:sns:eu-west-1:123456789012:pager" }),
      /alerts\.topicArn = "arn:aws:sns:eu-west-1:123456789012:pager": is in eu-west-1, but alarms live in aws:region us-east-1.*Fix: use a topic in us-east-1/,
    );
  });

  it("rejects something that is not a topic ARN, and unknown keys with a suggestion", () => {
    assert.match(
      rejection({ topicArn: "arn:aws:sqs:us-east-1:123456789012:q" }),
      /alerts\.topicArn = .*: is not an SNS topic ARN/,
    );
    assert.match(rejection({ email: ["a@example.com"] }), /alerts\.email = .*unknown key.*did you mean "emails"/);
  });
});

describe("alert topic key policy (pure)", () => {
  const policy = alertKeyPolicy({ partition: "aws", accountId: "123456789012" });

  it("lets CloudWatch alarms of this account only encrypt/decrypt for publishing", () => {
    const cw = policy.Statement.find((s) => s.Principal.Service === "cloudwatch.amazonaws.com")!;
    assert.deepStrictEqual(cw.Action, ["kms:Decrypt", "kms:GenerateDataKey*"]);
    assert.deepStrictEqual(cw.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
  });

  it("keeps the account able to administer the key (KMS refuses lock-out policies)", () => {
    assert.ok(
      policy.Statement.some((s) => s.Principal.AWS === "arn:aws:iam::123456789012:root" && s.Action === "kms:*"),
    );
  });
});

describe("alarm factory in the program (under mocks)", () => {
  let prod: Evaluation;
  before(async () => {
    prod = await evaluate(stackConfig("prod"));
  });

  it("encrypts the alert topic with its own customer managed key (rotation on)", () => {
    const key = prod.one(T.kmsKey);
    assert.strictEqual(prod.one(T.topic, "alerts-topic").inputs.kmsMasterKeyId, key.outputs.arn);
    assert.strictEqual(key.inputs.enableKeyRotation, true);
    const policy = JSON.parse(key.inputs.policy);
    assert.deepStrictEqual(policy, alertKeyPolicy({ partition: "aws", accountId: "123456789012" }));
  });

  it("subscribes each configured address by email", () => {
    const subs = prod.all(T.subscription).filter((s) => s.inputs.protocol === "email");
    assert.deepStrictEqual(
      subs.map((s) => [s.inputs.protocol, s.inputs.endpoint, s.inputs.topic]),
      [["email", "oncall@example.com", prod.one(T.topic, "alerts-topic").outputs.arn]],
    );
    assert.strictEqual(subs[0].name, subscriptionName("alerts", "oncall@example.com"));
  });

  it("gives every alarm the topic and the existing topic as alarm AND OK actions, and a stack-scoped name", () => {
    const alarms = prod.all(T.alarm);
    assert.ok(alarms.length >= 3);
    const expected = [
      prod.one(T.topic, "alerts-topic").outputs.arn,
      "arn:aws:sns:us-east-1:123456789012:platform-pager",
    ];
    for (const alarm of alarms) {
      assert.deepStrictEqual(alarm.inputs.alarmActions, expected, alarm.name);
      assert.deepStrictEqual(alarm.inputs.okActions, expected, alarm.name);
      assert.strictEqual(alarm.inputs.name, `dbx-aoai-link-prod-${alarm.name}`);
    }
  });

  it("keeps the existing alarms' resource names (their URNs do not change)", () => {
    const names = prod.all(T.alarm).map((a) => a.name);
    for (const n of ["eip-assigner-errors", "eip-assigner-pool-exhausted", "eip-assigner-dlq-not-empty"])
      assert.ok(names.includes(n), n);
  });

  it("alarms on the issue's six conditions: healthy < minSize, unhealthy 5 min, assigner errors, pool exhausted, dead letters, throttles", () => {
    const by = (name: string) => prod.one(T.alarm, name).inputs;
    const healthy = by("proxy-healthy-below-min");
    assert.deepStrictEqual(
      [healthy.metricName, healthy.threshold, healthy.comparisonOperator, healthy.statistic],
      ["HealthyHostCount", 3, "LessThanThreshold", "Minimum"],
    );
    assert.deepStrictEqual(healthy.dimensions, {
      TargetGroup: prod.one(T.targetGroup).outputs.arnSuffix,
      LoadBalancer: prod.one(T.nlb).outputs.arnSuffix,
    });
    const unhealthy = by("proxy-unhealthy-5min");
    assert.deepStrictEqual(
      [
        unhealthy.metricName,
        unhealthy.period * unhealthy.evaluationPeriods,
        unhealthy.datapointsToAlarm,
        unhealthy.threshold,
      ],
      ["UnHealthyHostCount", 300, 5, 1],
    );
    // The group replaces on EC2 health and the watchdog's verdict, not on the NLB check: the description
    // must not promise a replacement, and must point on-call at the two causes.
    assert.doesNotMatch(unhealthy.alarmDescription, /group replaces/);
    assert.match(unhealthy.alarmDescription, /Azure/);
    assert.match(unhealthy.alarmDescription, /DNS/);
    assert.match(unhealthy.alarmDescription, /watchdog/);
    assert.strictEqual(by("eip-assigner-errors").metricName, "Errors");
    assert.strictEqual(by("eip-assigner-pool-exhausted").metricName, METRIC_NAMES.PoolExhausted);
    assert.strictEqual(by("eip-assigner-dlq-not-empty").metricName, "ApproximateNumberOfMessagesVisible");
    assert.strictEqual(by("eip-assigner-throttles").metricName, "Throttles");
  });

  it("draws the tier's dashboard: hosts, flows, bytes, assigner outcomes, in-service instances", () => {
    const body = JSON.parse(prod.one(T.dashboard).inputs.dashboardBody);
    const metrics = body.widgets.flatMap((w: any) => w.properties.metrics.map((m: unknown[]) => `${m[0]}/${m[1]}`));
    for (const m of [
      "AWS/NetworkELB/HealthyHostCount",
      "AWS/NetworkELB/UnHealthyHostCount",
      "AWS/NetworkELB/ActiveFlowCount",
      "AWS/NetworkELB/NewFlowCount",
      "AWS/NetworkELB/ProcessedBytes",
      "AWS/AutoScaling/GroupInServiceInstances",
      ...Object.values(METRIC_NAMES).map((n) => `${METRIC_NAMESPACE_DEFAULT}/${n}`),
    ]) {
      assert.ok(metrics.includes(m), `${m} in ${metrics.join(", ")}`);
    }
    assert.ok(body.widgets.every((w: any) => w.properties.region === "us-east-1"));
    assert.deepStrictEqual(prod.one(T.asg).inputs.enabledMetrics.includes("GroupInServiceInstances"), true);
  });

  it("scales on active flows per in-service proxy, at half of HAProxy's maxconn, within minSize..maxSize", () => {
    const policy = prod.one(T.scalingPolicy).inputs;
    assert.strictEqual(policy.policyType, "TargetTrackingScaling");
    assert.strictEqual(policy.autoscalingGroupName, prod.one(T.asg).outputs.name);
    assert.strictEqual(policy.targetTrackingConfiguration.targetValue, TARGET_FLOWS_PER_PROXY);
    assert.strictEqual(TARGET_FLOWS_PER_PROXY, PROXY_MAXCONN / 2);
    const metrics = policy.targetTrackingConfiguration.customizedMetricSpecification.metrics;
    assert.deepStrictEqual(
      metrics.map((m: any) => m.id),
      ["flows", "proxies", "flowsPerProxy"],
    );
    assert.strictEqual(metrics[2].expression, "flows / proxies");
    assert.deepStrictEqual(metrics[0].metricStat.metric.dimensions, [
      { name: "LoadBalancer", value: prod.one(T.nlb).outputs.arnSuffix },
    ]);
  });

  it("stops resetting the running count on each up once scaling is on (desiredCapacity ignored after creation)", () => {
    assert.deepStrictEqual(ignoredGroupInputs({ minSize: 3, maxSize: 9 }), ["desiredCapacity"]);
    assert.deepStrictEqual(ignoredGroupInputs({ minSize: 2, maxSize: 2 }), []);
  });
});
