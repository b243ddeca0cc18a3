/** Who may call the serving endpoint, and how much: query groups, AI Gateway rate limits, usage tracking, inference table. */
import * as assert from "assert";
import { defaultUserTokens, deploymentTokensPerMinute } from "../config/servingAccess";
import { servingAccessSection } from "../plan/sections/servingAccess";
import type { Plan } from "../plan/run";
import { TYPES as T } from "../plan/resourceTypes";
import { assertConfigError } from "./support/configError";
import { evaluate, type Evaluation, stackConfig } from "./support/program";

type Raw = Record<string, any>;
const serving = (raw: Raw) => raw["dbx-aoai-link:databricks"].servingEndpoint as Raw;
const withServing = (fields: Raw) => stackConfig("dev", (raw) => Object.assign(serving(raw), fields));

function rejects(fields: Raw, ...fragments: string[]): void {
  assertConfigError(() => withServing(fields), ...fragments);
}

const asPlan = (e: Evaluation) => ({ recorded: e.resources, config: e.config }) as unknown as Plan;

describe("serving endpoint access (config)", () => {
  it("defaults: the endpoint limited to the deployment's quota, each user to a quarter, usage tracked, no table, no ACL", () => {
    // dev: gpt-5.2, GlobalStandard, capacity 10 (thousand tokens per minute)
    const served = stackConfig("dev").databricks.servingEndpoint!;
    assert.deepStrictEqual(served.rateLimits, {
      endpoint: { tokensPerMinute: 10_000 },
      user: { tokensPerMinute: 2_500 },
    });
    assert.strictEqual(served.usageTracking, true);
    assert.strictEqual(served.inferenceTable, undefined);
    assert.deepStrictEqual(served.queryGroups, []);
  });

  it("derives each user's default from an explicit endpoint limit; 0 turns a kind of limit off", () => {
    const a = withServing({ rateLimits: { endpoint: { tokensPerMinute: 4000, callsPerMinute: 120 } } }).databricks
      .servingEndpoint!;
    assert.deepStrictEqual(a.rateLimits, {
      endpoint: { tokensPerMinute: 4000, callsPerMinute: 120 },
      user: { tokensPerMinute: 1000 },
    });
    const b = withServing({ rateLimits: { endpoint: { tokensPerMinute: 0 }, user: { tokensPerMinute: 0 } } }).databricks
      .servingEndpoint!;
    assert.deepStrictEqual(b.rateLimits, { endpoint: {}, user: {} });
  });

  it("sets no default token limits where the SKU does not count tokens per minute (provisioned, batch)", () => {
    assert.strictEqual(deploymentTokensPerMinute({ sku: "ProvisionedManaged", capacity: 50 }), undefined);
    assert.strictEqual(deploymentTokensPerMinute({ sku: "GlobalBatch", capacity: 50 }), undefined);
    assert.strictEqual(deploymentTokensPerMinute({ sku: "Standard", capacity: 50 }), 50_000);
    assert.strictEqual(defaultUserTokens(undefined, undefined), undefined);
    assert.strictEqual(defaultUserTokens(undefined, 3), 1, "never a limit of 0 (which would mean none)");
  });

  it("reads queryGroups, usageTracking and the inference table", () => {
    const served = withServing({
      queryGroups: ["data-scientists", "ml-engineers"],
      usageTracking: false,
      inferenceTable: { catalog: "main", schema: "aoai_audit", tableNamePrefix: "chat" },
    }).databricks.servingEndpoint!;
    assert.deepStrictEqual(served.queryGroups, ["data-scientists", "ml-engineers"]);
    assert.strictEqual(served.usageTracking, false);
    assert.deepStrictEqual(served.inferenceTable, { catalog: "main", schema: "aoai_audit", tableNamePrefix: "chat" });
  });

  it("rejects a per-user limit above the endpoint's, naming the key, the value and the fix", () => {
    rejects(
      { rateLimits: { user: { callsPerMinute: 100 }, endpoint: { callsPerMinute: 50 } } },
      "dbx-aoai-link:databricks.servingEndpoint.rateLimits.user.callsPerMinute = 100",
      "never applies",
      "Fix: set it at most 50",
    );
  });

  it("rejects negative or fractional limits and unknown rate-limit keys", () => {
    rejects({ rateLimits: { user: { tokensPerMinute: -5 } } }, "rateLimits.user.tokensPerMinute = -5", "≥ 0");
    rejects({ rateLimits: { user: { tokensPerMinute: 1.5 } } }, "rateLimits.user.tokensPerMinute", "whole number");
    rejects({ rateLimits: { perUser: {} } }, "rateLimits.perUser", "unknown key");
  });

  it("rejects empty or repeated group names", () => {
    rejects({ queryGroups: ["a", ""] }, "servingEndpoint.queryGroups[1]", "not a group name");
    rejects({ queryGroups: ["a", "a"] }, 'servingEndpoint.queryGroups[1] = "a"', "listed twice");
    rejects({ queryGroups: "data-scientists" }, "servingEndpoint.queryGroups", "must be a list");
  });

  it("rejects an inference table without a schema, or with a dotted name", () => {
    rejects({ inferenceTable: { catalog: "main" } }, "servingEndpoint.inferenceTable.schema", "is required");
    rejects(
      { inferenceTable: { catalog: "main.audit", schema: "x" } },
      'servingEndpoint.inferenceTable.catalog = "main.audit"',
      "Unity Catalog name",
    );
  });
});

describe("serving endpoint access (under mocks)", () => {
  let dev: Evaluation;
  let granted: Evaluation;
  before(async () => {
    dev = await evaluate(stackConfig("dev"));
    granted = await evaluate(
      withServing({
        queryGroups: ["data-scientists", "ml-engineers"],
        rateLimits: { user: { callsPerMinute: 30 } },
        inferenceTable: { catalog: "main", schema: "aoai_audit" },
      }),
    );
  });

  it("puts the rate limits and usage tracking on the endpoint's AI Gateway", () => {
    const gateway = dev.one(T.serving).inputs.aiGateway;
    assert.deepStrictEqual(gateway.usageTrackingConfig, { enabled: true });
    assert.deepStrictEqual(gateway.rateLimits, [
      { key: "endpoint", renewalPeriod: "minute", tokens: 10_000 },
      { key: "user", renewalPeriod: "minute", tokens: 2_500 },
    ]);
    assert.strictEqual(gateway.inferenceTableConfig, undefined, "the inference table is opt-in");
  });

  it("writes prompts and answers to the configured catalog and schema only when asked", () => {
    assert.deepStrictEqual(granted.one(T.serving).inputs.aiGateway.inferenceTableConfig, {
      enabled: true,
      catalogName: "main",
      schemaName: "aoai_audit",
    });
    assert.deepStrictEqual(
      granted.one(T.serving).inputs.aiGateway.rateLimits.filter((l: Raw) => l.key === "user"),
      [
        { key: "user", renewalPeriod: "minute", tokens: 2_500 },
        { key: "user", renewalPeriod: "minute", calls: 30 },
      ],
    );
  });

  it("manages no ACL unless queryGroups is set", () => {
    assert.strictEqual(dev.all(T.permissions).length, 0);
  });

  it("grants each query group CAN_QUERY on our endpoint, from the endpoint's component and workspace provider", () => {
    const acl = granted.one(T.permissions);
    const endpoint = granted.one(T.serving);
    assert.strictEqual(acl.inputs.servingEndpointId, endpoint.outputs.servingEndpointId);
    assert.deepStrictEqual(acl.inputs.accessControls, [
      { groupName: "data-scientists", permissionLevel: "CAN_QUERY" },
      { groupName: "ml-engineers", permissionLevel: "CAN_QUERY" },
    ]);
    assert.strictEqual(acl.parent, endpoint.parent);
    assert.strictEqual(acl.provider, endpoint.provider);
  });

  it("shows in the plan who may query and the limits", () => {
    const section = servingAccessSection(asPlan(granted));
    assert.match(section, /may query\s+data-scientists \(CAN_QUERY\), ml-engineers \(CAN_QUERY\); the program owns/);
    assert.match(section, /rate limit, each user\s+2,500 tokens, 30 calls per minute/);
    assert.match(section, /rate limit, whole endpoint\s+10,000 tokens per minute/);
    assert.match(section, /usage tracking\s+on/);
    assert.match(section, /inference table\s+main\.aoai_audit\.aoai-chat_payload/);
    assert.match(servingAccessSection(asPlan(dev)), /may query\s+not managed here/);
  });
});
