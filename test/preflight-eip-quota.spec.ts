import * as assert from "assert";
import * as path from "path";
import { spawnSync } from "child_process";
import * as pulumi from "@pulumi/pulumi";
import { checkEipQuota, EIP_QUOTA, EIP_QUOTA_PREFLIGHT, type EipQuotaFacts } from "../preflight/eipQuota";
import { preflight } from "../preflight/gate";
import { evaluate, stackConfig } from "./support/program";
import { TYPES as T } from "../plan/resourceTypes";
import { preflightSection } from "../plan/sections/preflight";
import type { Plan } from "../plan/run";

const fresh = (over: Partial<EipQuotaFacts> = {}): EipQuotaFacts => ({
  region: "us-east-1",
  poolSize: 5,
  poolAllocated: 0,
  regionAllocated: 0,
  quota: 5,
  ...over,
});

function rejection(output: pulumi.Output<unknown>): Promise<unknown> {
  return (output as unknown as { promise(): Promise<unknown> }).promise().then(
    () => assert.fail("expected the preflight to fail"),
    (e: unknown) => e,
  );
}

describe("EIP quota preflight", () => {
  it("passes a new dev pool of 5 under the default quota of 5", () => {
    assert.deepStrictEqual(checkEipQuota(fresh()), []);
  });

  it("stops a new prod pool of 10 under the default quota, naming the key, the numbers and the increase request", () => {
    const [problem, ...rest] = checkEipQuota(fresh({ poolSize: 10 }));
    assert.strictEqual(rest.length, 0);
    assert.strictEqual(problem.key, "dbx-aoai-link:proxy.eipPoolSize");
    assert.strictEqual(problem.value, 10);
    assert.match(
      problem.problem,
      /needs 10 Elastic IPs in us-east-1, where 0 of the account's quota of 5 \(L-0263D0A3 "EC2-VPC Elastic IPs"\)/,
    );
    assert.match(problem.fix, /--service-code ec2 --quota-code L-0263D0A3 --desired-value 10 --region us-east-1/);
  });

  it("counts the addresses other workloads hold in the region", () => {
    assert.deepStrictEqual(checkEipQuota(fresh({ poolSize: 5, quota: 10, regionAllocated: 5 })), []);
    assert.match(checkEipQuota(fresh({ poolSize: 5, quota: 10, regionAllocated: 6 }))[0].fix, /--desired-value 11 /);
  });

  it("does not count the pool's existing addresses twice, so updates of a full stack pass", () => {
    assert.deepStrictEqual(
      checkEipQuota(fresh({ poolSize: 10, poolAllocated: 10, regionAllocated: 12, quota: 12 })),
      [],
    );
    // Growing 10 → 12 with 12 of 12 allocated needs two more.
    assert.match(
      checkEipQuota(fresh({ poolSize: 12, poolAllocated: 10, regionAllocated: 12, quota: 12 }))[0].problem,
      /still needs 2 Elastic IPs/,
    );
  });

  it("ends the program with a RunError in the config-error format", async () => {
    const error = await rejection(
      preflight(EIP_QUOTA_PREFLIGHT.name, pulumi.output(fresh({ poolSize: 10 })), checkEipQuota),
    );
    assert.ok(pulumi.RunError.isInstance(error));
    assert.match(
      (error as Error).message,
      /^Preflight "EIP quota" failed: 1 problem\n {2}- dbx-aoai-link:proxy\.eipPoolSize = 10: .+\. Fix: request a quota of at least 10/,
    );
  });

  it("is listed in the plan with its reads and permissions once the program has invoked them", () => {
    const planWith = (tokens: string[]) =>
      ({ invokes: tokens.map((token) => ({ token, inputs: {} })) }) as unknown as Plan;
    assert.strictEqual(preflightSection(planWith([])), "");
    const section = preflightSection(planWith(["aws:servicequotas/getServiceQuota:getServiceQuota"]));
    assert.match(section, /✔ EIP quota: judges dbx-aoai-link:proxy\.eipPoolSize/);
    assert.match(section, /L-0263D0A3 .*servicequotas:GetServiceQuota/);
    assert.match(section, /ec2:DescribeAddresses/);
  });

  describe("in the program (under mocks)", () => {
    it("reads the quota and the pool's tagged addresses through invokes, so it runs at preview", async () => {
      const dev = await evaluate(stackConfig("dev"));
      const quota = dev.invokes.filter((i) => i.token === "aws:servicequotas/getServiceQuota:getServiceQuota");
      assert.deepStrictEqual(
        quota.map((i) => [i.inputs.serviceCode, i.inputs.quotaCode]),
        [[EIP_QUOTA.serviceCode, EIP_QUOTA.quotaCode]],
      );
      const eips = dev.invokes
        .filter((i) => i.token === "aws:ec2/getEips:getEips")
        .map((i) => JSON.stringify(i.inputs.filters ?? []));
      assert.deepStrictEqual(
        eips.sort(),
        ["[]", JSON.stringify([{ name: "tag-key", values: ["dbx-aoai-link-dev-eip"] }])].sort(),
      );
      assert.strictEqual(dev.all(T.eip).length, 5);
    });

    it("allocates no pool address when the quota is short, and the run ends with the message", function () {
      this.timeout(60_000);
      const probe = spawnSync(
        process.execPath,
        ["-r", "ts-node/register", path.join(__dirname, "support", "preflightProbe.ts")],
        { encoding: "utf8", timeout: 50_000, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" } },
      );
      assert.notStrictEqual(probe.status, 0, "the failed preflight must end the run");
      assert.match(
        probe.stderr,
        /Preflight "EIP quota" failed: 1 problem\n {2}- dbx-aoai-link:proxy\.eipPoolSize = 10: /,
      );
      const registered = JSON.parse(probe.stdout.trim().split("\n").pop()!) as string[];
      assert.ok(registered.includes("dbx-aoai-link:aws:EipPool"), `the component itself is registered: ${registered}`);
      assert.ok(!registered.includes(T.eip), `no Eip may be registered after the preflight failed: ${registered}`);
    });
  });
});
