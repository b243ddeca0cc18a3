/**
 * Logs that outlive the proxies: the CloudWatch filter-pattern matcher against the documented
 * semantics, the IAM documents (ARN-scoped, confused-deputy conditions), and the program's wiring
 * under mocks (groups with the stack's retention, the filter, the alarm through the factory, the
 * instance role's one extra grant, a flow log per proxy subnet). The filter pattern against a REAL
 * HAProxy line is in haproxy-integration.spec.ts.
 */
import * as assert from "assert";
import { LOG_RETENTION_DAYS } from "../aws/constants";
import {
  REFUSED_TLS_FILTER_PATTERN,
  REFUSED_TLS_METRIC,
  matchesTermPattern,
  renderCloudWatchAgentConfig,
} from "../aws/proxyLogShipping";
import { flowLogTrustPolicy, flowLogWriterPolicy, proxyLogWriterPolicy } from "../aws/proxyLogsPolicy";
import { TYPES as T } from "../plan/resourceTypes";
import { MOCK_AWS_ACCOUNT_ID } from "../engine/inventedValues";
import { evaluate, stackConfig, type Evaluation } from "./support/program";

/** Lines as HAProxy writes them (log-format of aws/haproxyConfig.ts); the refused one was captured from haproxy 2.6. */
const REFUSED =
  '127.0.0.1:60758 [01/Dec/2026:19:33:16.935] tls_in tls_in/<NOSRV> -1/-1/6 0 385 PR 1/1/0/0/0 0/0 sni="exfil-aoai.openai.azure.com"';
const ALLOWED =
  '10.42.1.7:40112 [01/Dec/2026:19:33:16.101] tls_in aoai_contoso-aoai-dev.openai.azure.com/azure 1/2/300 5120 1024 -- 1/1/0/0/0 0/0 sni="contoso-aoai-dev.openai.azure.com"';
/** A backend that lost its server: not a refusal by the allow list, and not counted. */
const NO_SERVER =
  '10.42.1.7:40113 [01/Dec/2026:19:33:17.000] tls_in aoai_contoso-aoai-dev.openai.azure.com/<NOSRV> -1/-1/0 0 0 SC 1/1/0/0/0 0/0 sni="contoso-aoai-dev.openai.azure.com"';

describe("HAProxy log shipping and flow logs", () => {
  describe("CloudWatch filter-pattern terms (FilterAndPatternSyntax.html)", () => {
    it("counts the refused line, not an allowed session nor a backend without a server", () => {
      assert.ok(matchesTermPattern(REFUSED_TLS_FILTER_PATTERN, REFUSED));
      assert.ok(!matchesTermPattern(REFUSED_TLS_FILTER_PATTERN, ALLOWED));
      assert.ok(!matchesTermPattern(REFUSED_TLS_FILTER_PATTERN, NO_SERVER));
    });

    it("follows the documented term semantics: AND, quoted phrases, ?OR, -exclude, case-sensitive, empty matches all", () => {
      assert.ok(matchesTermPattern("ERROR Exception", "an ERROR with an Exception"));
      assert.ok(!matchesTermPattern("ERROR Exception", "an ERROR alone"));
      assert.ok(matchesTermPattern('"tls_in/<NOSRV>"', "x tls_in/<NOSRV> y"));
      assert.ok(!matchesTermPattern('"a b"', "a x b"), "a quoted phrase is one exact text");
      assert.ok(matchesTermPattern("?ERROR ?WARN", "a WARN"));
      assert.ok(!matchesTermPattern("?ERROR ?WARN", "an INFO"));
      assert.ok(!matchesTermPattern("ERROR -DEBUG", "ERROR in DEBUG"));
      assert.ok(!matchesTermPattern("error", "ERROR"), "case-sensitive");
      assert.ok(matchesTermPattern("", "anything"));
      assert.throws(() => matchesTermPattern("[ip, user]", "x"), /only term patterns/);
    });
  });

  describe("IAM documents", () => {
    const scope = {
      partition: "aws",
      region: "us-east-1",
      accountId: "123456789012",
      logGroupName: "/dbx-aoai-link/dev/haproxy",
    };
    const group = "arn:aws:logs:us-east-1:123456789012:log-group:/dbx-aoai-link/dev/haproxy";

    it("lets the proxies create their stream and put events in HAProxy's group only", () => {
      const [statement, ...rest] = proxyLogWriterPolicy(scope).Statement;
      assert.strictEqual(rest.length, 0);
      assert.deepStrictEqual(statement.Resource, [group, `${group}:*`]);
      assert.deepStrictEqual(statement.Action, [
        "logs:CreateLogStream",
        "logs:DescribeLogStreams",
        "logs:PutLogEvents",
      ]);
      assert.ok(!JSON.stringify(statement).includes("CreateLogGroup"), "the program creates the group, with retention");
    });

    it("lets VPC Flow Logs write the flow-log group only, and assume the role only for this account's flow logs", () => {
      const writer = flowLogWriterPolicy({ ...scope, logGroupName: "/x/proxy-flow-logs" }).Statement[0];
      assert.deepStrictEqual(writer.Resource, [
        "arn:aws:logs:us-east-1:123456789012:log-group:/x/proxy-flow-logs",
        "arn:aws:logs:us-east-1:123456789012:log-group:/x/proxy-flow-logs:*",
      ]);
      const trust = flowLogTrustPolicy(scope).Statement[0];
      assert.deepStrictEqual(trust.Principal, { Service: "vpc-flow-logs.amazonaws.com" });
      assert.deepStrictEqual(trust.Condition, {
        StringEquals: { "aws:SourceAccount": "123456789012" },
        ArnLike: { "aws:SourceArn": "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*" },
      });
    });

    it("refuses a log group name CloudWatch would refuse", () => {
      assert.throws(
        () => renderCloudWatchAgentConfig("bad name"),
        /logGroupName = "bad name": not a CloudWatch log group name\. Fix:/,
      );
    });
  });

  describe("the program (dev, under mocks)", () => {
    let dev: Evaluation;
    before(async () => {
      dev = await evaluate(stackConfig("dev"));
    });
    const groupNamed = (name: string) => dev.all(T.logGroup).find((g) => g.inputs.name === name)!;

    it("creates HAProxy's and the flow logs' groups with the retention of every other group", () => {
      const retentions = new Set(dev.all(T.logGroup).map((g) => g.inputs.retentionInDays));
      assert.deepStrictEqual([...retentions], [LOG_RETENTION_DAYS]);
      assert.ok(groupNamed("/dbx-aoai-link/dev/haproxy"));
      assert.ok(groupNamed("/dbx-aoai-link/dev/proxy-flow-logs"));
    });

    it("counts refused TLS connections in HAProxy's group and alarms on the first one through the factory", () => {
      const filter = dev.one(T.logMetricFilter);
      assert.strictEqual(filter.inputs.logGroupName, "/dbx-aoai-link/dev/haproxy");
      assert.strictEqual(filter.inputs.pattern, REFUSED_TLS_FILTER_PATTERN);
      assert.deepStrictEqual(
        [filter.inputs.metricTransformation.namespace, filter.inputs.metricTransformation.name],
        [REFUSED_TLS_METRIC.namespace, REFUSED_TLS_METRIC.name],
      );
      const alarm = dev.all(T.alarm).find((a) => a.inputs.metricName === REFUSED_TLS_METRIC.name)!;
      assert.strictEqual(alarm.inputs.name, "dbx-aoai-link-dev-proxy-logs-refused-tls");
      assert.strictEqual(alarm.inputs.threshold, 1);
      assert.strictEqual(alarm.inputs.namespace, REFUSED_TLS_METRIC.namespace);
      assert.deepStrictEqual(alarm.inputs.okActions, alarm.inputs.alarmActions);
      assert.ok((alarm.inputs.alarmActions as string[]).length > 0);
    });

    it("grants the proxies' role writing HAProxy's group, by ARN, and nothing else new", () => {
      const logs = dev.one(T.rolePolicy, "proxy-instance-logs");
      assert.strictEqual(logs.inputs.role, dev.one(T.role, "proxy-instance-role").outputs.name);
      assert.deepStrictEqual(
        JSON.parse(logs.inputs.policy),
        proxyLogWriterPolicy({
          partition: "aws",
          region: "us-east-1",
          accountId: MOCK_AWS_ACCOUNT_ID,
          logGroupName: "/dbx-aoai-link/dev/haproxy",
        }),
      );
    });

    it("has the proxies send their log to rsyslog and the agent ship it to that group", () => {
      const userData = Buffer.from(String(dev.one(T.launchTemplate).inputs.userData), "base64").toString("utf8");
      assert.match(userData, /^ {4}log 127\.0\.0\.1:514 len 4096 local0 info$/m);
      assert.match(userData, /"log_group_name": "\/dbx-aoai-link\/dev\/haproxy"/);
      assert.match(userData, /dnf install -y .* haproxy rsyslog amazon-cloudwatch-agent/);
    });

    it("keeps flow logs of every proxy subnet, delivered by a role only VPC Flow Logs may assume", () => {
      const subnets = dev.all(T.subnet).filter((s) => /-public-\d+$/.test(s.name));
      const flows = dev.all(T.flowLog);
      assert.ok(subnets.length >= 2);
      assert.deepStrictEqual(flows.map((f) => f.inputs.subnetId).sort(), subnets.map((s) => s.outputs.id).sort());
      const group = groupNamed("/dbx-aoai-link/dev/proxy-flow-logs");
      const role = dev.one(T.role, "proxy-logs-flows-role");
      for (const flow of flows) {
        assert.strictEqual(flow.inputs.logDestination, group.outputs.arn);
        assert.strictEqual(flow.inputs.logDestinationType, "cloud-watch-logs");
        assert.strictEqual(flow.inputs.trafficType, "ALL");
        assert.strictEqual(flow.inputs.iamRoleArn, role.outputs.arn);
      }
      const trust = JSON.parse(role.inputs.assumeRolePolicy);
      assert.strictEqual(trust.Statement[0].Condition.StringEquals["aws:SourceAccount"], MOCK_AWS_ACCOUNT_ID);
      const write = JSON.parse(dev.one(T.rolePolicy, "proxy-logs-flows-write").inputs.policy);
      assert.deepStrictEqual(write.Statement[0].Resource, [`${group.outputs.arn}`, `${group.outputs.arn}:*`]);
    });

    it("keys each flow log by its subnet's zone index and makes it wait for that subnet only", () => {
      const subnets = dev.all(T.subnet).filter((s) => /-public-\d+$/.test(s.name));
      for (const subnet of subnets) {
        const i = subnet.name.replace(/.*-public-/, "");
        const flow = dev.one(T.flowLog, `proxy-logs-flows-${i}`);
        assert.strictEqual(flow.inputs.subnetId, subnet.outputs.id);
        const others = subnets.filter((s) => s !== subnet).map((s) => s.urn);
        assert.ok(flow.dependsOn.includes(subnet.urn), flow.name);
        assert.ok(!others.some((urn) => flow.dependsOn.includes(urn)), `${flow.name} waits for another zone's subnet`);
      }
    });

    it("lets the group launch only once HAProxy's log group exists (the agent never creates it)", () => {
      // A component dependency reaches the engine as its children's URNs.
      assert.ok(dev.one(T.asg).dependsOn.includes(groupNamed("/dbx-aoai-link/dev/haproxy").urn));
    });
  });
});
