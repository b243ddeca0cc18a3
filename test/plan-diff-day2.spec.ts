/**
 * Day-2 changes an existing stack must take without replacing its group, subnets, NLB or endpoint
 * service: the launch hook's settings (standalone hook, aws/launchHook.ts) and the zone choice. Pure
 * table rules first, then the zone-dependent inputs against a snapshot of the program before zones were
 * chosen by id, then a real pair of stack files through the plan CLI.
 */
import * as assert from "assert";
import * as fs from "fs";
import { edited, projectWith, runPlanCli, type PlanRun } from "./support/planCli";
import { evaluate, stackConfig } from "./support/program";
import { zoneFixtureFile, zoneInputs } from "./support/zoneInputs";
import { diffPlans, formatDiff, type PlanDocument, upgradeGate } from "../plan/diff";
import { replacingInputs } from "../plan/replacement";
import { TYPES as T } from "../plan/resourceTypes";

describe("launch hook: what replaces what (plan/replacement.ts)", () => {
  it("replaces the group for any change of its initial hook, but only the standalone hook for a new name", () => {
    for (const field of ["name", "heartbeatTimeout", "defaultResult", "lifecycleTransition"])
      assert.deepStrictEqual(replacingInputs(T.asg, [`initialLifecycleHooks.${field}`]), [
        `initialLifecycleHooks.${field}`,
      ]);
    assert.deepStrictEqual(replacingInputs(T.lifecycleHook, ["heartbeatTimeout", "defaultResult"]), []);
    assert.deepStrictEqual(replacingInputs(T.lifecycleHook, ["name"]), ["name"]);
  });
});

describe("zones on upgrade: the subnets, NLB, group and endpoint service keep their zones", function () {
  this.timeout(120_000);
  for (const stack of ["dev", "prod"]) {
    it(`${stack}: no zone-dependent input changes against the program before zone ids`, async () => {
      const before = JSON.parse(fs.readFileSync(zoneFixtureFile(stack), "utf8")) as PlanDocument;
      const now = zoneInputs(stack, (await evaluate(stackConfig(stack))).resources);
      const diff = diffPlans(before, now);
      assert.deepStrictEqual(
        [diff.replaced, diff.removed, diff.updated].map((list) => list.map((r) => r.name)),
        [[], [], []],
        formatDiff(diff, upgradeGate(diff), "zone-inputs fixture"),
      );
      assert.strictEqual(upgradeGate(diff).ok, true);
    });
  }
});

describe("npm run plan -- --diff: a new launch hook heartbeat, or name, on an existing stack", function () {
  this.timeout(900_000);
  const dirs: string[] = [];
  let base: PlanRun;
  let head: PlanRun;
  let renamed: PlanRun;

  /** The dev stack with one more proxy key, planned through the CLI. */
  function planWithProxyKey(line: string): PlanRun {
    const dir = projectWith(edited([["nlbDeletionProtection: false", `nlbDeletionProtection: false\n    ${line}`]]));
    dirs.push(dir);
    return runPlanCli(["--project-dir", dir, "--stack", "dev"]);
  }

  before(() => {
    base = runPlanCli(["--stack", "dev"]);
    head = planWithProxyKey("launchHookHeartbeatSeconds: 900");
    renamed = planWithProxyKey("launchHookName: estate/assign-egress-ip");
  });
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it("says which zone ids the proxies use, in the text and the JSON", () => {
    assert.strictEqual(base.status, 0, base.stderr);
    assert.match(
      base.stdout,
      /Availability zones \(by zone id: the first 2 in name order of the regular zones offering t3\.small; pin them with proxy\.availabilityZoneIds\)\n {2}use1-az1 +us-east-1a +subnets public-0, private-0\n {2}use1-az2 +us-east-1b +subnets public-1, private-1\n/,
    );
    assert.match(base.stdout, /✔ AZ offerings: judges dbx-aoai-link:proxy\.availabilityZones/);
    assert.deepStrictEqual((base.json as unknown as { availabilityZones: unknown }).availabilityZones, [
      { id: "use1-az1", name: "us-east-1a" },
      { id: "use1-az2", name: "us-east-1b" },
    ]);
  });

  it("updates the standalone hook and the group's capacity wait in place, replaces nothing, passes the gate", () => {
    assert.strictEqual(head.status, 0, head.stderr + head.stdout);
    const diff = diffPlans(base.json as unknown as PlanDocument, head.json as unknown as PlanDocument);
    const text = formatDiff(diff, upgradeGate(diff), "base.json");
    assert.match(text, /0 to add, 2 to update, 0 to replace, 0 to delete/);
    assert.match(text, /LifecycleHook "proxy-launch-hook".*\n(.*\n)*? {6}heartbeatTimeout: 600 → 900/);
    assert.match(text, /Group "proxy-asg".*\n(.*\n)*? {6}waitForCapacityTimeout: 2040s → 2640s/);
    assert.doesNotMatch(text, /initialLifecycleHooks/);
    assert.match(text, /Upgrade gate: pass/);
  });

  it("a new hook name adds the new hook and removes the old one (create first, delete last), never the group; the gate passes", () => {
    assert.strictEqual(renamed.status, 0, renamed.stderr + renamed.stdout);
    const diff = diffPlans(base.json as unknown as PlanDocument, renamed.json as unknown as PlanDocument);
    const text = formatDiff(diff, upgradeGate(diff), "base.json");
    // Not a replacement: that would run delete-before-replace (an explicitly named, auto-nameable input),
    // leaving the group without a launch hook in between (aws/launchHook.ts launchHookResourceName).
    assert.deepStrictEqual(diff.replaced, [], text);
    assert.deepStrictEqual(
      [diff.added.map((r) => r.name), diff.removed.map((r) => r.name)],
      [["proxy-launch-hook-estate-assign-egress-ip"], ["proxy-launch-hook"]],
      text,
    );
    const added = (renamed.json as unknown as PlanDocument).resources.find(
      (r) => r.name === "proxy-launch-hook-estate-assign-egress-ip",
    )!;
    assert.strictEqual(added.inputs.name, "estate/assign-egress-ip");
    assert.deepStrictEqual(diff.updated.map((r) => r.name).sort(), ["eip-assigner-fn", "eip-assigner-rule"], text);
    assert.match(text, /LIFECYCLE_HOOK_NAMES: assign-pool-eip → assign-pool-eip,estate\/assign-egress-ip/);
    assert.doesNotMatch(text, /initialLifecycleHooks/);
    assert.match(text, /Upgrade gate: pass/);
  });
});
