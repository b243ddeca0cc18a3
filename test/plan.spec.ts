import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT, runPlanCli, PlanRun } from "./support/planCli";

describe("npm run plan (offline, child process)", function () {
  this.timeout(240_000);
  let dev: PlanRun;
  before(() => { dev = runPlanCli(["--stack", "dev"]); });

  it("evaluates Pulumi.dev.yaml without credentials and prints resources, wiring and outputs", () => {
    assert.strictEqual(dev.status, 0, dev.stderr);
    for (const heading of ["AWS (", "Azure (", "Databricks (", "Cross-cloud wiring", "Outputs"]) assert.ok(dev.stdout.includes(heading), heading);
    assert.ok(!dev.stdout.includes("✘"), dev.stdout);
  });

  it("shows what the EIP assigner's IAM may do, scoped to the pool and the group", () => {
    assert.match(dev.stdout, /ec2:AssociateAddress on arn:aws:ec2:us-east-1:\d{12}:elastic-ip\/eipalloc-\w+ … \(5 resources\)/);
    assert.match(dev.stdout, /autoscaling:CompleteLifecycleAction on \S+autoScalingGroupName\/dbx-aoai-link-dev-proxies/);
  });

  it("writes the documented JSON: stack, resources with urn/type/name/parent/inputs, outputs", () => {
    const json = dev.json!;
    assert.strictEqual(json.stack, "dev");
    assert.ok(json.resources.length > 50);
    for (const r of json.resources) {
      for (const key of ["urn", "type", "name", "inputs"]) assert.ok(key in r, `${key} in ${r.urn}`);
      assert.ok(Object.keys(r).every(k => ["urn", "type", "name", "parent", "inputs"].includes(k)), Object.keys(r).join());
      assert.ok(r.urn.startsWith("urn:pulumi:dev::dbx-aoai-link::") && !r.urn.includes("pulumi:pulumi:Stack"), r.urn);
    }
    const eip = json.resources.find(r => r.type === "aws:ec2/eip:Eip")!;
    assert.match(eip.parent!, /dbx-aoai-link:aws:EipPool::egress$/);
  });

  it("shows the OpenAI account's firewall: default Deny, ipRules equal to the pool", () => {
    const account = dev.json!.resources.find(r => r.type === "azure-native:cognitiveservices:Account")!;
    assert.strictEqual(account.inputs.properties.networkAcls.defaultAction, "Deny");
    assert.deepStrictEqual(account.inputs.properties.networkAcls.ipRules.map((r: { value: string }) => r.value), dev.json!.outputs.egressIps);
    assert.deepStrictEqual(dev.json!.outputs.egressIps, ["203.0.113.10", "203.0.113.11", "203.0.113.12", "203.0.113.13", "203.0.113.14"]);
  });

  it("traces every cross-cloud link and finds it intact", () => {
    const wiring = dev.json!.wiring;
    assert.ok(wiring.length >= 7, JSON.stringify(wiring));
    for (const link of wiring) assert.ok(link.ok, `${link.from} → ${link.to}`);
  });

  it("prints secrets as [secret] and never the key", () => {
    const text = JSON.stringify(dev.json);
    assert.ok(text.includes("[secret]"));
    assert.ok(!/mock-key1/.test(text));
  });

  it("is deterministic: a second run gives the same JSON", () => {
    assert.deepStrictEqual(runPlanCli(["--stack", "dev"]).json, dev.json);
  });

  describe("with an invalid config", () => {
    const file = path.join(ROOT, "Pulumi.plan-test-invalid.yaml");
    after(() => fs.rmSync(file, { force: true }));

    it("exits 1 with the validation message naming the key, and no stack trace", () => {
      fs.writeFileSync(file, fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").replace("availabilityZones: 2", "availabilityZones: 1"));
      const run = runPlanCli(["--stack", "plan-test-invalid"]);
      assert.strictEqual(run.status, 1);
      assert.match(run.stderr, /dbx-aoai-link:proxy\.availabilityZones = 1: must be between 2 and 6/);
      assert.ok(!/\n\s+at /.test(run.stderr), `stack trace printed:\n${run.stderr}`);
      assert.strictEqual(run.json, undefined);
    });
  });
});
