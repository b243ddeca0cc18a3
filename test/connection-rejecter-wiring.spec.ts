import * as fs from "fs";
import * as assert from "assert";
import { evaluate, type Evaluation, stackConfig } from "./support/program";
import { CONNECT_EVENT, ENV_VARS, METRIC_NAMES, RECHECK_SCHEDULE } from "../lambda-connections/contract";
import { CONNECTION_REJECTER_ENTRY, bundleLambda } from "../aws/lambdaBundle";
import { MOCK_AWS_ACCOUNT_ID } from "../plan/mocks";
import { TYPES as T } from "../plan/resourceTypes";

type Json = Record<string, any>;

describe("connection rejecter wiring (dev stack, under mocks)", () => {
  let dev: Evaluation;
  let fn: Json;
  let service: Json;
  before(async () => {
    dev = await evaluate(stackConfig("dev"));
    fn = dev.one(T.fn, "privatelink-guard-fn").inputs;
    service = dev.one(T.endpointService);
  });

  it("runs its own bundle (lambda-connections/) for our endpoint service and the recorded-id parameter", () => {
    const code = fs.readFileSync(fn.code.assets["index.js"].path, "utf8");
    assert.strictEqual(code, bundleLambda(CONNECTION_REJECTER_ENTRY));
    assert.notStrictEqual(
      fn.code.assets["index.js"].path,
      dev.one(T.fn, "eip-assigner-fn").inputs.code.assets["index.js"].path,
    );
    assert.strictEqual(fn.environment.variables[ENV_VARS.SERVICE_ID], service.outputs.id);
    assert.strictEqual(
      fn.environment.variables[ENV_VARS.OUR_ENDPOINT_PARAMETER],
      "/dbx-aoai-link/dev/privatelink/rule-endpoint-id",
    );
    // No reserved concurrency: Lambda refuses any reservation that leaves less than its minimum
    // unreserved, so accounts with a low concurrency quota (10 or 50 in new accounts) would fail the first
    // `up`; concurrent invocations are safe (test/rejecter-race.spec.ts) and only repeat the same rejections.
    assert.strictEqual(fn.reservedConcurrentExecutions, undefined);
  });

  it("records exactly the endpoint the program accepts (the rule waiter's output) in the parameter", () => {
    const parameter = dev.one(T.ssmParameter).inputs;
    parameter.value = parameter.insecureValue;
    assert.strictEqual(parameter.name, fn.environment.variables[ENV_VARS.OUR_ENDPOINT_PARAMETER]);
    assert.match(parameter.value, /^vpce-0[0-9a-f]+$/);
    assert.strictEqual(parameter.value, dev.one(T.accepter).inputs.vpcEndpointId);
    assert.strictEqual(parameter.value, dev.one(T.ruleEndpoint).outputs.vpcEndpointId);
  });

  it("is notified of every Connect on our service through an SNS topic only this account's endpoint services may publish to", () => {
    const notification = dev.one(T.connectionNotification).inputs;
    const topic = dev.one(T.topic, "privatelink-guard-topic").outputs;
    assert.strictEqual(notification.vpcEndpointServiceId, service.outputs.id);
    assert.strictEqual(notification.connectionNotificationArn, topic.arn);
    assert.deepStrictEqual(notification.connectionEvents, [CONNECT_EVENT]);
    const policy = JSON.parse(dev.one(T.topicPolicy).inputs.policy);
    assert.deepStrictEqual(
      policy.Statement.map((s: Json) => [s.Principal, s.Action, s.Resource, s.Condition]),
      [
        [
          { Service: "vpce.amazonaws.com" },
          "sns:Publish",
          topic.arn,
          { StringEquals: { "aws:SourceAccount": MOCK_AWS_ACCOUNT_ID } },
        ],
      ],
    );
    const subscription = dev.one(T.subscription, "privatelink-guard-subscription").inputs;
    assert.deepStrictEqual(
      [subscription.topic, subscription.protocol, subscription.endpoint],
      [topic.arn, "lambda", dev.one(T.fn, "privatelink-guard-fn").outputs.arn],
    );
  });

  it("may be invoked only by its topic and its schedule", () => {
    const permissions = dev
      .all(T.permission)
      .filter((p) => p.name.startsWith("privatelink-guard-"))
      .map((p) => [p.inputs.principal, p.inputs.sourceArn]);
    assert.deepStrictEqual(permissions, [
      ["sns.amazonaws.com", dev.one(T.topic, "privatelink-guard-topic").outputs.arn],
      ["events.amazonaws.com", dev.one(T.eventRule, "privatelink-guard-schedule").outputs.arn],
    ]);
    assert.strictEqual(dev.one(T.eventRule, "privatelink-guard-schedule").inputs.scheduleExpression, RECHECK_SCHEDULE);
  });

  it("may reject on our service only, read only its parameter, and list connections (which has no resource scope)", () => {
    const statements = JSON.parse(dev.one(T.rolePolicy, "privatelink-guard-policy").inputs.policy).Statement as Json[];
    const byAction = Object.fromEntries(statements.flatMap((s) => s.Action.map((a: string) => [a, s.Resource])));
    assert.deepStrictEqual(byAction["ec2:RejectVpcEndpointConnections"], service.outputs.arn);
    assert.deepStrictEqual(byAction["ssm:GetParameter"], dev.one(T.ssmParameter).outputs.arn);
    assert.deepStrictEqual(
      statements.filter((s) => s.Resource === "*").map((s) => s.Action),
      [["ec2:DescribeVpcEndpointConnections"]],
    );
  });

  it("alarms on every rejection (the metric's namespace and service) and on function errors", () => {
    const alarms = dev
      .all(T.alarm)
      .filter((a) => a.name.startsWith("privatelink-guard-"))
      .map((a) => a.inputs);
    const rejected = alarms.find((a) => a.metricName === METRIC_NAMES.ConnectionRejected)!;
    assert.strictEqual(rejected.namespace, fn.environment.variables[ENV_VARS.POWERTOOLS_METRICS_NAMESPACE]);
    assert.deepStrictEqual(rejected.dimensions, {
      service: fn.environment.variables[ENV_VARS.POWERTOOLS_SERVICE_NAME],
    });
    assert.strictEqual(rejected.threshold, 1);
    assert.ok(
      alarms.some(
        (a) =>
          a.namespace === "AWS/Lambda" &&
          a.metricName === "Errors" &&
          a.dimensions.FunctionName === dev.one(T.fn, "privatelink-guard-fn").outputs.name,
      ),
    );
  });
});
