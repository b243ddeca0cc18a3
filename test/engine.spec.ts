/**
 * The program as `pulumi preview` and `pulumi up` run it: Pulumi's own program host
 * (`@pulumi/pulumi/cmd/run`, TypeScript through its ts-node defaults) against the offline engine
 * (engine/), and the dynamic resource's provider in the SDK's own dynamic-provider host.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runProgram, failureOf, warningsOf, type EngineRun } from "../engine/run";
import { DynamicProviderHost } from "../engine/dynamicProvider";
import { unknownValue } from "../engine/sdk";
import { runOfflinePlan, type Plan } from "../plan/run";
import { TYPES } from "../plan/resourceTypes";
import { FakeDatabricks, TEST_TOKEN } from "./support/fakeDatabricks";
import { REPO_ROOT, tinyProject, type TinyProject } from "./support/tinyProject";

const STACK_TRACE = /\n\s+at /;

/** Runs a small program through the engine in a throwaway project. */
async function runTiny(
  program: string,
  options: { tsconfig?: object; mode?: "preview" | "update"; stackFile?: string } = {},
): Promise<EngineRun> {
  const project: TinyProject = tinyProject({ program, tsconfig: options.tsconfig, stackFile: options.stackFile });
  try {
    return await runProgram({ projectDir: project.dir, stack: "dev", mode: options.mode ?? "preview" });
  } finally {
    project.remove();
  }
}

describe("the program under Pulumi's own program host (cmd/run) and the offline engine", function () {
  this.timeout(300_000);

  describe("TypeScript as Pulumi's loader compiles it", () => {
    const program = `import * as pulumi from "@pulumi/pulumi";\nexport const answer = pulumi.output(42);\n`;

    it("this repository's tsconfig compiles and runs under cmd/run", async () => {
      const run = await runTiny(program);
      assert.strictEqual(failureOf(run), undefined, run.stderr);
      assert.strictEqual(run.stackOutputs.answer, 42);
    });

    /** This repository's tsconfig with TypeScript's own transpiler instead of swc (`ts-node.swc` off). */
    function withTypeScriptTranspiler(): { compilerOptions: Record<string, unknown> } {
      const repo = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "tsconfig.json"), "utf8")) as {
        compilerOptions: Record<string, unknown>;
      };
      return { ...repo, "ts-node": { transpileOnly: true } } as typeof repo;
    }

    it('compiles and runs there with TypeScript\'s own transpiler too ("swc": false, the documented fix where swc cannot load)', async () => {
      const run = await runTiny(program, { tsconfig: withTypeScriptTranspiler() });
      assert.strictEqual(failureOf(run), undefined, run.stderr);
      assert.strictEqual(run.stackOutputs.answer, 42);
    });

    it("the earlier tsconfig (module commonjs, no moduleResolution) fails there with TS5110, as the first real preview did", async () => {
      const repo = withTypeScriptTranspiler();
      const { moduleResolution: _dropped, ...rest } = repo.compilerOptions;
      const run = await runTiny(program, { tsconfig: { ...repo, compilerOptions: { ...rest, module: "commonjs" } } });
      assert.match(
        failureOf(run) ?? "",
        /TS5110: Option 'module' must be set to 'NodeNext' when option 'moduleResolution' is set to 'NodeNext'/,
      );
    });
  });

  describe("the real program, dev and prod, preview and update", () => {
    const plans: Record<string, Plan> = {};
    before(async () => {
      for (const stack of ["dev", "prod"]) plans[stack] = await runOfflinePlan({ stack });
    });

    for (const stack of ["dev", "prod"]) {
      it(`${stack}: completes in both modes and registers the same resources in each`, () => {
        const plan = plans[stack];
        assert.ok(plan.preview.resources > 50, String(plan.preview.resources));
        assert.deepStrictEqual(
          { onlyInPreview: plan.preview.onlyInPreview, onlyInUpdate: plan.preview.onlyInUpdate },
          { onlyInPreview: [], onlyInUpdate: [] },
        );
        assert.strictEqual(plan.preview.sameResourcesAsUpdate, true);
      });

      it(`${stack}: computed outputs are unknown at preview and known after update`, () => {
        const plan = plans[stack];
        for (const output of ["egressIps", "azureOpenAiEndpoint", "endpointServiceName", "nlbArn"]) {
          assert.ok(plan.preview.unknownOutputs.includes(output), `${output} unknown at preview`);
          assert.ok(!JSON.stringify(plan.outputs[output]).includes("[unknown]"), `${output} known after update`);
        }
      });

      it(`${stack}: model versions reach Azure as the text written, not a date`, () => {
        const plan = plans[stack];
        for (const deployment of plan.recorded.filter((r) => r.type === TYPES.deployment)) {
          const version = (deployment.inputs.properties as { model: { version: unknown } }).model.version;
          assert.match(String(version), /^\d{4}-\d{2}-\d{2}$/);
        }
      });
    }

    it("preview answers like the engine: a new resource's id and computed outputs unknown, inputs known", async () => {
      const run = await runProgram({ projectDir: REPO_ROOT, stack: "dev", mode: "preview" });
      assert.strictEqual(failureOf(run), undefined);
      const account = run.registrations.find((r) => r.type === TYPES.account)!;
      assert.strictEqual(account.id, "");
      // `properties` carries the unknown addresses, so it is unknown as a whole, endpoint included
      const properties = account.outputs.properties as Record<string, unknown> | string;
      assert.strictEqual(typeof properties === "object" ? properties.endpoint : properties, unknownValue);
      assert.strictEqual(account.outputs.accountName, "contoso-aoai-dev", "an input echoes back known");
      const eip = run.registrations.find((r) => r.type === TYPES.eip)!;
      assert.strictEqual(eip.outputs.publicIp, unknownValue);
      // the firewall's ipRules depend on the unknown addresses, so the program sends them unknown
      assert.ok(JSON.stringify(account.inputs).includes(unknownValue));
    });
  });

  describe("failures and warnings reach the user as the program wrote them", () => {
    it("a RunError fails the run with its own message and no stack trace", async () => {
      const run = await runTiny(
        `import * as pulumi from "@pulumi/pulumi";\nthrow new pulumi.RunError("dbx-aoai-link:proxy.minSize = 0: must be at least 1. Fix: set it to 1 or more.");\n`,
      );
      const failure = failureOf(run) ?? "";
      assert.match(failure, /proxy\.minSize = 0: must be at least 1\. Fix:/);
      assert.ok(!STACK_TRACE.test(failure), failure);
      assert.notStrictEqual(run.exitCode, 0);
    });

    it("an unhandled rejection fails the run with the program's message", async () => {
      const run = await runTiny(`Promise.reject(new Error("the pool lookup failed"));\nexport const x = 1;\n`);
      assert.match(failureOf(run) ?? "", /the pool lookup failed/);
    });

    it("a bad stack config stops the real program before it registers anything", async () => {
      const run = await runProgram({
        projectDir: REPO_ROOT,
        stack: "dev",
        mode: "preview",
        config: { values: { "aws:region": "us-east-1", "dbx-aoai-link:proxy": "{}" }, secretKeys: [] },
      });
      assert.match(failureOf(run) ?? "", /dbx-aoai-link:/);
      assert.ok(!STACK_TRACE.test(failureOf(run) ?? ""));
      assert.deepStrictEqual(
        run.registrations.filter((r) => r.custom),
        [],
      );
    });

    it("pulumi.log.warn is collected as a warning, never a failure", async () => {
      const run = await runTiny(
        `import * as pulumi from "@pulumi/pulumi";\npulumi.log.warn("gpt-4o-mini 2024-07-18 retires on 2026-03-31");\nexport const ok = true;\n`,
      );
      assert.strictEqual(failureOf(run), undefined);
      assert.deepStrictEqual(warningsOf(run), ["gpt-4o-mini 2024-07-18 retires on 2026-03-31"]);
    });

    it("stack config arrives as the CLI types it: an unquoted date stays text inside an object", async () => {
      const run = await runTiny(
        `import * as pulumi from "@pulumi/pulumi";\nexport const m = new pulumi.Config().requireObject<{ version: unknown }>("model");\n`,
        { stackFile: "config:\n  tiny:model:\n    version: 2024-07-18\n" },
      );
      assert.strictEqual(failureOf(run), undefined);
      assert.deepStrictEqual(run.stackOutputs.m, { version: "2024-07-18" });
    });
  });

  describe("the dynamic resource in the SDK's dynamic-provider host", () => {
    const ACCOUNT = "0d26daa6-5e44-4c97-a497-ef015f91254a";
    const RULE_PATH = `/api/2.0/accounts/${ACCOUNT}/network-connectivity-configs/ncc-1/private-endpoint-rules/rule-1`;
    let fake: FakeDatabricks;
    let project: TinyProject;
    beforeEach(async () => {
      fake = await FakeDatabricks.start();
      fake
        .onAccountToken(ACCOUNT)
        .on("GET", RULE_PATH, [
          { json: { rule_id: "rule-1", connection_state: "CREATING" } },
          { json: { rule_id: "rule-1", connection_state: "PENDING", vpc_endpoint_id: "vpce-0fromthefakeapi0" } },
        ]);
      const waiter = path.join(REPO_ROOT, "databricks", "vpcEndpointWaiter");
      project = tinyProject({
        program:
          `import { VpcEndpointWaiter } from ${JSON.stringify(waiter)};\n` +
          `const e = new VpcEndpointWaiter("rule-endpoint", { accountHost: ${JSON.stringify(fake.url)}, accountId: "${ACCOUNT}", nccId: "ncc-1", ruleId: "rule-1", pollIntervalSeconds: 1, timeoutSeconds: 60 });\n` +
          `export const vpcEndpointId = e.vpcEndpointId;\n`,
      });
    });
    afterEach(async () => {
      project.remove();
      await fake.close();
    });

    const noDatabricksEnv = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith("DATABRICKS_")),
    );

    it("deserialises the closure in a fresh process and creates with credentials from Configure (stack config)", async () => {
      const run = await runProgram({
        projectDir: project.dir,
        stack: "dev",
        mode: "update",
        config: {
          values: { "databricks:clientId": "sp-client", "databricks:clientSecret": "sp-secret" },
          secretKeys: ["databricks:clientSecret"],
        },
        dynamicProviders: { env: noDatabricksEnv },
      });
      assert.strictEqual(failureOf(run), undefined, run.stderr);
      assert.strictEqual(run.stackOutputs.vpcEndpointId, "vpce-0fromthefakeapi0");
      const token = fake.requestsTo(`/oidc/accounts/${ACCOUNT}/v1/token`)[0];
      assert.ok(token, "the provider asked for an OAuth token");
      assert.strictEqual(token.headers.authorization, `Basic ${Buffer.from("sp-client:sp-secret").toString("base64")}`);
      for (const r of fake.requestsTo(RULE_PATH)) assert.strictEqual(r.headers.authorization, `Bearer ${TEST_TOKEN}`);
    });

    it("takes credentials from the environment of the host as well", async () => {
      const run = await runProgram({
        projectDir: project.dir,
        stack: "dev",
        mode: "update",
        config: { values: {}, secretKeys: [] },
        dynamicProviders: { env: { ...noDatabricksEnv, DATABRICKS_TOKEN: "env-token" } },
      });
      assert.strictEqual(failureOf(run), undefined, run.stderr);
      assert.strictEqual(run.stackOutputs.vpcEndpointId, "vpce-0fromthefakeapi0");
      assert.strictEqual(fake.requestsTo(RULE_PATH).at(-1)!.headers.authorization, "Bearer env-token");
    });

    it("diffs in the host: a new rule id means replacement", async () => {
      const run = await runProgram({
        projectDir: project.dir,
        stack: "dev",
        mode: "preview",
        config: { values: {}, secretKeys: [] },
      });
      const registered = run.registrations.find((r) => r.type.startsWith("pulumi-nodejs:dynamic"))!;
      const host = await DynamicProviderHost.start({
        config: {},
        secretKeys: [],
        cwd: project.dir,
        engineAddress: "127.0.0.1:1",
      });
      try {
        const olds = await host.check(registered.urn, {}, registered.inputs);
        assert.deepStrictEqual(await host.diff(registered.urn, "ncc-1/rule-1", olds, { ...olds, ruleId: "rule-2" }), {
          changes: true,
          replaces: ["ruleId"],
        });
        assert.deepStrictEqual(await host.diff(registered.urn, "ncc-1/rule-1", olds, olds), {
          changes: false,
          replaces: [],
        });
      } finally {
        await host.stop();
      }
    });
  });
});
