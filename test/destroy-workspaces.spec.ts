/**
 * Destroy leaves workspaces sane: before our network policy is deleted, each workspace is pointed back
 * to `default-policy` (WorkspacePolicyRestore's delete, against the fake account API on 127.0.0.1), and
 * the plan JSON's dependency edges put that delete before the policy's and the option's.
 */
import * as assert from "assert";
import { FakeDatabricks, TEST_TOKEN } from "./support/fakeDatabricks";
import { runPlanCli, type PlanRun } from "./support/planCli";
import { CREDENTIAL_ENV } from "../databricks/accountApi";
import {
  policyRestoreProvider,
  restoreBody,
  restoreDefaultPolicy,
  type PolicyRestoreInputs,
} from "../databricks/policyRestoreProvider";
import { destroyOrder, type LifecycleEntry } from "../plan/sections/lifecycle";
import { REPLACE_ON_CHANGE } from "../plan/replacement";
import { TYPES as T } from "../plan/resourceTypes";

const ACCOUNT = "0d26daa6-5e44-4c97-a497-ef015f91254a";
// Above 2^53: a JavaScript number would round it.
const WORKSPACE = "9876543210987654";
const NETWORK = `/api/2.0/accounts/${ACCOUNT}/workspaces/${WORKSPACE}/network`;

describe("destroy re-points workspaces to default-policy", function () {
  this.timeout(600_000);

  describe("WorkspacePolicyRestore's delete (fake account API)", () => {
    let fake: FakeDatabricks;
    const saved = Object.values(CREDENTIAL_ENV).map((name) => [name, process.env[name]] as const);
    const inputs = (): PolicyRestoreInputs => ({
      accountHost: fake.url,
      accountId: ACCOUNT,
      workspaceId: WORKSPACE,
      networkPolicyId: "aoai-link-dev",
    });
    beforeEach(async () => {
      fake = await FakeDatabricks.start();
      Object.values(CREDENTIAL_ENV).forEach((name) => delete process.env[name]);
      process.env[CREDENTIAL_ENV.token] = TEST_TOKEN;
    });
    afterEach(async () => {
      await fake.close();
      Object.values(CREDENTIAL_ENV).forEach((name) => delete process.env[name]);
      for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
    });

    it("points a workspace still on our policy back to default-policy, its id's digits intact", async () => {
      fake
        .on("GET", NETWORK, { json: { workspace_id: 1, network_policy_id: "aoai-link-dev" } })
        .on("PUT", NETWORK, { json: {} });
      assert.strictEqual(await restoreDefaultPolicy(inputs(), undefined), "re-pointed");
      const [put] = fake.requestsTo(NETWORK).filter((r) => r.method === "PUT");
      assert.strictEqual(put.body, `{"workspace_id":${WORKSPACE},"network_policy_id":"default-policy"}`);
      assert.strictEqual(put.headers.authorization, `Bearer ${TEST_TOKEN}`);
    });

    it("leaves a workspace someone moved to another policy alone", async () => {
      fake.on("GET", NETWORK, { json: { network_policy_id: "data-eng-egress" } });
      assert.strictEqual(await restoreDefaultPolicy(inputs(), undefined), "left: uses another policy");
      assert.deepStrictEqual(
        fake.requests.map((r) => r.method),
        ["GET"],
      );
    });

    it("needs nothing for a workspace that no longer exists", async () => {
      fake.on("GET", NETWORK, { status: 404, json: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
      assert.strictEqual(await restoreDefaultPolicy(inputs(), undefined), "left: workspace gone");
    });

    it("fails the delete (so destroy stops before the policy goes) when the API refuses", async () => {
      fake
        .on("GET", NETWORK, { json: { network_policy_id: "aoai-link-dev" } })
        .on("PUT", NETWORK, { status: 403, json: { message: "not an account admin" } });
      await assert.rejects(policyRestoreProvider.delete!(WORKSPACE, inputs()), /403/);
    });

    it("is never replaced (a replacement would re-point a workspace our policy stays on)", async () => {
      const old = { ...inputs(), accountHost: "https://accounts.cloud.databricks.com" };
      const diff = await policyRestoreProvider.diff!(WORKSPACE, old, { ...old, networkPolicyId: "fin-aoai" });
      assert.deepStrictEqual([diff.changes, diff.replaces], [true, []]);
      assert.deepStrictEqual(REPLACE_ON_CHANGE[T.policyRestore].inputs, []);
      assert.throws(() => restoreBody("12a"), /not a numeric workspace id/);
    });
  });

  describe("in the plan JSON (npm run plan -- --json)", () => {
    let dev: PlanRun;
    let lifecycle: LifecycleEntry[];
    before(() => {
      dev = runPlanCli(["--stack", "dev"]);
      assert.strictEqual(dev.status, 0, dev.stderr);
      lifecycle = (dev.json as unknown as { lifecycle: LifecycleEntry[] }).lifecycle;
    });

    const urnOf = (type: string, name: string) => {
      const found = lifecycle.filter((e) => e.urn.endsWith(`${type}::${name}`));
      assert.strictEqual(found.length, 1, `${type}::${name}`);
      return found[0].urn;
    };

    it("has a restore per workspace that depends on the policy and on the workspace's network option", () => {
      const policy = urnOf(T.policy, "serverless-policy");
      const option = urnOf(T.option, "serverless-policy-1234567890123456");
      const restore = lifecycle.find(
        (e) => e.urn === urnOf(T.policyRestore, "serverless-policy-restore-1234567890123456"),
      )!;
      assert.ok(restore.dependsOn.includes(policy), JSON.stringify(restore));
      assert.ok(restore.dependsOn.includes(option), JSON.stringify(restore));
    });

    it("so destroy re-points the workspace before it deletes the option and the policy", () => {
      const order = destroyOrder(lifecycle);
      const at = (type: string, name: string) => order.indexOf(urnOf(type, name));
      const restore = at(T.policyRestore, "serverless-policy-restore-1234567890123456");
      assert.ok(restore < at(T.option, "serverless-policy-1234567890123456"));
      assert.ok(restore < at(T.policy, "serverless-policy"));
      assert.match(
        dev.stdout,
        /destroy: 1234567890123456 pointed back to default-policy before the network policy is deleted/,
      );
    });
  });

  it("destroyOrder deletes dependents and children first, and refuses a cycle", () => {
    const e = (urn: string, dependsOn: string[] = [], parent?: string): LifecycleEntry => ({
      urn,
      dependsOn,
      ...(parent ? { parent } : {}),
    });
    assert.deepStrictEqual(destroyOrder([e("policy"), e("option", ["policy"]), e("restore", ["option", "policy"])]), [
      "restore",
      "option",
      "policy",
    ]);
    assert.deepStrictEqual(destroyOrder([e("component"), e("child", [], "component")]), ["child", "component"]);
    assert.throws(() => destroyOrder([e("a", ["b"]), e("b", ["a"])]), /cycle/);
  });
});
