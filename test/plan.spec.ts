import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, runPlanCli, type PlanRun } from "./support/planCli";

describe("npm run plan (offline, child process)", function () {
  this.timeout(600_000);
  let dev: PlanRun;
  before(() => {
    dev = runPlanCli(["--stack", "dev"]);
  });

  it("evaluates Pulumi.dev.yaml without credentials and prints resources, wiring and outputs", () => {
    assert.strictEqual(dev.status, 0, dev.stderr);
    for (const heading of ["AWS (", "Azure (", "Databricks (", "Cross-cloud wiring", "Outputs"])
      assert.ok(dev.stdout.includes(heading), heading);
    assert.ok(!dev.stdout.includes("✘"), dev.stdout);
  });

  it("shows what the EIP assigner's IAM may do, scoped to the pool and the group", () => {
    assert.match(
      dev.stdout,
      /ec2:AssociateAddress on arn:aws:ec2:us-east-1:\d{12}:elastic-ip\/eipalloc-\w+ … \(5 resources\)/,
    );
    assert.match(
      dev.stdout,
      /autoscaling:CompleteLifecycleAction on \S+autoScalingGroupName\/dbx-aoai-link-dev-proxies/,
    );
  });

  it("prints the streams one proxy and the group hold, and what limits them (docs/capacity.md)", () => {
    assert.match(
      dev.stdout,
      /Stream capacity[^\n]*\n {2}one proxy \(t3\.small, 2 vCPU, 2 GiB\): [\d,]+ streams, limited by memory/,
    );
    assert.match(dev.stdout, /group: [\d,]+ at minSize 2, [\d,]+ at maxSize 4/);
    assert.ok((dev.json as { capacity?: { perProxy?: number } }).capacity?.perProxy, "capacity key in --json");
  });

  it("writes the documented JSON: stack, resources with urn/type/name/parent/inputs, outputs", () => {
    const json = dev.json!;
    assert.strictEqual(json.stack, "dev");
    assert.ok(json.resources.length > 50);
    for (const r of json.resources) {
      for (const key of ["urn", "type", "name", "inputs"]) assert.ok(key in r, `${key} in ${r.urn}`);
      assert.ok(
        Object.keys(r).every((k) => ["urn", "type", "name", "parent", "inputs"].includes(k)),
        Object.keys(r).join(),
      );
      assert.ok(r.urn.startsWith("urn:pulumi:dev::dbx-aoai-link::") && !r.urn.includes("pulumi:pulumi:Stack"), r.urn);
    }
    const eip = json.resources.find((r) => r.type === "aws:ec2/eip:Eip")!;
    assert.match(eip.parent!, /dbx-aoai-link:aws:EipPool::egress$/);
  });

  it("shows the OpenAI account's firewall: default Deny, ipRules equal to the pool", () => {
    const account = dev.json!.resources.find((r) => r.type === "azure-native:cognitiveservices:Account")!;
    assert.strictEqual(account.inputs.properties.networkAcls.defaultAction, "Deny");
    assert.deepStrictEqual(
      account.inputs.properties.networkAcls.ipRules.map((r: { value: string }) => r.value),
      dev.json!.outputs.egressIps,
    );
    assert.deepStrictEqual(dev.json!.outputs.egressIps, [
      "203.0.113.10",
      "203.0.113.11",
      "203.0.113.12",
      "203.0.113.13",
      "203.0.113.14",
    ]);
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

  it("says which run produced what: the preview completed with unknowns, the update gave the values", () => {
    assert.match(dev.stdout, /Pulumi's program host \(@pulumi\/pulumi\/cmd\/run\) against the offline engine/);
    assert.match(
      dev.stdout,
      /preview: the program completed with computed values unknown and registered \d+ resources and components \(the same set as the update\)/,
    );
    assert.match(dev.stdout, /outputs unknown until `pulumi up`: .*egressIps/);
    assert.match(dev.stdout, /^Planned in \d+\.\d s \(preview \d+\.\d s and update \d+\.\d s, run side by side\)\.$/m);
    assert.strictEqual((dev.json as unknown as { mode: string }).mode, "update");
    assert.strictEqual(
      (dev.json as unknown as { preview: { sameResourcesAsUpdate: boolean } }).preview.sameResourcesAsUpdate,
      true,
    );
  });

  describe("input it cannot use: the problem and the fix, exit 1, no stack trace", () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-spec-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const devYaml = () => fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");

    function expectFailure(run: PlanRun, message: RegExp): void {
      assert.strictEqual(run.status, 1, run.stdout);
      assert.match(run.stderr, message);
      assert.ok(!/\n\s+at /.test(run.stderr), `stack trace printed:\n${run.stderr}`);
      assert.strictEqual(run.json, undefined);
    }
    function expectOneLineFailure(run: PlanRun, message: RegExp): void {
      expectFailure(run, message);
      assert.strictEqual(run.stderr.trim().split("\n").length, 1, run.stderr);
    }

    it("an invalid value: the validation message naming the key", () => {
      const file = path.join(dir, "invalid.yaml");
      fs.writeFileSync(file, devYaml().replace("availabilityZones: 2", "availabilityZones: 1"));
      expectFailure(
        runPlanCli(["--stack", "dev", "--config-file", file]),
        /dbx-aoai-link:proxy\.availabilityZones = 1: must be between 2 and 6/,
      );
    });

    it("an unknown stack: the stacks that exist, by name", () => {
      expectOneLineFailure(
        runPlanCli(["--stack", "staging"]),
        /no stack "staging" in .*: this project's stacks are dev, prod\. Fix: pass --stack with one of them/,
      );
    });

    it("a tab in the YAML: file, line and column", () => {
      const file = path.join(dir, "Pulumi.tab.yaml");
      fs.writeFileSync(file, devYaml().replace("    vpcCidr:", "\tvpcCidr:"));
      expectOneLineFailure(
        runPlanCli(["--stack", "dev", "--config-file", file]),
        /Pulumi\.tab\.yaml:\d+:\d+: Tabs are not allowed as indentation\. Fix: indent with spaces\./,
      );
    });

    it("a duplicate key: file, line and column", () => {
      const file = path.join(dir, "Pulumi.dup.yaml");
      fs.writeFileSync(file, devYaml().replace("    minSize: 2\n", "    minSize: 2\n    minSize: 3\n"));
      expectOneLineFailure(
        runPlanCli(["--stack", "dev", "--config-file", file]),
        /Pulumi\.dup\.yaml:\d+:5: Map keys must be unique\. Fix: keep one of the two keys\./,
      );
    });

    it("a file it cannot read", () => {
      expectOneLineFailure(
        runPlanCli(["--stack", "dev", "--config-file", path.join(dir, "missing.yaml")]),
        /missing\.yaml: cannot read it \(ENOENT\)\./,
      );
    });
  });
});
