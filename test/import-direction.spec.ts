import * as assert from "assert";
import * as path from "path";
import {
  areaOf,
  importDirectionViolations,
  importGraph,
  type ImportEdge,
  sourceFiles,
  unknownAreas,
} from "./support/importGraph";

const ROOT = path.resolve(__dirname, "..");

describe("import direction", () => {
  const edges = importGraph(ROOT);

  it("reads the real graph, multi-line imports and require() included", () => {
    const has = (from: string, to: string) => edges.some((e) => e.from === from && e.to === to);
    assert.ok(has("config/vpcCidr.ts", "net/ipv4.ts"), "config/vpcCidr.ts imports net/ipv4.ts");
    assert.ok(has("verify/verify.ts", "databricks/accountApi.ts"), "a multi-line import of verify/verify.ts");
    assert.ok(has("test/support/program.ts", "program.ts"), "a dynamic import(…) of the program");
    assert.ok(edges.length > 100, `only ${edges.length} edges found`);
  });

  it("every import of ours follows the folder rules", () => {
    assert.deepStrictEqual(importDirectionViolations(edges), []);
  });

  describe("would fail on a reversed import", () => {
    const reversed: [string, ImportEdge, RegExp][] = [
      ["net/ importing config/", { from: "net/ipv4.ts", to: "config/types.ts" }, /net\/ holds generic helpers/],
      ["net/ importing aws/", { from: "net/dnsName.ts", to: "aws/constants.ts" }, /imports nothing of ours/],
      ["aws/ importing config/", { from: "aws/network.ts", to: "config/types.ts" }, /config\/ maps the stack config/],
      ["azure/ importing config/", { from: "azure/openAiAccount.ts", to: "config/types.ts" }, /never the reverse/],
      ["databricks/ importing the plan", { from: "databricks/verify.ts", to: "plan/run.ts" }, /never the reverse/],
      ["the program importing verify/", { from: "program.ts", to: "verify/verify.ts" }, /verify\/ is a command/],
      ["config/ importing bench/", { from: "config/validate.ts", to: "bench/eip/clock.ts" }, /bench\/ is the harness/],
      [
        "bench/ importing test/",
        { from: "bench/eip/launchScenario.ts", to: "test/support/program.ts" },
        /outside test\//,
      ],
      [
        "engine/ importing the plan",
        { from: "engine/monitor.ts", to: "plan/mocks.ts" },
        /engine\/ runs any Pulumi program offline/,
      ],
      ["lambda/ importing aws/", { from: "lambda/handler.ts", to: "aws/constants.ts" }, /bundled alone/],
      [
        "lambda-connections/ importing lambda/",
        { from: "lambda-connections/contract.ts", to: "lambda/contract.ts" },
        /bundled alone/,
      ],
      ["aws/ importing sim/", { from: "aws/eipAssigner.ts", to: "sim/fleet.ts" }, /sim\/ is the fleet simulation/],
      ["the program importing the plan", { from: "program.ts", to: "plan/run.ts" }, /the program never loads it/],
      ["the program importing engine/", { from: "index.ts", to: "engine/monitor.ts" }, /the program never loads it/],
      [
        "config/ importing preflight/",
        { from: "config/validate.ts", to: "preflight/check.ts" },
        /imports nothing above it/,
      ],
      ["policy/ importing config/", { from: "policy/iam.ts", to: "config/types.ts" }, /never the program's config/],
      ["examples/ importing aws/", { from: "examples/consumer/index.ts", to: "aws/constants.ts" }, /consumer code/],
      ["the program importing policy/", { from: "program.ts", to: "policy/permissions.ts" }, /never by the program/],
    ];
    for (const [what, edge, why] of reversed) {
      it(what, () => {
        const found = importDirectionViolations([edge]);
        assert.equal(found.length >= 1, true, `no violation for ${edge.from} → ${edge.to}`);
        assert.ok(
          found.some((f) => why.test(f)),
          `${found.join("\n")}\ndoes not say ${why}`,
        );
        for (const f of found) assert.ok(f.startsWith(`${edge.from} → ${edge.to}: `));
      });
    }

    it("lets the allowed direction through (config/ may use domain facts, tests may use anything)", () => {
      assert.deepStrictEqual(
        importDirectionViolations([
          { from: "config/validate.ts", to: "aws/subnetLayout.ts" },
          { from: "config/validate.ts", to: "net/ipv4.ts" },
          { from: "scripts/bench-eip.ts", to: "bench/eip/launchScenario.ts" },
          { from: "test/verify.spec.ts", to: "verify/verify.ts" },
          { from: "aws/eipAssigner.ts", to: "lambda/contract.ts" },
          { from: "sim/fleet.ts", to: "lambda/decisions.ts" },
          { from: "plan/sections/permissions.ts", to: "policy/permissions.ts" },
          { from: "program.ts", to: "preflight/gate.ts" },
        ]),
        [],
      );
    });
  });

  it("has rules for every top-level folder (a new folder must be placed in them)", () => {
    assert.deepStrictEqual(unknownAreas(sourceFiles(ROOT)), []);
    assert.deepStrictEqual(unknownAreas(["newfolder/x.ts", "aws/x.ts"]), ["newfolder"]);
  });

  it("names root files as their own area", () => {
    assert.equal(areaOf("program.ts"), "(root)");
    assert.equal(areaOf("bench/eip/clock.ts"), "bench");
  });
});
