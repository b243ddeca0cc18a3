/**
 * The VPC endpoint waiter: the poller and the account client against a local fake of the Databricks
 * account API, the dynamic provider's functions called directly, the provider after Pulumi's closure
 * serialization (run in a fresh node process, as the engine would), and the resource under mocks.
 */
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import {
  CREDENTIAL_ENV,
  createAccountApi,
  credentialValuesFromEnv,
  resolveCredentials,
} from "../databricks/accountApi";
import {
  DEFAULT_POLL_INTERVAL_SECONDS,
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  resolveWaitSettings,
} from "../databricks/rulePoller";
import { ruleVpcEndpointProvider, type RuleVpcEndpointInputs } from "../databricks/ruleVpcEndpointProvider";
import { VpcEndpointWaiter, waitForRuleVpcEndpointId } from "../databricks/vpcEndpointWaiter";
import { FakeDatabricks, TEST_TOKEN, type Reply } from "./support/fakeDatabricks";

const ACCOUNT = "acc-0001";
const NCC = "ncc-1";
const RULE = "rule-1";
const RULE_PATH = `/api/2.0/accounts/${ACCOUNT}/network-connectivity-configs/${NCC}/private-endpoint-rules/${RULE}`;
const TOKEN_PATH = `/oidc/accounts/${ACCOUNT}/v1/token`;
const M2M = { kind: "oauth-m2m", clientId: "sp-id", clientSecret: "sp-secret" } as const;

const rule = (fields: Record<string, unknown>): Reply => ({
  json: { rule_id: RULE, network_connectivity_config_id: NCC, ...fields },
});

/** A clock that only moves when the poller sleeps, so timeouts take no real time. */
function fakeClock(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let time = 1_000_000;
  const slept: number[] = [];
  return {
    now: () => time,
    sleep: async (ms) => {
      slept.push(ms);
      time += ms;
    },
    slept,
  };
}

describe("VPC endpoint waiter", () => {
  let fake: FakeDatabricks;
  // The provider reads credentials from process.env: each test starts without any and ends restoring them.
  const saved = Object.values(CREDENTIAL_ENV).map((name) => [name, process.env[name]] as const);
  const clearCredentials = () => Object.values(CREDENTIAL_ENV).forEach((name) => delete process.env[name]);

  beforeEach(async () => {
    fake = (await FakeDatabricks.start()).onAccountToken(ACCOUNT);
    clearCredentials();
  });
  afterEach(async () => {
    await fake.close();
    clearCredentials();
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  });

  const api = () => createAccountApi({ host: fake.url, accountId: ACCOUNT, credentials: M2M });
  const wait = (timeoutMs = 60_000, intervalMs = 10_000) =>
    waitForRuleVpcEndpointId({ api: api(), nccId: NCC, ruleId: RULE, timeoutMs, intervalMs, ...fakeClock() });

  describe("poller", () => {
    it("returns the VPC endpoint id once it appears after two empty answers", async () => {
      fake.on("GET", RULE_PATH, [
        rule({ connection_state: "CREATING" }),
        rule({ connection_state: "CREATING", vpc_endpoint_id: "" }),
        rule({ connection_state: "PENDING", vpc_endpoint_id: "vpce-0abc" }),
      ]);
      assert.deepEqual(await wait(), { vpcEndpointId: "vpce-0abc", connectionState: "PENDING" });
      assert.equal(fake.requestsTo(RULE_PATH).length, 3);
    });

    it("keeps polling while the rule is CREATING even when the endpoint id is already there (provider PR #5743)", async () => {
      fake.on("GET", RULE_PATH, [
        rule({ connection_state: "CREATING", vpc_endpoint_id: "vpce-0abc" }),
        rule({ connection_state: "CREATING", vpc_endpoint_id: "vpce-0abc" }),
        rule({ connection_state: "PENDING", vpc_endpoint_id: "vpce-0abc" }),
      ]);
      assert.deepEqual(await wait(), { vpcEndpointId: "vpce-0abc", connectionState: "PENDING" });
      assert.equal(fake.requestsTo(RULE_PATH).length, 3);
    });

    it("accepts an ESTABLISHED rule at once", async () => {
      fake.on("GET", RULE_PATH, rule({ connection_state: "ESTABLISHED", vpc_endpoint_id: "vpce-0abc" }));
      assert.deepEqual(await wait(), { vpcEndpointId: "vpce-0abc", connectionState: "ESTABLISHED" });
    });

    it("sends the client credentials to the token endpoint once and the bearer token with every read", async () => {
      fake.on("GET", RULE_PATH, [rule({}), rule({ connection_state: "PENDING", vpc_endpoint_id: "vpce-0abc" })]);
      await wait();
      const [token, ...more] = fake.requestsTo(TOKEN_PATH);
      assert.equal(more.length, 0, "the token is cached across polls");
      assert.equal(token.headers.authorization, `Basic ${Buffer.from("sp-id:sp-secret").toString("base64")}`);
      assert.equal(token.headers["content-type"], "application/x-www-form-urlencoded");
      assert.deepEqual(Object.fromEntries(new URLSearchParams(token.body)), {
        grant_type: "client_credentials",
        scope: "all-apis",
      });
      for (const read of fake.requestsTo(RULE_PATH)) assert.equal(read.headers.authorization, `Bearer ${TEST_TOKEN}`);
    });

    it("uses a given token as bearer without asking the token endpoint", async () => {
      fake.on("GET", RULE_PATH, rule({ connection_state: "PENDING", vpc_endpoint_id: "vpce-0abc" }));
      const tokenApi = createAccountApi({
        host: fake.url,
        accountId: ACCOUNT,
        credentials: { kind: "token", token: "pat-1" },
      });
      await waitForRuleVpcEndpointId({ api: tokenApi, nccId: NCC, ruleId: RULE, timeoutMs: 1000, intervalMs: 100 });
      assert.equal(fake.requestsTo(TOKEN_PATH).length, 0);
      assert.equal(fake.requestsTo(RULE_PATH)[0].headers.authorization, "Bearer pat-1");
    });

    it("fails at once on CREATE_FAILED with the rule's error message", async () => {
      fake.on("GET", RULE_PATH, rule({ connection_state: "CREATE_FAILED", error_message: "service not allowed" }));
      await assert.rejects(wait(), (error: Error) => {
        assert.match(error.message, /rule-1 of NCC ncc-1 is CREATE_FAILED/);
        assert.match(error.message, /Databricks says: service not allowed/);
        assert.match(error.message, /pulumi up --replace/);
        return true;
      });
      assert.equal(fake.requestsTo(RULE_PATH).length, 1);
    });

    it("fails at once on REJECTED and EXPIRED even when an endpoint id is present", async () => {
      for (const state of ["REJECTED", "EXPIRED"]) {
        fake.on("GET", RULE_PATH, rule({ connection_state: state, vpc_endpoint_id: "vpce-old" }));
        await assert.rejects(wait(), new RegExp(`is ${state}: `));
      }
    });

    it("times out naming the rule, the last state and what to do, polling up to the deadline", async () => {
      fake.on("GET", RULE_PATH, rule({ connection_state: "CREATING" }));
      const clock = fakeClock();
      const waiting = waitForRuleVpcEndpointId({
        api: api(),
        nccId: NCC,
        ruleId: RULE,
        timeoutMs: 25_000,
        intervalMs: 10_000,
        ...clock,
      });
      await assert.rejects(waiting, (error: Error) => {
        assert.match(
          error.message,
          /Timed out after 25 s waiting for the VPC endpoint id of the private endpoint rule rule-1 of NCC ncc-1/,
        );
        assert.match(error.message, /last connection state: CREATING/);
        assert.match(error.message, /run `pulumi up` again to resume waiting, or raise timeoutSeconds/);
        return true;
      });
      assert.deepEqual(clock.slept, [10_000, 10_000, 5_000], "the last poll lands on the deadline");
      assert.equal(fake.requestsTo(RULE_PATH).length, 4);
    });

    it("keeps polling through 5xx and 429 answers", async () => {
      fake.on("GET", RULE_PATH, [
        { status: 503, text: "busy" },
        { status: 429, text: "slow down" },
        rule({ connection_state: "PENDING", vpc_endpoint_id: "vpce-0abc" }),
      ]);
      assert.equal((await wait()).vpcEndpointId, "vpce-0abc");
    });

    it("reports the last transient error when it times out on one", async () => {
      fake.on("GET", RULE_PATH, { status: 503, text: "temporarily unavailable" });
      await assert.rejects(
        wait(20_000),
        /last connection state: none seen; last error: .*HTTP 503: temporarily unavailable/,
      );
    });

    it("fails at once on a 403, pointing at credentials and account host", async () => {
      fake.on("GET", RULE_PATH, { status: 403, json: { error_code: "PERMISSION_DENIED" } });
      await assert.rejects(
        wait(),
        /HTTP 403: .*PERMISSION_DENIED.*account host \(GovCloud has its own\).*account admin/,
      );
      assert.equal(fake.requestsTo(RULE_PATH).length, 1);
    });
  });

  describe("credentials and settings", () => {
    it("names the environment variables when there are no credentials", () => {
      assert.throws(
        () => resolveCredentials([credentialValuesFromEnv({})]),
        /DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET .* or DATABRICKS_TOKEN/,
      );
    });

    it("prefers client id + secret over a token, and ignores an id without its secret", () => {
      const both = { DATABRICKS_CLIENT_ID: "i", DATABRICKS_CLIENT_SECRET: "s", DATABRICKS_TOKEN: "t" };
      assert.equal(resolveCredentials([credentialValuesFromEnv(both)]).kind, "oauth-m2m");
      assert.deepEqual(
        resolveCredentials([credentialValuesFromEnv({ DATABRICKS_CLIENT_ID: "i", DATABRICKS_TOKEN: "t" })]),
        {
          kind: "token",
          token: "t",
        },
      );
    });

    it("defaults to 10 minutes every 10 seconds and rejects an interval longer than the timeout", () => {
      assert.deepEqual(resolveWaitSettings(), { timeoutMs: 600_000, intervalMs: 10_000 });
      assert.equal(DEFAULT_WAIT_TIMEOUT_SECONDS, 600);
      assert.equal(DEFAULT_POLL_INTERVAL_SECONDS, 10);
      assert.throws(
        () => resolveWaitSettings(30, 60),
        /pollIntervalSeconds is 60: .* no larger than timeoutSeconds \(30\)/,
      );
      assert.throws(() => resolveWaitSettings(0), /timeoutSeconds is 0/);
    });
  });

  describe("dynamic provider", () => {
    const inputs = (): RuleVpcEndpointInputs => ({
      accountHost: fake.url,
      accountId: ACCOUNT,
      nccId: NCC,
      ruleId: RULE,
      timeoutSeconds: 5,
      pollIntervalSeconds: 0.01,
    });
    const useM2mEnv = () =>
      Object.assign(process.env, { DATABRICKS_CLIENT_ID: "sp-id", DATABRICKS_CLIENT_SECRET: "sp-secret" });

    it("create waits for the endpoint id and returns outputs the RPC layer can encode", async () => {
      useM2mEnv();
      fake.on("GET", RULE_PATH, [
        rule({ connection_state: "CREATING" }),
        rule({ connection_state: "PENDING", vpc_endpoint_id: "vpce-0abc" }),
      ]);
      const result = await ruleVpcEndpointProvider.create(inputs());
      assert.equal(result.id, `${NCC}/${RULE}`);
      assert.deepEqual(result.outs, { ...inputs(), vpcEndpointId: "vpce-0abc", connectionState: "PENDING" });
      assert.doesNotThrow(() => Struct.fromJavaScript({ ...result.outs }));
      assert.equal(
        fake.requestsTo(TOKEN_PATH)[0].headers.authorization,
        `Basic ${Buffer.from("sp-id:sp-secret").toString("base64")}`,
      );
    });

    it("create leaves unset timings out of the outputs (undefined cannot cross the RPC boundary)", async () => {
      process.env.DATABRICKS_TOKEN = "pat-1";
      fake.on("GET", RULE_PATH, rule({ connection_state: "PENDING", vpc_endpoint_id: "vpce-0abc" }));
      const { timeoutSeconds: _t, pollIntervalSeconds: _p, ...bare } = inputs();
      const result = await ruleVpcEndpointProvider.create(bare);
      assert.deepEqual(Object.keys(result.outs ?? {}).sort(), [
        "accountHost",
        "accountId",
        "connectionState",
        "nccId",
        "ruleId",
        "vpcEndpointId",
      ]);
    });

    it("create falls back to the stack config credentials handed to configure", async () => {
      fake.on("GET", RULE_PATH, rule({ connection_state: "PENDING", vpc_endpoint_id: "vpce-0abc" }));
      const config = new Map([
        ["databricks:clientId", "cfg-id"],
        ["databricks:clientSecret", "cfg-secret"],
      ]);
      const configure = ruleVpcEndpointProvider.configure!;
      await configure({ config: { get: (key) => config.get(key), require: (key) => config.get(key) ?? "" } });
      try {
        await ruleVpcEndpointProvider.create(inputs());
      } finally {
        await configure({ config: { get: () => undefined, require: () => "" } });
      }
      assert.equal(
        fake.requestsTo(TOKEN_PATH)[0].headers.authorization,
        `Basic ${Buffer.from("cfg-id:cfg-secret").toString("base64")}`,
      );
    });

    it("create without any credentials fails naming the variables and config keys, before any request", async () => {
      await assert.rejects(ruleVpcEndpointProvider.create(inputs()), /DATABRICKS_CLIENT_ID.*databricks:clientId/s);
      assert.equal(fake.requests.length, 0);
    });

    it("diff replaces when the rule or NCC changes and is a no-op otherwise", async () => {
      const diff = ruleVpcEndpointProvider.diff!;
      const olds = { ...inputs(), vpcEndpointId: "vpce-0abc", connectionState: "PENDING" };
      assert.deepEqual(await diff("id", olds, { ...inputs(), timeoutSeconds: 60 }), { changes: false, replaces: [] });
      assert.deepEqual(await diff("id", olds, { ...inputs(), ruleId: "rule-2" }), {
        changes: true,
        replaces: ["ruleId"],
      });
      assert.deepEqual(await diff("id", olds, { ...inputs(), nccId: "ncc-2", ruleId: "rule-2" }), {
        changes: true,
        replaces: ["nccId", "ruleId"],
      });
      assert.equal(fake.requests.length, 0, "diff calls no API");
    });

    it("read refreshes the connection state, and drops the resource when the rule is gone", async () => {
      useM2mEnv();
      const read = ruleVpcEndpointProvider.read!;
      const props = { ...inputs(), vpcEndpointId: "vpce-0abc", connectionState: "PENDING" };
      fake.on("GET", RULE_PATH, rule({ connection_state: "ESTABLISHED", vpc_endpoint_id: "vpce-0abc" }));
      assert.deepEqual(await read("ncc-1/rule-1", props), {
        id: "ncc-1/rule-1",
        props: { ...props, connectionState: "ESTABLISHED" },
      });
      fake.on("GET", RULE_PATH, { status: 404, json: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
      assert.deepEqual(await read("ncc-1/rule-1", props), { id: "" });
    });
  });

  describe("as Pulumi runs it", () => {
    const run = promisify(execFile);
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), "rule-vpce-"));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("the closure-serialized provider creates in a fresh node process with only the environment's credentials", async () => {
      process.env.DATABRICKS_CLIENT_SECRET = "secret-at-plan-time";
      const serialized = await pulumi.runtime.serializeFunction(() => ruleVpcEndpointProvider, { allowSecrets: true });
      assert.doesNotMatch(
        serialized.text,
        /require\("@pulumi|secret-at-plan-time/,
        "no SDK and no credential in state",
      );
      const file = path.join(dir, "provider.js");
      writeFileSync(file, serialized.text);
      fake.on("GET", RULE_PATH, [
        rule({ connection_state: "CREATING" }),
        rule({ connection_state: "PENDING", vpc_endpoint_id: "vpce-0abc" }),
      ]);
      const script = `require(${JSON.stringify(file)}).handler().create(JSON.parse(process.argv[1]))
        .then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(String(e)); process.exit(1); });`;
      const input = {
        accountHost: fake.url,
        accountId: ACCOUNT,
        nccId: NCC,
        ruleId: RULE,
        timeoutSeconds: 5,
        pollIntervalSeconds: 0.01,
      };
      const { stdout } = await run(process.execPath, ["-e", script, JSON.stringify(input)], {
        env: { PATH: process.env.PATH, DATABRICKS_CLIENT_ID: "sp-id", DATABRICKS_CLIENT_SECRET: "sp-secret" },
        timeout: 20_000,
      });
      assert.deepEqual(JSON.parse(stdout), {
        id: `${NCC}/${RULE}`,
        outs: { ...input, vpcEndpointId: "vpce-0abc", connectionState: "PENDING" },
      });
    });

    it("the resource exposes vpcEndpointId and connectionState under mocks, with its own type token", async () => {
      // A child process: setMocks is process-wide and would disturb other spec files' mocks.
      const script = `
        const pulumi = require("@pulumi/pulumi");
        const seen = [];
        pulumi.runtime.setMocks({
          newResource: (a) => { seen.push({ type: a.type, keys: Object.keys(a.inputs).sort() });
            return { id: "id-1", state: { ...a.inputs, vpcEndpointId: "vpce-mock", connectionState: "PENDING" } }; },
          call: () => { throw new Error("unexpected invoke"); },
        }, "dbx-aoai-link", "test", false);
        const { VpcEndpointWaiter, RULE_VPC_ENDPOINT_TYPE } = require("./databricks/vpcEndpointWaiter");
        const r = new VpcEndpointWaiter("wait", { accountHost: "https://accounts.cloud.databricks.com", accountId: "a", nccId: "n", ruleId: "r" });
        pulumi.all([r.vpcEndpointId, r.connectionState]).apply(([id, state]) =>
          console.log(JSON.stringify({ id, state, seen, expectedType: RULE_VPC_ENDPOINT_TYPE })));`;
      const { stdout } = await run(process.execPath, ["-r", "ts-node/register", "-e", script], {
        cwd: path.resolve(__dirname, ".."),
        timeout: 60_000,
      });
      const result = JSON.parse(stdout.trim().split("\n").pop() ?? "{}");
      assert.equal(result.id, "vpce-mock");
      assert.equal(result.state, "PENDING");
      assert.equal(result.seen[0].type, "pulumi-nodejs:dynamic/databricks:RuleVpcEndpoint");
      assert.equal(result.seen[0].type, result.expectedType);
      assert.deepEqual(result.seen[0].keys, ["__provider", "accountHost", "accountId", "nccId", "ruleId"]);
    });

    it("rejects bad timings when the program runs, before anything is registered", () => {
      assert.throws(
        () =>
          new VpcEndpointWaiter("bad", {
            accountHost: "h",
            accountId: "a",
            nccId: "n",
            ruleId: "r",
            pollIntervalSeconds: -1,
          }),
        /pollIntervalSeconds is -1/,
      );
    });
  });
});
