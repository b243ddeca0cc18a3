import * as assert from "assert";
import * as path from "path";
import { areaOf, importDirectionViolations, importGraph, type ImportEdge } from "./support/importGraph";

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
    ];
    for (const [what, edge, why] of reversed) {
      it(what, () => {
        const found = importDirectionViolations([edge]);
        assert.equal(found.length >= 1, true, `no violation for ${edge.from} → ${edge.to}`);
        assert.match(found[0], why);
        assert.ok(found[0].startsWith(`${edge.from} → ${edge.to}: `));
      });
    }

    it("lets the allowed direction through (config/ may use domain facts, tests may use anything)", () => {
      assert.deepStrictEqual(
        importDirectionViolations([
          { from: "config/validate.ts", to: "aws/subnetLayout.ts" },
          { from: "config/validate.ts", to: "net/ipv4.ts" },
          { from: "scripts/bench-eip.ts", to: "bench/eip/launchScenario.ts" },
          { from: "test/verify.spec.ts", to: "verify/verify.ts" },
        ]),
        [],
      );
    });
  });

  it("names root files as their own area", () => {
    assert.equal(areaOf("program.ts"), "(root)");
    assert.equal(areaOf("bench/eip/clock.ts"), "bench");
  });
});
