/**
 * `npm run plan -- --diff BASE.json` and the upgrade gate: pure rules first, then real pairs of stack
 * files run through the CLI (the base is Pulumi.dev.yaml; each head is a changed copy in a project
 * folder that links to this repository's program).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { edited, projectWith, runPlanCli, type PlanRun } from "./support/planCli";
import {
  diffPlans,
  flatten,
  formatDiff,
  inputChanges,
  parsePlanDocument,
  type PlanDocument,
  upgradeGate,
  urnKey,
  DiffInputError,
} from "../plan/diff";
import { REPLACE_ON_CHANGE, replacingInputs, STATEFUL_TYPES } from "../plan/replacement";
import { TYPES as T } from "../plan/resourceTypes";

const URN = (type: string, name: string, parent = "") => `urn:pulumi:dev::dbx-aoai-link::${parent}${type}::${name}`;
const doc = (
  resources: PlanDocument["resources"],
  outputs: Record<string, unknown> = {},
  extra: Partial<PlanDocument> = {},
): PlanDocument => ({ stack: "dev", resources, outputs, ...extra });

describe("plan diff (pure)", () => {
  it("has a replacement rule, with its source, for every type the program registers", () => {
    const missing = Object.values(T).filter((t) => t !== T.provider && !REPLACE_ON_CHANGE[t]);
    assert.deepStrictEqual(
      missing,
      [],
      "add a row (inputs that force replacement, provider source) to plan/replacement.ts for each",
    );
    for (const [type, rule] of Object.entries(REPLACE_ON_CHANGE)) assert.ok(rule.source.length > 10, type);
    for (const type of Object.keys(STATEFUL_TYPES)) assert.ok(REPLACE_ON_CHANGE[type], type);
  });

  it("knows which input changes replace: NCC rule endpointService yes, domainNames no; NLB subnet removed yes, added no", () => {
    assert.deepStrictEqual(replacingInputs(T.nccRule, ["endpointService", "domainNames"]), ["endpointService"]);
    assert.deepStrictEqual(replacingInputs(T.nlb, ["subnets"], []), []);
    assert.deepStrictEqual(replacingInputs(T.nlb, ["subnets"], ["subnets"]), ["subnets"]);
    assert.deepStrictEqual(replacingInputs(T.account, ["properties.networkAcls.ipRules", "location"]), ["location"]);
  });

  it("flattens nested inputs and JSON text; masks secret-named inputs", () => {
    assert.deepStrictEqual(
      [...flatten({ a: { b: 1 }, p: JSON.stringify({ Statement: [{ Action: "x" }] }) })],
      [
        ["a.b", 1],
        ["p.Statement", [{ Action: "x" }]],
      ],
    );
    const { changes } = inputChanges(
      { stringValue: "old-key", tags: { a: "1" } },
      { stringValue: "new-key", tags: { a: "2" } },
    );
    assert.deepStrictEqual(changes, [
      { path: "stringValue", before: "[secret]", after: "[secret]" },
      { path: "tags.a", before: "1", after: "2" },
    ]);
  });

  it("reports a URN change (new parent) without an alias as a replacement, and with one as a move", () => {
    const base = doc([
      {
        urn: URN(T.eip, "egress-eip-0", "dbx-aoai-link:aws:EipPool$"),
        type: T.eip,
        name: "egress-eip-0",
        inputs: { domain: "vpc" },
      },
    ]);
    const moved = {
      urn: URN(T.eip, "egress-eip-0", "dbx-aoai-link:aws:Pool$"),
      type: T.eip,
      name: "egress-eip-0",
      inputs: { domain: "vpc" },
    };
    const replaced = diffPlans(base, doc([moved]));
    assert.strictEqual(replaced.replaced.length, 1);
    assert.match(
      replaced.replaced[0].because[0],
      /URN changed from dbx-aoai-link:aws:EipPool\$aws:ec2\/eip:Eip::egress-eip-0 \(no alias declared\)/,
    );
    assert.strictEqual(upgradeGate(replaced).ok, false);
    const aliased = diffPlans(base, doc([moved], {}, { aliases: { [moved.urn]: [base.resources[0].urn] } }));
    assert.deepStrictEqual(
      [aliased.replaced.length, aliased.removed.length, aliased.added.length, aliased.moved.length],
      [0, 0, 0, 1],
    );
    assert.strictEqual(upgradeGate(aliased).ok, true);
  });

  it("lets an explicit, reasoned allowance through the gate, and still lists it", () => {
    const base = doc([{ urn: URN(T.nlb, "proxy-nlb"), type: T.nlb, name: "proxy-nlb", inputs: { internal: true } }]);
    const diff = diffPlans(base, doc([{ ...base.resources[0], inputs: { internal: false } }]));
    assert.deepStrictEqual(
      diff.replaced.map((r) => r.because),
      [["internal"]],
    );
    assert.strictEqual(upgradeGate(diff).ok, false);
    const gate = upgradeGate(diff, [{ urn: urnKey(base.resources[0].urn), reason: "moving to a new VPC" }]);
    assert.deepStrictEqual([gate.ok, gate.allowed.map((a) => a.reason)], [true, ["moving to a new VPC"]]);
  });

  it("refuses a preview-mode plan and a file that is not a plan, in one line", () => {
    assert.throws(
      () => diffPlans({ ...doc([]), mode: "preview" }, doc([])),
      (e: Error) => e instanceof DiffInputError && /base plan is a "preview" plan.*Fix:/.test(e.message),
    );
    assert.throws(() => parsePlanDocument('{"a":1}', "x.json"), /x\.json: not a plan JSON/);
  });
});

describe("npm run plan -- --diff (real pairs of stack files)", function () {
  this.timeout(900_000);
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-base-"));
  const baseFile = path.join(temp, "base.json");
  const dirs: string[] = [];
  let base: PlanRun;
  let changed: PlanRun;
  let changedDiff: string;
  let shrunk: PlanRun;

  before(() => {
    base = runPlanCli(["--stack", "dev"]);
    fs.writeFileSync(baseFile, JSON.stringify(base.json));
    const changes = projectWith(
      edited([
        ["enforcement: ENFORCED", "enforcement: DRY_RUN"],
        ["instanceType: t3.small", "instanceType: c7g.large"],
        ["minSize: 2", "minSize: 3"],
        ["desiredCapacity: 2", "desiredCapacity: 3"],
        ["allowedInternetDestinations: []", 'allowedInternetDestinations: ["pypi.org"]'],
        ["extraAllowedIps: []", 'extraAllowedIps: ["198.51.100.7"]'],
      ]),
    );
    const shrink = projectWith(
      edited([
        ["maxSize: 4", "maxSize: 3"],
        ["eipPoolSize: 5", "eipPoolSize: 4"],
      ]),
    );
    dirs.push(changes, shrink);
    // The changed stack runs as a plain plan (its text is checked below) and is diffed with the same
    // functions the CLI's --diff calls; the shrunk one goes through --diff itself.
    changed = runPlanCli(["--project-dir", changes, "--stack", "dev"]);
    const diff = diffPlans(base.json as unknown as PlanDocument, changed.json as unknown as PlanDocument);
    changedDiff = formatDiff(diff, upgradeGate(diff), "base.json");
    shrunk = runPlanCli(["--project-dir", shrink, "--stack", "dev", "--diff", baseFile]);
  });
  after(() => {
    for (const d of [temp, ...dirs]) fs.rmSync(d, { recursive: true, force: true });
  });

  it("shows each change of the issue's first paragraph, in place, and passes the gate", () => {
    assert.strictEqual(changed.status, 0, changed.stderr + changed.stdout);
    const out = changedDiff;
    // the fifth update: the "healthy proxies below minSize" alarm follows minSize
    assert.match(out, /0 to add, 5 to update, 0 to replace, 0 to delete/);
    assert.match(out, /MetricAlarm "proxy-healthy-below-min"\n(.*\n)*? {6}threshold: 2 → 3/);
    assert.match(out, /enforcementMode: ENFORCED → DRY_RUN/);
    assert.match(out, /instanceType: t3\.small → c7g\.large/);
    assert.match(out, /imageId: \S+al2023-ami-kernel-default-x86_64 → \S+al2023-ami-kernel-default-arm64/);
    assert.match(out, /desiredCapacity: 2 → 3/);
    assert.match(out, /minSize: 2 → 3/);
    assert.match(out, /allowedInternetDestinations: \+ \{"destination":"pypi\.org"/);
    assert.match(out, /properties\.networkAcls\.ipRules: \+ 198\.51\.100\.7/);
    assert.match(out, /Upgrade gate: pass/);
  });

  it("shows each of those changes in the plan's effective configuration too (the text is no longer identical)", () => {
    const section = (text: string) =>
      text.slice(text.indexOf("Effective configuration"), text.indexOf("Cross-cloud wiring"));
    const before = section(base.stdout);
    const after = section(changed.stdout);
    assert.match(before, /proxy instances +t3\.small \(x86_64\), min 2 \/ desired 2 \/ max 4/);
    assert.match(after, /proxy instances +c7g\.large \(arm64\), min 3 \/ desired 3 \/ max 4/);
    assert.match(before, /serverless egress enforcement +ENFORCED/);
    assert.match(after, /serverless egress enforcement +DRY_RUN/);
    assert.match(after, /allowed internet destinations +contoso-aoai-dev\.openai\.azure\.com, pypi\.org/);
    assert.match(after, /Azure firewall +default Deny, 6 IP rules/);
    assert.match(after, /198\.51\.100\.7 +operator \(azure\.extraAllowedIps\)/);
    assert.strictEqual((after.match(/ pool EIP$/gm) ?? []).length, 5);
    // Scaling stays on, so desiredCapacity 2 → 3 changes nothing on an existing group: said beside it.
    assert.match(
      before,
      /autoscaling +target tracking, 10000 flows per proxy, 2\.\.4; desiredCapacity applies only when the group is created/,
    );
    assert.match(after, /autoscaling +target tracking, 10000 flows per proxy, 3\.\.4;/);
    assert.match(before, /proxy lifetime +21 days, then replaced onto the current image/);
    // The wiring lists the operator address next to the pool.
    assert.ok(!base.stdout.includes("operator addresses"), base.stdout);
    assert.match(
      changed.stdout,
      /✔ operator addresses \(azure\.extraAllowedIps, 1\) → Azure account networkAcls\.ipRules\n {6}\["198\.51\.100\.7"\]/,
    );
  });

  it("fails the gate when a pool EIP would be deleted, naming it and the fix", () => {
    assert.strictEqual(shrunk.status, 1, shrunk.stderr);
    assert.match(shrunk.stdout, /Delete \(1\)\n {2}- aws:ec2\/eip:Eip "egress-eip-4" {2}\[stateful: pool EIP/);
    assert.match(shrunk.stdout, /properties\.networkAcls\.ipRules: - 203\.0\.113\.14/);
    assert.match(
      shrunk.stdout,
      /Upgrade gate: FAIL: 1 stateful resource\(s\)[^\n]*\n {2}✘ removed aws:ec2\/eip:Eip "egress-eip-4"/,
    );
    assert.match(shrunk.stdout, /upgrade-allow\.json/);
  });

  it("lets the same pair through with the EIP listed in upgrade-allow.json", () => {
    const base = parsePlanDocument(fs.readFileSync(baseFile, "utf8"), "base.json");
    const diff = diffPlans(base, shrunk.json as unknown as PlanDocument);
    const eip = diff.removed.find((r) => r.name === "egress-eip-4")!;
    assert.strictEqual(upgradeGate(diff, [{ urn: eip.urn, reason: "pool shrunk on purpose" }]).ok, true);
  });

  it("exits 1 with one line for a missing base file", () => {
    const run = runPlanCli(["--stack", "dev", "--diff", path.join(temp, "nope.json")]);
    assert.strictEqual(run.status, 1);
    assert.match(run.stderr, /--diff \S+nope\.json: no such file\. Fix:/);
    assert.ok(!/\n\s+at /.test(run.stderr), run.stderr);
  });
});
