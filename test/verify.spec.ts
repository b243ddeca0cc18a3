/**
 * `npm run verify` against a local fake of the Databricks account and workspace REST APIs: the
 * report's lines, the exit code, and the requests it makes.
 */
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { runVerify } from "../verify/verify";
import { AZURE_FIREWALL_DENIED, PING_REQUEST, parseVerifyArgs } from "../verify/verifyReport";
import { FakeDatabricks, TEST_TOKEN, type Reply } from "./support/fakeDatabricks";

const ACCOUNT = "11111111-2222-4333-8444-555555555555";
const RULE_PATH = `/api/2.0/accounts/${ACCOUNT}/network-connectivity-configs/ncc-1/private-endpoint-rules/rule-1`;
const ENDPOINT_PATH = "/api/2.0/serving-endpoints/aoai-chat";
const INVOCATIONS_PATH = "/serving-endpoints/aoai-chat/invocations";
const FQDN = "contoso-aoai-dev.openai.azure.com";
const EGRESS_IPS = ["3.3.3.3", "4.4.4.4"];
const CREDENTIALS = { DATABRICKS_CLIENT_ID: "sp-id", DATABRICKS_CLIENT_SECRET: "sp-secret" };

const OUTPUTS = {
  nccId: "ncc-1",
  privateEndpointRuleId: "rule-1",
  servingEndpointName: "aoai-chat",
  egressIps: EGRESS_IPS,
  azureOpenAiFqdn: FQDN,
  databricksAccountId: ACCOUNT,
};

const ruleReply = (state: string): Reply => ({
  json: {
    rule_id: "rule-1",
    connection_state: state,
    vpc_endpoint_id: "vpce-0abc",
    endpoint_service: "com.amazonaws.vpce.us-east-1.vpce-svc-0123",
    domain_names: [FQDN],
  },
});

describe("npm run verify", () => {
  let fake: FakeDatabricks;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "verify-"));
    fake = (await FakeDatabricks.start())
      .onAccountToken(ACCOUNT)
      .on("POST", "/oidc/v1/token", { json: { access_token: "workspace-token", expires_in: 3600 } })
      .on("GET", RULE_PATH, ruleReply("ESTABLISHED"))
      .on("GET", ENDPOINT_PATH, { json: { name: "aoai-chat", state: { ready: "READY", config_update: "NOT_UPDATING" } } })
      .on("POST", INVOCATIONS_PATH, { json: { model: "gpt-4o-mini", choices: [{ message: { content: "p" } }] } });
  });
  afterEach(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs verify in-process on an outputs file, hosts pointed at the fake; returns exit code and report. */
  async function verify(outputs: object = OUTPUTS, extraArgs: string[] = [], env: object = CREDENTIALS) {
    const file = path.join(dir, "outputs.json");
    writeFileSync(file, JSON.stringify(outputs));
    const printed: string[] = [];
    const args = ["--stack", "dev", "--outputs", file, "--project-dir", dir, "--account-host", fake.url, "--workspace-url", fake.url];
    const code = await runVerify([...args, ...extraArgs], { env: { ...env }, print: (t) => printed.push(t) });
    return { code, report: printed.join("\n") };
  }

  it("passes every check when the rule is ESTABLISHED and the endpoint answers", async () => {
    const { code, report } = await verify();
    assert.equal(code, 0, report);
    assert.match(report, /✔ private endpoint rule rule-1 is ESTABLISHED\n {4}VPC endpoint vpce-0abc to com\.amazonaws\.vpce/);
    assert.match(report, new RegExp(`✔ rule routes ${FQDN.replace(/\./g, "\\.")}`));
    assert.match(report, /✔ serving endpoint aoai-chat is READY/);
    assert.match(report, /✔ serving endpoint aoai-chat answers a chat query\n {4}model gpt-4o-mini/);
    assert.match(report, /All 4 checks passed\./);
    assert.doesNotMatch(report, /✘/);
  });

  it("sends the tiny chat query with the workspace token, and the rule read with the account token", async () => {
    await verify();
    const [query] = fake.requestsTo(INVOCATIONS_PATH);
    assert.deepEqual(JSON.parse(query.body), PING_REQUEST);
    assert.equal(query.headers.authorization, "Bearer workspace-token");
    assert.equal(fake.requestsTo(RULE_PATH)[0].headers.authorization, `Bearer ${TEST_TOKEN}`);
  });

  it("fails on a PENDING rule, saying to accept it and that it expires after 14 days", async () => {
    fake.on("GET", RULE_PATH, ruleReply("PENDING"));
    const { code, report } = await verify();
    assert.equal(code, 1);
    assert.match(report, /✘ private endpoint rule rule-1 is ESTABLISHED\n {4}PENDING: .*waits for acceptance/);
    assert.match(report, /accept it in the AWS console .* not accepted within 14 days becomes EXPIRED/);
    assert.match(report, /1 of 4 checks failed\./);
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
    assert.match(report, /✘ rule routes contoso-aoai-dev\.openai\.azure\.com\n {4}the rule's domain names are \[other\.example\.com\]/);
  });

  it("on Azure's firewall 403 says the firewall rejected the proxy and lists the pool addresses", async () => {
    const azureError = { error: { code: "403", message: `${AZURE_FIREWALL_DENIED}.` } };
    fake.on("POST", INVOCATIONS_PATH, {
      status: 400,
      json: { error_code: "BAD_REQUEST", message: `Received error from openai: ${JSON.stringify(azureError)}` },
    });
    const { code, report } = await verify();
    assert.equal(code, 1);
    assert.match(report, /✘ serving endpoint aoai-chat answers a chat query/);
    assert.match(report, /Azure OpenAI's firewall rejected the call \(HTTP 400, "Access denied due to Virtual Network\/Firewall rules"\)/);
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
    assert.match(report, /✘ serving endpoint aoai-chat is READY\n {4}state\.ready is NOT_READY, config update IN_PROGRESS/);
    assert.match(report, /– serving endpoint aoai-chat answers a chat query\n {4}skipped: the endpoint is not READY/);
    assert.equal(fake.requestsTo(INVOCATIONS_PATH).length, 0);
  });

  it("skips the serving checks when no serving endpoint is configured", async () => {
    const { servingEndpointName: _name, ...outputs } = OUTPUTS;
    const { code, report } = await verify(outputs);
    assert.equal(code, 0, report);
    assert.match(report, /– serving endpoint\n {4}not configured/);
    assert.match(report, /All 2 checks passed\./);
  });

  it("stops with a clear error when an output is missing", async () => {
    const { nccId: _ncc, ...outputs } = OUTPUTS;
    const { code, report } = await verify(outputs);
    assert.equal(code, 2);
    assert.match(report, /Stack dev has no output "nccId" \(outputs present: .*privateEndpointRuleId.*\)\. Run `pulumi up`/);
    assert.equal(fake.requests.length, 0);
  });

  it("stops naming the variables when there are no credentials", async () => {
    const { code, report } = await verify(OUTPUTS, [], {});
    assert.equal(code, 2);
    assert.match(report, /DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET .* DATABRICKS_TOKEN/);
  });

  it("reads the account id and workspace URL from Pulumi.<stack>.yaml, hosts from the environment", async () => {
    const { databricksAccountId: _id, ...outputs } = OUTPUTS;
    // The real dev stack file, with this test's account id: verify validates it as `pulumi up` does.
    const devStack = readFileSync(path.join(__dirname, "..", "Pulumi.dev.yaml"), "utf8");
    writeFileSync(path.join(dir, "Pulumi.dev.yaml"), devStack.replace(/accountId: .*/, `accountId: ${ACCOUNT}`));
    const file = path.join(dir, "outputs.json");
    writeFileSync(file, JSON.stringify(outputs));
    const printed: string[] = [];
    const env = { ...CREDENTIALS, DBX_AOAI_ACCOUNT_HOST: fake.url, DBX_AOAI_WORKSPACE_URL: fake.url };
    const code = await runVerify(["--stack=dev", `--outputs=${file}`, `--project-dir=${dir}`], { env, print: (t) => printed.push(t) });
    assert.equal(code, 0, printed.join("\n"));
    assert.equal(fake.requestsTo(RULE_PATH).length, 1);
  });

  it("parses flags, and rejects unknown ones and a missing --stack with the usage", () => {
    assert.deepEqual(parseVerifyArgs(["--stack", "prod", "--account-host=https://a"], { DBX_AOAI_ACCOUNT_HOST: "https://env" }), {
      stack: "prod",
      outputsFile: undefined,
      projectDir: ".",
      accountHost: "https://a",
      workspaceUrl: undefined,
      help: false,
    });
    assert.throws(() => parseVerifyArgs(["--stack", "dev", "--nope"], {}), /Unknown argument --nope\nUsage: npm run verify/);
    assert.throws(() => parseVerifyArgs([], {}), /--stack NAME is required/);
    assert.throws(() => parseVerifyArgs(["--stack"], {}), /--stack needs a value/);
  });

  it("runs as the npm script: exit code 0 on success and 1 on a failed check", async () => {
    const file = path.join(dir, "outputs.json");
    writeFileSync(file, JSON.stringify(OUTPUTS));
    const root = path.resolve(__dirname, "..");
    const run = () =>
      promisify(execFile)(process.execPath, ["-r", "ts-node/register", "scripts/verify.ts", "--stack", "dev", "--outputs", file, "--project-dir", dir], {
        cwd: root,
        env: { PATH: process.env.PATH, ...CREDENTIALS, DBX_AOAI_ACCOUNT_HOST: fake.url, DBX_AOAI_WORKSPACE_URL: fake.url },
        timeout: 30_000,
      });
    assert.match((await run()).stdout, /All 4 checks passed/);
    fake.on("GET", RULE_PATH, ruleReply("PENDING"));
    await assert.rejects(run(), (error: { code?: number; stdout?: string }) => error.code === 1 && /✘ private endpoint rule/.test(error.stdout ?? ""));
  });
});
