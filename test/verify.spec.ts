/**
 * `npm run verify` against a local fake of the Databricks account and workspace REST APIs: the
 * report's lines, the exit code, the requests it makes, the serverless job probe, the attachment
 * checks and every failure branch.
 */
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { runVerify, type VerifyIo } from "../verify/verify";
import { AZURE_FIREWALL_DENIED, PING_REQUEST, parseVerifyArgs, stackFileName } from "../verify/verifyReport";
import { PROBE_MARK, PROBE_SCRIPT } from "../verify/jobProbe";
import { probeFilePath } from "../verify/workspaceJob";
import { FakeDatabricks, TEST_TOKEN, type Reply } from "./support/fakeDatabricks";

const ACCOUNT = "11111111-2222-4333-8444-555555555555";
const ACCOUNT_API = `/api/2.0/accounts/${ACCOUNT}`;
const RULES_PATH = `${ACCOUNT_API}/network-connectivity-configs/ncc-1/private-endpoint-rules`;
const RULE_PATH = `${RULES_PATH}/rule-1`;
const WORKSPACE_ID = "1234567890123456";
const WORKSPACE_PATH = `${ACCOUNT_API}/workspaces/${WORKSPACE_ID}`;
const ENDPOINT_PATH = "/api/2.0/serving-endpoints/aoai-chat";
const INVOCATIONS_PATH = "/serving-endpoints/aoai-chat/invocations";
const SUBMIT_PATH = "/api/2.2/jobs/runs/submit";
const RUN_PATH = "/api/2.2/jobs/runs/get?run_id=42";
const OUTPUT_PATH = "/api/2.2/jobs/runs/get-output?run_id=4201";
const FQDN = "contoso-aoai-dev.openai.azure.com";
const DENIED_HOST = "dbx-aoai-verify-r4nd0m.openai.azure.com";
const EGRESS_IPS = ["3.3.3.3", "4.4.4.4"];
const CREDENTIALS = { DATABRICKS_CLIENT_ID: "sp-id", DATABRICKS_CLIENT_SECRET: "sp-secret" };
const SCOPE = "aoai-link-dev";
const ACL_PATH = `/api/2.0/secrets/acls/list?scope=${SCOPE}`;
/** The deploy identity (a service principal's application id), the one principal the program declares. */
const DEPLOY_IDENTITY = "00000000-0000-4000-8000-000000000005";

/** Exactly what the program exports (no account id or workspace URL among them). */
const OUTPUTS = {
  nccId: "ncc-1",
  privateEndpointRuleId: "rule-1",
  networkPolicyId: "aoai-link-dev",
  servingEndpointName: "aoai-chat",
  secretScopeName: SCOPE,
  secretScopePrincipals: [DEPLOY_IDENTITY],
  egressIps: EGRESS_IPS,
  azureOpenAiFqdn: FQDN,
};

const RULE = {
  rule_id: "rule-1",
  vpc_endpoint_id: "vpce-0abc",
  endpoint_service: "com.amazonaws.vpce.us-east-1.vpce-svc-0123",
  domain_names: [FQDN],
};
const ruleReply = (state: string, extra: object = {}): Reply => ({
  json: { ...RULE, connection_state: state, ...extra },
});
const probeLine = (result: object) => `${PROBE_MARK} ${JSON.stringify(result)}`;
const ALLOWED_OK = { name: "allowed", host: FQDN, outcome: "http", status: 401, ms: 230 };
const DENIED_BLOCKED = {
  name: "denied",
  host: DENIED_HOST,
  outcome: "error",
  error: "URLError: <urlopen error [Errno -2] Name or service not known>",
  ms: 12,
};
const FRONTING_REFUSED = { name: "fronting", host: FQDN, outcome: "http", status: 421, ms: 40 };
/** The task's printed outcomes; the fronting probe is refused unless a test gives its own. */
const outputReply = (...results: Array<{ name: string; [key: string]: unknown }>): Reply => {
  const all = results.some((r) => r.name === "fronting") ? results : [...results, FRONTING_REFUSED];
  return { json: { logs: ["starting", ...all.map(probeLine)].join("\n") } };
};

/** A fake clock: sleeping advances time at once and is recorded. */
function fakeClock() {
  let time = Date.parse("2026-12-01T12:00:00Z");
  const slept: number[] = [];
  return {
    now: () => time,
    sleep: async (ms: number) => {
      slept.push(ms);
      time += ms;
    },
    slept,
  };
}

describe("npm run verify", () => {
  let fake: FakeDatabricks;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "verify-"));
    writeStackFile();
    fake = (await FakeDatabricks.start())
      .onAccountToken(ACCOUNT)
      .on("POST", "/oidc/v1/token", { json: { access_token: "workspace-token", expires_in: 3600 } })
      .on("GET", RULE_PATH, ruleReply("ESTABLISHED"))
      .on("GET", RULES_PATH, { json: { items: [{ ...RULE, connection_state: "ESTABLISHED" }] } })
      .on("GET", WORKSPACE_PATH, {
        json: { workspace_id: Number(WORKSPACE_ID), network_connectivity_config_id: "ncc-1" },
      })
      .on("GET", `${WORKSPACE_PATH}/network`, {
        json: { workspace_id: Number(WORKSPACE_ID), network_policy_id: "aoai-link-dev" },
      })
      .on("POST", "/api/2.0/workspace/mkdirs", { json: {} })
      .on("POST", "/api/2.0/workspace/import", { json: {} })
      .on("POST", SUBMIT_PATH, { json: { run_id: 42 } })
      .on("GET", RUN_PATH, [
        { json: { run_id: 42, state: { life_cycle_state: "PENDING" } } },
        {
          json: {
            run_id: 42,
            run_page_url: "https://ws/#job/run/42",
            state: { life_cycle_state: "TERMINATED", result_state: "SUCCESS" },
            tasks: [{ task_key: "probe", run_id: 4201 }],
          },
        },
      ])
      .on("GET", OUTPUT_PATH, outputReply(ALLOWED_OK, DENIED_BLOCKED))
      .on("GET", ENDPOINT_PATH, {
        json: { name: "aoai-chat", state: { ready: "READY", config_update: "NOT_UPDATING" } },
      })
      .on("POST", INVOCATIONS_PATH, { json: { model: "gpt-5.2", choices: [{ message: { content: "p" } }] } })
      .onSecretAcls(SCOPE, [{ principal: DEPLOY_IDENTITY, permission: "MANAGE" }]);
  });
  afterEach(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The real dev stack file, with this test's account id and any edit. */
  function writeStackFile(edit: (text: string) => string = (t) => t, name = "dev") {
    const devStack = readFileSync(path.join(__dirname, "..", "Pulumi.dev.yaml"), "utf8");
    writeFileSync(
      path.join(dir, `Pulumi.${name}.yaml`),
      edit(devStack.replace(/accountId: .*/, `accountId: ${ACCOUNT}`)),
    );
  }

  /** Runs verify in-process on an outputs file, hosts pointed at the fake; returns exit code and everything printed. */
  async function verify(
    options: { outputs?: object; args?: string[]; env?: object; io?: Partial<VerifyIo>; stack?: string } = {},
  ) {
    const file = path.join(dir, "outputs.json");
    writeFileSync(file, JSON.stringify(options.outputs ?? OUTPUTS));
    const printed: string[] = [];
    const clock = fakeClock();
    const args = [
      "--stack",
      options.stack ?? "dev",
      "--outputs",
      file,
      "--project-dir",
      dir,
      "--account-host",
      fake.url,
      "--workspace-url",
      fake.url,
    ];
    const code = await runVerify([...args, ...(options.args ?? [])], {
      env: { ...(options.env ?? CREDENTIALS) },
      print: (t) => printed.push(t),
      clock,
      random: () => "r4nd0m",
      ...options.io,
    });
    return { code, report: printed.join("\n"), slept: clock.slept };
  }

  describe("all well", () => {
    it("passes every check: rule, attachments, the job's allowed and denied probes, the serving endpoint", async () => {
      const { code, report } = await verify();
      assert.equal(code, 0, report);
      assert.match(
        report,
        /✔ private endpoint rule rule-1 is ESTABLISHED\n {4}VPC endpoint vpce-0abc to com\.amazonaws\.vpce/,
      );
      assert.match(report, /✔ no second private endpoint rule for the endpoint service/);
      assert.match(report, /✔ NCC is bound to workspace 1234567890123456/);
      assert.match(report, /✔ network policy is attached to workspace 1234567890123456\n {4}policy aoai-link-dev/);
      assert.match(report, /✔ serverless job runs the probes\n {4}run 42 \(https:\/\/ws\/#job\/run\/42\)/);
      assert.match(
        report,
        /✔ serverless job reaches contoso-aoai-dev\.openai\.azure\.com\n {4}HTTP 401 after 230 ms: serverless reaches Azure OpenAI/,
      );
      assert.match(
        report,
        /✔ serverless job is blocked from dbx-aoai-verify-r4nd0m\.openai\.azure\.com\n {4}URLError: .*Name or service not known.* after 12 ms/,
      );
      assert.match(report, /✔ serving endpoint aoai-chat answers a chat query\n {4}model gpt-5\.2/);
      assert.match(
        report,
        /✔ fronting through our path \(SNI contoso-aoai-dev\.openai\.azure\.com, Host dbx-aoai-verify-r4nd0m\.openai\.azure\.com\) is refused\n {4}Azure answered HTTP 421/,
      );
      assert.match(report, /✔ networkPolicy\.allowAzureOpenAiFqdn = true is safe in this account/);
      assert.match(
        report,
        /✔ secret scope aoai-link-dev grants only the declared principals\n {4}ACL: 00000000-0000-4000-8000-000000000005 MANAGE/,
      );
      assert.match(report, /All 13 checks passed\./);
      assert.doesNotMatch(report, /✘/);
    });

    it("uploads the probe task and submits it as a one-time serverless run with both probes", async () => {
      await verify();
      const [upload] = fake.requestsTo("/api/2.0/workspace/import");
      const uploaded = JSON.parse(upload.body);
      assert.equal(uploaded.path, probeFilePath("dev"));
      assert.equal(Buffer.from(uploaded.content, "base64").toString(), PROBE_SCRIPT);
      assert.equal(upload.headers.authorization, "Bearer workspace-token");
      const submitted = JSON.parse(fake.requestsTo(SUBMIT_PATH)[0].body);
      const [task] = submitted.tasks;
      assert.equal(task.spark_python_task.python_file, probeFilePath("dev"));
      assert.equal(task.new_cluster, undefined, "no cluster: the task runs on serverless compute");
      assert.equal(task.existing_cluster_id, undefined);
      assert.equal(submitted.environments[0].environment_key, task.environment_key);
      const spec = JSON.parse(task.spark_python_task.parameters[0]);
      assert.deepEqual(
        spec.probes.map((p: { host: string; expect: string }) => [p.host, p.expect]),
        [
          [FQDN, "answer"],
          [DENIED_HOST, "blocked"],
          [FQDN, "refused"],
        ],
      );
      const fronting = submitted.tasks[0].spark_python_task.parameters[0];
      assert.equal(JSON.parse(fronting).probes[2].hostHeader, DENIED_HOST);
      assert.equal(spec.readDenialLog, false, "ENFORCED: a block is seen directly");
    });

    it("sends the chat query with the workspace token, and account reads with the account token", async () => {
      await verify();
      const [query] = fake.requestsTo(INVOCATIONS_PATH);
      assert.deepEqual(JSON.parse(query.body), PING_REQUEST);
      assert.equal(query.headers.authorization, "Bearer workspace-token");
      for (const p of [RULE_PATH, RULES_PATH, WORKSPACE_PATH, `${WORKSPACE_PATH}/network`]) {
        assert.equal(fake.requestsTo(p)[0].headers.authorization, `Bearer ${TEST_TOKEN}`, p);
      }
    });

    it("prints the job's progress", async () => {
      const { report } = await verify();
      assert.match(
        report,
        /submitted serverless job run 42\n.*run 42: PENDING after 0 s\n.*run 42: TERMINATED after 10 s/,
      );
    });
  });

  describe("the rule", () => {
    it("waits, with progress and bounded, for a PENDING rule to become ESTABLISHED", async () => {
      fake.on("GET", RULE_PATH, [ruleReply("PENDING"), ruleReply("PENDING"), ruleReply("ESTABLISHED")]);
      const { code, report, slept } = await verify({ args: ["--propagation-wait", "0"] });
      assert.equal(code, 0, report);
      assert.match(report, /rule rule-1 is PENDING; waiting for ESTABLISHED \(up to 600 s more\)/);
      assert.deepEqual(slept.slice(0, 2), [15_000, 15_000]);
    });

    it("fails on a rule still PENDING at the end of the wait, saying to accept it and that it expires after 14 days", async () => {
      fake.on("GET", RULE_PATH, ruleReply("PENDING"));
      const { code, report, slept } = await verify({ args: ["--establish-wait", "40"] });
      assert.equal(code, 1);
      assert.deepEqual(slept.slice(0, 3), [15_000, 15_000, 10_000], "the wait ends at the bound");
      assert.match(report, /✘ private endpoint rule rule-1 is ESTABLISHED\n {4}PENDING: .*waits for acceptance/);
      assert.match(report, /accept it in the AWS console .* not accepted within 14 days becomes EXPIRED/);
    });

    it("waits out the propagation time left after a recent ESTABLISHED, and not after an old one", async () => {
      const now = Date.parse("2026-12-01T12:00:00Z");
      fake.on("GET", RULE_PATH, ruleReply("ESTABLISHED", { updated_time: now - 200_000 }));
      const recent = await verify();
      assert.match(recent.report, /the rule changed 200 s ago; waiting 400 s for it to reach serverless compute/);
      assert.equal(recent.slept[0], 400_000);
      fake.on("GET", RULE_PATH, ruleReply("ESTABLISHED", { updated_time: now - 3_600_000 }));
      const old = await verify();
      assert.doesNotMatch(old.report, /waiting .* to reach serverless/);
    });

    it("explains EXPIRED and tells to replace the rule", async () => {
      fake.on("GET", RULE_PATH, ruleReply("EXPIRED"));
      const { report } = await verify();
      assert.match(report, /EXPIRED: the endpoint was not accepted within 14 days.*pulumi up --replace/);
    });

    it("fails when the rule does not route the Azure OpenAI FQDN", async () => {
      fake.on("GET", RULE_PATH, { json: { connection_state: "ESTABLISHED", domain_names: ["other.example.com"] } });
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(
        report,
        /✘ rule routes contoso-aoai-dev\.openai\.azure\.com\n {4}the rule's domain names are \[other\.example\.com\]/,
      );
    });

    it("names a second rule for the endpoint service (a timed-out create's orphan) and how to adopt or delete it", async () => {
      fake.on("GET", RULES_PATH, {
        json: {
          items: [
            { ...RULE, connection_state: "ESTABLISHED" },
            { ...RULE, rule_id: "rule-0", connection_state: "PENDING" },
          ],
        },
      });
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(
        report,
        /✘ no second private endpoint rule for the endpoint service\n {4}rule rule-0 \(PENDING\) to com\.amazonaws\.vpce\.us-east-1\.vpce-svc-0123 for \[contoso-aoai-dev\.openai\.azure\.com\]/,
      );
      assert.match(
        report,
        /provider issue #5292.*pulumi import databricks:index\/mwsNccPrivateEndpointRule:MwsNccPrivateEndpointRule <name> ncc-1\/<rule id>/,
      );
    });

    it("reports an account API error on the rule with the hint, exit 1", async () => {
      fake.on("GET", RULE_PATH, { status: 403, json: { error_code: "PERMISSION_DENIED" } });
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(
        report,
        /✘ private endpoint rule rule-1 is ESTABLISHED\n {4}request failed: .*HTTP 403.*\n {4}Check the account host/,
      );
    });
  });

  describe("several Azure OpenAI accounts (output azureOpenAiFqdns)", () => {
    const SWC = "contoso-aoai-dev-swc.openai.azure.com";
    const outputs = { ...OUTPUTS, azureOpenAiFqdns: [FQDN, SWC] };
    const SWC_OK = { name: "allowed-2", host: SWC, outcome: "http", status: 401, ms: 250 };

    it("checks that the rule routes every account's FQDN, and reaches each from serverless compute", async () => {
      fake
        .on("GET", RULE_PATH, ruleReply("ESTABLISHED", { domain_names: [FQDN, SWC] }))
        .on("GET", OUTPUT_PATH, outputReply(ALLOWED_OK, SWC_OK, DENIED_BLOCKED));
      const { code, report } = await verify({ outputs });
      assert.equal(code, 0, report);
      assert.match(report, /✔ rule routes contoso-aoai-dev\.openai\.azure\.com\n/);
      assert.match(report, /✔ rule routes contoso-aoai-dev-swc\.openai\.azure\.com\n/);
      assert.match(report, /✔ serverless job reaches contoso-aoai-dev\.openai\.azure\.com\n/);
      assert.match(
        report,
        /✔ serverless job reaches contoso-aoai-dev-swc\.openai\.azure\.com\n {4}HTTP 401 after 250 ms/,
      );
      assert.match(report, /All 15 checks passed\./);
      const spec = JSON.parse(
        JSON.parse(fake.requestsTo(SUBMIT_PATH)[0].body).tasks[0].spark_python_task.parameters[0],
      );
      assert.deepEqual(
        spec.probes.filter((p: { expect: string }) => p.expect === "answer").map((p: { host: string }) => p.host),
        [FQDN, SWC],
      );
    });

    it("fails when the rule lacks the second account's FQDN and serverless cannot reach it", async () => {
      fake.on(
        "GET",
        OUTPUT_PATH,
        outputReply(
          ALLOWED_OK,
          { ...SWC_OK, outcome: "error", error: "TimeoutError: timed out", status: undefined },
          DENIED_BLOCKED,
        ),
      );
      const { code, report } = await verify({ outputs });
      assert.equal(code, 1, report);
      assert.match(report, /✔ rule routes contoso-aoai-dev\.openai\.azure\.com\n/);
      assert.match(
        report,
        /✘ rule routes contoso-aoai-dev-swc\.openai\.azure\.com\n {4}the rule's domain names are \[contoso-aoai-dev\.openai\.azure\.com\]/,
      );
      assert.match(
        report,
        /✘ serverless job reaches contoso-aoai-dev-swc\.openai\.azure\.com\n {4}no HTTP answer: TimeoutError/,
      );
    });

    it("on Azure's firewall refusal, names every account the endpoint's deployment may be in", async () => {
      const azureError = { error: { code: "403", message: `${AZURE_FIREWALL_DENIED}.` } };
      fake
        .on("GET", RULE_PATH, ruleReply("ESTABLISHED", { domain_names: [FQDN, SWC] }))
        .on("GET", OUTPUT_PATH, outputReply(ALLOWED_OK, SWC_OK, DENIED_BLOCKED))
        .on("POST", INVOCATIONS_PATH, { status: 400, json: { message: JSON.stringify(azureError) } });
      const { code, report } = await verify({ outputs });
      assert.equal(code, 1, report);
      assert.match(
        report,
        /The network ACL \(ipRules\) of the account behind the endpoint's deployment \(one of contoso-aoai-dev\.openai\.azure\.com, contoso-aoai-dev-swc\.openai\.azure\.com\) should hold every pool address/,
      );
    });

    it("reads a stack deployed before the plural output as one account", async () => {
      const { code, report } = await verify();
      assert.equal(code, 0, report);
      assert.equal((report.match(/rule routes /g) ?? []).length, 1);
    });
  });

  describe("attachments", () => {
    it("fails when a workspace is bound to another NCC", async () => {
      fake.on("GET", WORKSPACE_PATH, { json: { network_connectivity_config_id: "ncc-other" } });
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(
        report,
        /✘ NCC is bound to workspace 1234567890123456\n {4}the workspace's NCC is ncc-other, not ncc-1/,
      );
    });

    it("fails when a workspace uses another network policy", async () => {
      fake.on("GET", `${WORKSPACE_PATH}/network`, { json: { network_policy_id: "default-policy" } });
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(
        report,
        /✘ network policy is attached to workspace 1234567890123456\n {4}the workspace uses network policy default-policy, not aoai-link-dev/,
      );
    });

    it("checks every configured workspace", async () => {
      writeStackFile((t) => t.replace(/workspaceIds: .*/, 'workspaceIds: ["1234567890123456", "2222222222222222"]'));
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(report, /✘ NCC is bound to workspace 2222222222222222\n {4}request failed: .*HTTP 404/);
    });
  });

  describe("the serverless job probe", () => {
    it("fails the allowed probe on a connection error, with what to check", async () => {
      fake.on(
        "GET",
        OUTPUT_PATH,
        outputReply(
          { ...ALLOWED_OK, outcome: "error", error: "TimeoutError: timed out", status: undefined },
          DENIED_BLOCKED,
        ),
      );
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(
        report,
        /✘ serverless job reaches contoso-aoai-dev\.openai\.azure\.com\n {4}no HTTP answer: TimeoutError: timed out after 230 ms\n {4}Check, in order: the rule above is ESTABLISHED/,
      );
    });

    it("fails the denied probe when the host answered under ENFORCED", async () => {
      fake.on("GET", OUTPUT_PATH, outputReply(ALLOWED_OK, { ...DENIED_BLOCKED, outcome: "http", status: 404 }));
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(
        report,
        /✘ serverless job is blocked from dbx-aoai-verify-r4nd0m\.openai\.azure\.com\n {4}HTTP 404 after 12 ms: serverless reached a host the policy should block/,
      );
    });

    it("passes fronting on 404 and fails it when Azure serves another account's Host through our path, with what to do", async () => {
      fake.on("GET", OUTPUT_PATH, outputReply(ALLOWED_OK, DENIED_BLOCKED, { ...FRONTING_REFUSED, status: 404 }));
      assert.match((await verify()).report, /✔ fronting through our path .* is refused\n {4}Azure answered HTTP 404/);
      fake.on("GET", OUTPUT_PATH, outputReply(ALLOWED_OK, DENIED_BLOCKED, { ...FRONTING_REFUSED, status: 401 }));
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(
        report,
        /✘ fronting through our path .* is refused\n {4}Azure answered HTTP 401 after 40 ms to a Host header naming another account/,
      );
      assert.match(report, /docs\/threat-model\.md/);
    });

    it("says the FQDN allow entry leaves a bypass, and how to close it, when another account's name is reachable", async () => {
      fake.on("GET", OUTPUT_PATH, outputReply(ALLOWED_OK, { ...DENIED_BLOCKED, outcome: "http", status: 401 }));
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(
        report,
        /✘ networkPolicy\.allowAzureOpenAiFqdn = true leaves a bypass in this account\n {4}Bypass: .*\n {4}Close it: set dbx-aoai-link:databricks\.networkPolicy\.allowAzureOpenAiFqdn: false/,
      );
    });

    it("says the switch breaks the path when the FQDN is not allowed and our FQDN no longer answers", async () => {
      writeStackFile((t) =>
        t.replace("enforcement: ENFORCED", "enforcement: ENFORCED\n      allowAzureOpenAiFqdn: false"),
      );
      fake.on(
        "GET",
        OUTPUT_PATH,
        outputReply(
          { ...ALLOWED_OK, outcome: "error", error: "ConnectionRefusedError: blocked", status: undefined },
          DENIED_BLOCKED,
        ),
      );
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(
        report,
        /✘ networkPolicy\.allowAzureOpenAiFqdn = false breaks the path in this account\n {4}.*set it to true/,
      );
    });

    it("under DRY_RUN asks the task to read the denial log, and says 'would be blocked' from it", async () => {
      writeStackFile((t) => t.replace("enforcement: ENFORCED", "enforcement: DRY_RUN"));
      fake.on(
        "GET",
        OUTPUT_PATH,
        outputReply(ALLOWED_OK, { ...DENIED_BLOCKED, outcome: "http", status: 404, denials: 2 }),
      );
      const { code, report } = await verify();
      assert.equal(code, 0, report);
      assert.equal(
        JSON.parse(JSON.parse(fake.requestsTo(SUBMIT_PATH)[0].body).tasks[0].spark_python_task.parameters[0])
          .readDenialLog,
        true,
      );
      assert.match(
        report,
        /✔ serverless job is blocked from dbx-aoai-verify-r4nd0m\.openai\.azure\.com \(would be blocked: DRY_RUN\)\n {4}HTTP 404 after 12 ms; the policy's denial log holds 2 entries for it/,
      );
    });

    it("under DRY_RUN with nothing logged yet, skips rather than fails, with the query to look later", async () => {
      writeStackFile((t) => t.replace("enforcement: ENFORCED", "enforcement: DRY_RUN"));
      fake.on("GET", OUTPUT_PATH, outputReply(ALLOWED_OK, { ...DENIED_BLOCKED, denials: 0 }));
      const { code, report } = await verify();
      assert.equal(code, 0, report);
      assert.match(
        report,
        /– serverless job is blocked from .* \(DRY_RUN\)\n.*no denial logged for it yet \(the log lags by minutes\)\n {4}Look later: SELECT \* FROM system\.access\.outbound_network/,
      );
    });

    it("fails with the run's state and error when the job fails before probing", async () => {
      fake.on("GET", RUN_PATH, {
        json: {
          state: {
            life_cycle_state: "INTERNAL_ERROR",
            result_state: "FAILED",
            state_message: "Serverless compute is not enabled",
          },
          tasks: [{ run_id: 4201 }],
        },
      });
      fake.on("GET", OUTPUT_PATH, { json: { error: "PermissionDenied", error_trace: "Traceback ..." } });
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(
        report,
        /✘ serverless job runs the probes\n {4}run 42, 0 s: INTERNAL_ERROR\/FAILED: Serverless compute is not enabled\n {4}PermissionDenied/,
      );
      assert.doesNotMatch(report, /serverless job reaches/);
    });

    it("fails a probe the job printed nothing for", async () => {
      fake.on("GET", OUTPUT_PATH, outputReply(ALLOWED_OK));
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(report, /✘ serverless job is blocked from .*\n {4}the job printed no result for this probe/);
    });

    it("reports a workspace API error on submit as the job check, exit 1", async () => {
      fake.on("POST", SUBMIT_PATH, {
        status: 403,
        json: { error_code: "PERMISSION_DENIED", message: "not a workspace user" },
      });
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(
        report,
        /✘ serverless job runs the probes\n {4}request failed: .*HTTP 403.*not a workspace user.*\n {4}Check the workspace URL/,
      );
    });

    it("is skipped with --no-job, and without a workspace URL", async () => {
      const noJob = await verify({ args: ["--no-job"] });
      assert.match(noJob.report, /– serverless job runs the probes\n {4}skipped: --no-job/);
      assert.equal(fake.requestsTo(SUBMIT_PATH).length, 0);
      writeStackFile((t) => t.replace(/\n {4}servingEndpoint:\n(?: {6}.*\n)+/, "\n"));
      const file = path.join(dir, "outputs.json");
      const { servingEndpointName: _n, ...outputs } = OUTPUTS;
      writeFileSync(file, JSON.stringify(outputs));
      const printed: string[] = [];
      await runVerify(["--stack", "dev", "--outputs", file, "--project-dir", dir, "--account-host", fake.url], {
        env: CREDENTIALS,
        print: (t) => printed.push(t),
        clock: fakeClock(),
      });
      assert.match(printed.join("\n"), /– serverless job runs the probes\n {4}no workspace URL/);
    });
  });

  describe("the External Model query", () => {
    it("on Azure's firewall 403 says the firewall rejected the proxy and lists the pool addresses", async () => {
      const azureError = { error: { code: "403", message: `${AZURE_FIREWALL_DENIED}.` } };
      fake.on("POST", INVOCATIONS_PATH, {
        status: 400,
        json: { error_code: "BAD_REQUEST", message: `Received error from openai: ${JSON.stringify(azureError)}` },
      });
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(
        report,
        /Azure OpenAI's firewall rejected the call \(HTTP 400, "Access denied due to Virtual Network\/Firewall rules"\)/,
      );
      assert.match(report, /should hold every pool address: 3\.3\.3\.3, 4\.4\.4\.4/);
    });

    it("reports other invocation errors with their status and body", async () => {
      fake.on("POST", INVOCATIONS_PATH, { status: 504, text: "upstream request timeout" });
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(report, /✘ serving endpoint aoai-chat answers a chat query\n {4}HTTP 504: upstream request timeout/);
    });

    it("fails on an endpoint that is not READY and skips the query", async () => {
      fake.on("GET", ENDPOINT_PATH, { json: { state: { ready: "NOT_READY", config_update: "IN_PROGRESS" } } });
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(
        report,
        /✘ serving endpoint aoai-chat is READY\n {4}state\.ready is NOT_READY, config update IN_PROGRESS/,
      );
      assert.match(report, /– serving endpoint aoai-chat answers a chat query\n {4}skipped: the endpoint is not READY/);
      assert.equal(fake.requestsTo(INVOCATIONS_PATH).length, 0);
    });
  });

  describe("the secret scope's ACL", () => {
    it("lists the scope's ACL with the workspace token", async () => {
      await verify();
      const [list] = fake.requestsTo(ACL_PATH);
      assert.equal(list.method, "GET");
      assert.equal(list.headers.authorization, "Bearer workspace-token");
    });

    it("fails naming users when READ for every workspace user was added by hand, and says how to remove it", async () => {
      fake.onSecretAcls(SCOPE, [
        { principal: DEPLOY_IDENTITY, permission: "MANAGE" },
        { principal: "users", permission: "READ" },
      ]);
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(
        report,
        /✘ secret scope aoai-link-dev grants only the declared principals\n {4}users holds READ, which the program does not declare: every workspace user can print the key with dbutils\.secrets\.get/,
      );
      assert.match(report, /databricks secrets delete-acl aoai-link-dev <principal>/);
    });

    it("fails naming any other principal (a user given WRITE), and tolerates admins, who read every secret anyway", async () => {
      fake.onSecretAcls(SCOPE, [
        { principal: DEPLOY_IDENTITY, permission: "MANAGE" },
        { principal: "admins", permission: "MANAGE" },
        { principal: "alice@example.com", permission: "WRITE" },
      ]);
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(report, /alice@example\.com holds WRITE, which the program does not declare\n/);
      assert.doesNotMatch(report, /admins holds/);
      fake.onSecretAcls(SCOPE, [
        { principal: DEPLOY_IDENTITY, permission: "MANAGE" },
        { principal: "admins", permission: "MANAGE" },
      ]);
      const clean = await verify();
      assert.equal(clean.code, 0, clean.report);
      assert.match(clean.report, /admins read every secret anyway/);
    });

    it("says to run as the deploy identity when the list is refused, exit 1", async () => {
      fake.on("GET", ACL_PATH, { status: 403, json: { error_code: "PERMISSION_DENIED", message: "no MANAGE" } });
      const { code, report } = await verify();
      assert.equal(code, 1);
      assert.match(
        report,
        /✘ secret scope aoai-link-dev grants only the declared principals\n {4}request failed: .*403/,
      );
      assert.match(
        report,
        /run verify as the deploy identity \(00000000-0000-4000-8000-000000000005\) or a workspace admin/,
      );
    });

    it("is skipped on a stack deployed before the ACL was declared (no secretScope outputs)", async () => {
      const { secretScopeName: _s, secretScopePrincipals: _p, ...outputs } = OUTPUTS;
      const { code, report } = await verify({ outputs });
      assert.equal(code, 0, report);
      assert.match(
        report,
        /– secret scope\n {4}the stack exports no secretScopeName \/ secretScopePrincipals: run `pulumi up`/,
      );
      assert.equal(fake.requestsTo(ACL_PATH).length, 0);
    });
  });

  describe("cannot start (exit 2)", () => {
    it("stops with a clear error when an output is missing, before any request", async () => {
      const { nccId: _ncc, ...outputs } = OUTPUTS;
      const { code, report } = await verify({ outputs });
      assert.equal(code, 2);
      assert.match(
        report,
        /Stack dev has no output "nccId" \(outputs present: .*privateEndpointRuleId.*\)\. Run `pulumi up`/,
      );
      assert.equal(fake.requests.length, 0);
    });

    it("never asks for outputs the program does not export: the account id comes from the stack file", async () => {
      const { report } = await verify();
      assert.doesNotMatch(report, /databricksAccountId|databricksWorkspaceUrl/);
      rmSync(path.join(dir, "Pulumi.dev.yaml"));
      const missing = await verify();
      assert.equal(missing.code, 2);
      assert.match(missing.report, /verify reads dbx-aoai-link:databricks\.accountId from Pulumi\.dev\.yaml/);
      assert.doesNotMatch(missing.report, /databricksAccountId/);
    });

    it("stops naming the variables and config keys when there are no credentials", async () => {
      const { code, report } = await verify({ env: {} });
      assert.equal(code, 2);
      assert.match(
        report,
        /DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET .* DATABRICKS_TOKEN.*databricks:clientId/,
      );
    });

    it("stops when the account host gives no HTTP answer at all", async () => {
      const file = path.join(dir, "outputs.json");
      writeFileSync(file, JSON.stringify(OUTPUTS));
      const printed: string[] = [];
      const code = await runVerify(
        ["--stack", "dev", "--outputs", file, "--project-dir", dir, "--account-host", "http://127.0.0.1:9"],
        {
          env: CREDENTIALS,
          print: (t) => printed.push(t),
          clock: fakeClock(),
        },
      );
      assert.equal(code, 2);
      assert.match(
        printed.join("\n"),
        /verify: cannot reach the Databricks account host http:\/\/127\.0\.0\.1:9: .*Check --account-host/,
      );
    });
  });

  describe("stacks and credentials", () => {
    it("accepts <org>/<stack> names, reading Pulumi.<stack>.yaml", async () => {
      assert.equal(stackFileName("acme/dev"), "Pulumi.dev.yaml");
      assert.equal(stackFileName("dev"), "Pulumi.dev.yaml");
      const { code, report } = await verify({ stack: "acme/dev" });
      assert.equal(code, 0, report);
      assert.match(report, /Verifying stack acme\/dev/);
      assert.equal(JSON.parse(fake.requestsTo("/api/2.0/workspace/import")[0].body).path, probeFilePath("acme/dev"));
      assert.doesNotMatch(probeFilePath("acme/dev"), /acme\/dev/);
    });

    it("reads plain credentials from the stack config when the environment has none", async () => {
      writeStackFile((t) => `${t}  databricks:clientId: cfg-id\n  databricks:clientSecret: cfg-secret\n`);
      const { code, report } = await verify({ env: {} });
      assert.equal(code, 0, report);
      const [token] = fake.requestsTo(`/oidc/accounts/${ACCOUNT}/v1/token`);
      assert.equal(token.headers.authorization, `Basic ${Buffer.from("cfg-id:cfg-secret").toString("base64")}`);
    });

    it("decrypts secure: credentials through the Pulumi CLI (injected here)", async () => {
      writeStackFile((t) => `${t}  databricks:token:\n    secure: AAABAJx0cipher\n`);
      const asked: string[] = [];
      const { code, report } = await verify({
        env: {},
        io: {
          readSecret: async (key, args) => {
            asked.push(`${key} ${args.stack}`);
            return "pat-from-config";
          },
        },
      });
      assert.equal(code, 0, report);
      assert.deepEqual(asked, ["databricks:token dev"]);
      assert.equal(fake.requestsTo(RULE_PATH)[0].headers.authorization, "Bearer pat-from-config");
    });

    it("uses the environment's credentials without decrypting secure: ones (no passphrase needed)", async () => {
      writeStackFile(
        (t) =>
          `${t}  databricks:clientId:\n    secure: AAABAJx0id\n  databricks:clientSecret:\n    secure: AAABAJx0secret\n`,
      );
      const asked: string[] = [];
      const { code, report } = await verify({
        env: CREDENTIALS,
        io: {
          readSecret: async (key) => {
            asked.push(key);
            throw new Error("`pulumi config get` failed: passphrase must be set");
          },
        },
      });
      assert.equal(code, 0, report);
      assert.deepEqual(asked, []);
    });

    it("parses flags, and rejects unknown ones, bad waits and a missing --stack with the usage", () => {
      assert.deepEqual(
        parseVerifyArgs(["--stack", "acme/prod", "--account-host=https://a", "--no-job", "--propagation-wait", "0"], {
          DBX_AOAI_ACCOUNT_HOST: "https://env",
        }),
        {
          stack: "acme/prod",
          outputsFile: undefined,
          projectDir: ".",
          accountHost: "https://a",
          workspaceUrl: undefined,
          establishWaitSeconds: 600,
          propagationWaitSeconds: 0,
          job: false,
          help: false,
        },
      );
      assert.throws(
        () => parseVerifyArgs(["--stack", "dev", "--nope"], {}),
        /Unknown argument --nope\nUsage: npm run verify/,
      );
      assert.throws(
        () => parseVerifyArgs(["--stack", "dev", "--establish-wait", "soon"], {}),
        /--establish-wait soon: give a number of seconds/,
      );
      assert.throws(() => parseVerifyArgs([], {}), /--stack NAME is required|--stack \[ORG\/\]NAME/);
      assert.throws(() => parseVerifyArgs(["--stack"], {}), /--stack needs a value/);
    });
  });

  it("runs as the npm script: exit code 0 on success and 1 on a failed check", async () => {
    const file = path.join(dir, "outputs.json");
    writeFileSync(file, JSON.stringify(OUTPUTS));
    const root = path.resolve(__dirname, "..");
    const run = () =>
      promisify(execFile)(
        process.execPath,
        [
          "-r",
          "ts-node/register",
          "scripts/verify.ts",
          "--stack",
          "dev",
          "--outputs",
          file,
          "--project-dir",
          dir,
          "--propagation-wait",
          "0",
          "--establish-wait",
          "0",
        ],
        {
          cwd: root,
          env: {
            PATH: process.env.PATH,
            ...CREDENTIALS,
            DBX_AOAI_ACCOUNT_HOST: fake.url,
            DBX_AOAI_WORKSPACE_URL: fake.url,
            TS_NODE_TRANSPILE_ONLY: "true",
          },
          timeout: 60_000,
        },
      );
    fake.on("GET", RUN_PATH, {
      json: {
        run_id: 42,
        state: { life_cycle_state: "TERMINATED", result_state: "SUCCESS" },
        tasks: [{ run_id: 4201 }],
      },
    });
    assert.match((await run()).stdout, /All 13 checks passed/);
    fake.on("GET", RULE_PATH, ruleReply("PENDING"));
    await assert.rejects(
      run(),
      (error: { code?: number; stdout?: string }) =>
        error.code === 1 && /✘ private endpoint rule/.test(error.stdout ?? ""),
    );
  });
});
