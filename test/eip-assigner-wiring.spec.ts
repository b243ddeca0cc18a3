import * as fs from "fs";
import * as path from "path";
import * as assert from "assert";
import { evaluate, type Evaluation, stackConfig } from "./support/program";
import { ENV_VARS, FUNCTION_TIMEOUT_SECONDS, METRIC_NAMES } from "../lambda/contract";
import { bundleLambda } from "../aws/lambdaBundle";
import { eipAssignerPolicy, launchEventPattern } from "../aws/eipAssignerPolicy";
import { LIFECYCLE_HEARTBEAT_SECONDS } from "../aws/constants";
import { TYPES as T } from "../plan/resourceTypes";

type Json = Record<string, any>;

describe("EIP assigner wiring (dev stack, under mocks)", () => {
  let dev: Evaluation;
  let fn: Json;
  before(async () => {
    dev = await evaluate(stackConfig("dev"));
    fn = dev.one(T.fn, "eip-assigner-fn").inputs;
  });

  it("runs the handler bundled from lambda/ on Node.js 22, with the pool's tag key, group and hook", () => {
    assert.strictEqual(fn.runtime, "nodejs22.x");
    assert.strictEqual(fn.handler, "index.handler");
    assert.strictEqual(fn.timeout, FUNCTION_TIMEOUT_SECONDS);
    const env = fn.environment.variables;
    assert.strictEqual(env[ENV_VARS.EIP_TAG_KEY], "dbx-aoai-link-dev-eip");
    assert.strictEqual(env[ENV_VARS.ASG_NAME], dev.one(T.asg).inputs.name);
    assert.strictEqual(env[ENV_VARS.LIFECYCLE_HOOK_NAMES], dev.one(T.lifecycleHook).inputs.name);
    assert.deepStrictEqual(Object.keys(fn.code.assets), ["index.js"]);
    const code = fs.readFileSync(fn.code.assets["index.js"].path, "utf8");
    assert.ok(code.length > 10_000, "the bundle carries the SDK clients");
  });

  it("bundles deterministically: the same source gives the same code", () => {
    const code = bundleLambda();
    assert.match(code, /handler/);
    assert.strictEqual(fs.readFileSync(fn.code.assets["index.js"].path, "utf8"), code);
  });

  it("logs as JSON to a log group with a retention", () => {
    const logGroup = dev.one(T.logGroup, "eip-assigner-logs").inputs;
    assert.ok(logGroup.retentionInDays > 0);
    assert.deepStrictEqual(fn.loggingConfig, { logFormat: "JSON", logGroup: logGroup.name });
  });

  it("matches exactly this group's launch lifecycle action of this hook", () => {
    const pattern = JSON.parse(String(dev.one(T.eventRule, "eip-assigner-rule").inputs.eventPattern));
    assert.deepStrictEqual(pattern, launchEventPattern("dbx-aoai-link-dev-proxies", ["assign-pool-eip"]));
    assert.deepStrictEqual(pattern["detail-type"], ["EC2 Instance-launch Lifecycle Action"]);
    assert.deepStrictEqual(pattern.detail.AutoScalingGroupName, ["dbx-aoai-link-dev-proxies"]);
  });

  describe("every launch hook the group can carry is answered (proxy.launchHookName)", () => {
    /** The hook names a group created by this program carries: its initial hook and the standalone one. */
    function hookNamesOnANewGroup(stack: Evaluation): string[] {
      const initial = stack.one(T.asg).inputs.initialLifecycleHooks.map((hook: Json) => hook.name);
      return [...new Set([...initial, stack.one(T.lifecycleHook).inputs.name])].sort();
    }
    function answered(stack: Evaluation): { rule: string[]; fn: string[] } {
      const pattern = JSON.parse(String(stack.one(T.eventRule, "eip-assigner-rule").inputs.eventPattern));
      const env = stack.one(T.fn, "eip-assigner-fn").inputs.environment.variables;
      return {
        rule: [...pattern.detail.LifecycleHookName].sort(),
        fn: String(env[ENV_VARS.LIFECYCLE_HOOK_NAMES]).split(",").sort(),
      };
    }

    it("by default one hook: the standalone hook adopts the initial one by name", () => {
      assert.deepStrictEqual(hookNamesOnANewGroup(dev), ["assign-pool-eip"]);
      assert.deepStrictEqual(answered(dev), { rule: ["assign-pool-eip"], fn: ["assign-pool-eip"] });
    });

    it("after a rename, a group created later carries both hooks, and the rule and the function answer both", async () => {
      const renamed = await evaluate(
        stackConfig("dev", (raw) => {
          raw["dbx-aoai-link:proxy"].launchHookName = "estate/assign-egress-ip";
        }),
      );
      const names = hookNamesOnANewGroup(renamed);
      assert.deepStrictEqual(names, ["assign-pool-eip", "estate/assign-egress-ip"]);
      // Unanswered, a hook holds every new proxy in Pending:Wait until its heartbeat abandons the launch.
      assert.deepStrictEqual(answered(renamed), { rule: names, fn: names });
    });
  });

  it("targets the function with retries and a dead-letter queue; failed invocations dead-letter too", () => {
    const target = dev.one(T.target, "eip-assigner-target").inputs;
    const queueArn = dev.one(T.queue).outputs.arn;
    assert.strictEqual(target.arn, dev.one(T.fn, "eip-assigner-fn").outputs.arn);
    assert.ok(target.retryPolicy.maximumRetryAttempts > 0);
    assert.deepStrictEqual(target.deadLetterConfig, { arn: queueArn });
    assert.deepStrictEqual(fn.deadLetterConfig, { targetArn: queueArn });
    const queuePolicy = JSON.parse(String(dev.one(T.queuePolicy).inputs.policy));
    assert.strictEqual(
      queuePolicy.Statement[0].Condition.ArnEquals["aws:SourceArn"],
      dev.one(T.eventRule, "eip-assigner-rule").outputs.arn,
    );
  });

  it("lets only this rule invoke the function", () => {
    const permission = dev.one(T.permission, "eip-assigner-invoke").inputs;
    assert.strictEqual(permission.principal, "events.amazonaws.com");
    assert.strictEqual(permission.sourceArn, dev.one(T.eventRule, "eip-assigner-rule").outputs.arn);
  });

  it("keeps the heartbeat longer than the function's whole async retry sequence", () => {
    // Three invocations with Lambda's 1 and 2 minute retry delays between them.
    assert.ok(LIFECYCLE_HEARTBEAT_SECONDS > 3 * FUNCTION_TIMEOUT_SECONDS + 180);
  });

  describe("IAM", () => {
    let statements: Json[];
    before(() => {
      statements = JSON.parse(String(dev.one(T.rolePolicy, "eip-assigner-policy").inputs.policy)).Statement;
    });

    it("may associate only the pool's addresses", () => {
      const pool = dev
        .all(T.eip)
        .map((e) => e.outputs.arn)
        .sort();
      const onAddresses = statements.find((s) => s.Sid === "AssociatePoolAddresses")!;
      assert.deepStrictEqual(onAddresses.Resource, pool);
      assert.strictEqual(pool.length, 5);
    });

    it("may associate through network interfaces of the proxies' VPC only", () => {
      const onInterfaces = statements.find((s) => s.Sid === "AssociateThroughThisVpcsInterfaces")!;
      assert.deepStrictEqual(onInterfaces.Action, ["ec2:AssociateAddress"]);
      assert.strictEqual(onInterfaces.Resource, "arn:aws:ec2:us-east-1:123456789012:network-interface/*");
      assert.deepStrictEqual(onInterfaces.Condition, {
        StringEquals: { "ec2:Vpc": dev.one("aws:ec2/vpc:Vpc").outputs.arn },
      });
    });

    it("may associate only to instances of this group, and complete only this group's actions", () => {
      const onInstances = statements.find((s) => s.Sid === "AssociateToThisGroupsInstances")!;
      assert.deepStrictEqual(onInstances.Condition, {
        StringEquals: { "aws:ResourceTag/aws:autoscaling:groupName": "dbx-aoai-link-dev-proxies" },
      });
      const complete = statements.find((s) => s.Action.includes("autoscaling:CompleteLifecycleAction"))!;
      assert.strictEqual(
        complete.Resource,
        "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/dbx-aoai-link-dev-proxies",
      );
    });

    it('grants "*" only to the two Describe calls, which AWS cannot scope, and never Action "*"', () => {
      for (const s of statements) {
        assert.ok(!s.Action.some((a: string) => a.includes("*")), s.Sid);
        if (s.Resource === "*") {
          assert.deepStrictEqual(s.Action, ["ec2:DescribeAddresses", "autoscaling:DescribeAutoScalingInstances"]);
        }
      }
    });

    it("grants every call the function makes (each SDK command in lambda/aws.ts)", () => {
      const source = fs.readFileSync(path.join(__dirname, "..", "lambda", "aws.ts"), "utf8");
      const service: Record<string, string> = { ec2Client: "ec2", autoScalingClient: "autoscaling" };
      const sent = [...source.matchAll(/(\w+Client)\.send\(\s*new (\w+)Command\(/g)].map(
        ([, client, command]) => `${service[client]}:${command}`,
      );
      assert.ok(sent.length >= 4, `found ${sent}`);
      const granted = new Set(statements.flatMap((s) => s.Action));
      assert.deepStrictEqual(
        sent.filter((action) => !granted.has(action)),
        [],
      );
    });

    it("refuses to build a policy for an empty pool", () => {
      assert.throws(
        () =>
          eipAssignerPolicy({
            partition: "aws",
            region: "us-east-1",
            accountId: "1",
            asgName: "g",
            vpcArn: "v",
            eipArns: [],
            logGroupArn: "l",
            deadLetterQueueArn: "q",
          }),
        /at least one pool address/,
      );
    });
  });

  it("alarms on function errors and throttles, pool exhaustion and unknown instances (the metrics' own namespace and service) and a non-empty DLQ", () => {
    const alarms = dev
      .all(T.alarm)
      .filter((a) => a.name.startsWith("eip-assigner-"))
      .map((a) => a.inputs);
    assert.strictEqual(alarms.length, 5);
    const gone = alarms.find((a) => a.metricName === METRIC_NAMES.InstanceGone)!;
    assert.strictEqual(gone.namespace, fn.environment.variables[ENV_VARS.POWERTOOLS_METRICS_NAMESPACE]);
    assert.deepStrictEqual(gone.dimensions, { service: fn.environment.variables[ENV_VARS.POWERTOOLS_SERVICE_NAME] });
    assert.ok(
      alarms.some(
        (a) =>
          a.namespace === "AWS/Lambda" &&
          a.metricName === "Throttles" &&
          a.dimensions.FunctionName === dev.one(T.fn, "eip-assigner-fn").outputs.name,
      ),
    );
    const exhausted = alarms.find((a) => a.metricName === METRIC_NAMES.PoolExhausted)!;
    assert.strictEqual(exhausted.namespace, fn.environment.variables[ENV_VARS.POWERTOOLS_METRICS_NAMESPACE]);
    assert.deepStrictEqual(exhausted.dimensions, {
      service: fn.environment.variables[ENV_VARS.POWERTOOLS_SERVICE_NAME],
    });
    assert.ok(
      alarms.some(
        (a) =>
          a.namespace === "AWS/Lambda" &&
          a.metricName === "Errors" &&
          a.dimensions.FunctionName === dev.one(T.fn, "eip-assigner-fn").outputs.name,
      ),
    );
    assert.ok(
      alarms.some((a) => a.namespace === "AWS/SQS" && a.dimensions.QueueName === dev.one(T.queue).outputs.name),
    );
  });

  it("creates the group only after the rule, its target and the invoke permission exist", () => {
    const dependsOn = dev.one(T.asg).dependsOn;
    for (const [type, name] of [
      [T.target, "eip-assigner-target"],
      [T.permission, "eip-assigner-invoke"],
      [T.fn, "eip-assigner-fn"],
    ]) {
      const urn = dev.one(type, name).urn.split("::").pop();
      assert.ok(
        dependsOn.some((d) => d.endsWith(`::${urn}`)),
        `the group waits for ${type}: ${dependsOn.join(", ")}`,
      );
    }
  });
});
