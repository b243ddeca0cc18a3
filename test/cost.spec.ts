/** The plan's monthly cost estimate: follows the sizes, states its assumptions and its price table's date and regions. */
import * as assert from "assert";
import { type CostFacts, costFacts, costSection, estimateMonthlyCost } from "../plan/sections/cost";
import { PRICES, PRICES_AS_OF } from "../plan/prices";
import type { Plan } from "../plan/run";
import { evaluate, stackConfig } from "./support/program";

const DEV: CostFacts = {
  region: "us-east-1",
  instanceType: "t3.small",
  desiredCapacity: 2,
  poolSize: 5,
  loadBalancers: 1,
  volumeGbPerInstance: 8,
  detailedMonitoring: true,
  alarms: 3,
  dashboards: 1,
  kmsKeys: 1,
  lambdaMemoryMb: 256,
};
const line = (facts: CostFacts, item: string) => estimateMonthlyCost(facts).find((l) => l.item === item)!.usd!;
const total = (facts: CostFacts) => estimateMonthlyCost(facts).reduce((s, l) => s + (l.usd ?? 0), 0);

describe("monthly cost estimate", () => {
  it("prices proxies as instance hours × desired count, and follows instance type and count", () => {
    assert.strictEqual(line(DEV, "proxies (EC2)"), PRICES.instanceHour["t3.small"] * 730 * 2);
    assert.ok(line({ ...DEV, instanceType: "c7g.large" }, "proxies (EC2)") > line(DEV, "proxies (EC2)"));
    assert.strictEqual(
      line({ ...DEV, desiredCapacity: 3 }, "proxies (EC2)"),
      PRICES.instanceHour["t3.small"] * 730 * 3,
    );
    assert.ok(total({ ...DEV, desiredCapacity: 3 }) > total(DEV));
  });

  it("charges every pool address, in use or not", () => {
    assert.strictEqual(
      line({ ...DEV, poolSize: 10 }, "pool public IPv4 addresses") - line(DEV, "pool public IPv4 addresses"),
      5 * PRICES.publicIpv4Hour * 730,
    );
  });

  it("says when it has no price for an instance type instead of guessing", () => {
    const unknown = estimateMonthlyCost({ ...DEV, instanceType: "x9z.huge" }).find((l) => l.item === "proxies (EC2)")!;
    assert.strictEqual(unknown.usd, undefined);
    assert.match(unknown.basis, /no price for x9z\.huge in plan\/prices\.ts/);
  });

  it("excludes Azure OpenAI usage explicitly", () => {
    assert.match(estimateMonthlyCost(DEV).find((l) => l.cloud === "Azure")!.basis, /token usage EXCLUDED/);
  });

  describe("in the plans of dev and prod (under mocks)", () => {
    let dev: string;
    let prod: string;
    before(async () => {
      const asPlan = async (stack: string) => {
        const e = await evaluate(stackConfig(stack));
        return { recorded: e.resources, config: e.config } as unknown as Plan;
      };
      const devPlan = await asPlan("dev");
      dev = costSection(devPlan);
      assert.strictEqual(costFacts(devPlan).desiredCapacity, 2);
      prod = costSection(await asPlan("prod"));
    });

    it("prints the table's date, region coverage, each assumption and a total", () => {
      for (const text of [dev, prod]) {
        assert.ok(text.includes(PRICES_AS_OF), text);
        assert.match(text, /Prices for us-east-1 \(the table covers us-east-1, us-east-2, us-west-2\)/);
        assert.match(text, /assumed 1 NLCU on average/);
        assert.match(text, /assumed 50 GB\/month out to Azure/);
        assert.match(text, /total \(excluding usage-priced items\) +\$\d+\.\d\d/);
      }
      assert.match(dev, /2 × t3\.small at \$0\.0208\/h/);
      assert.match(prod, /3 × c7g\.large at \$0\.0725\/h/);
      assert.match(prod, /10 addresses × \$0\.005\/h/);
    });

    it("names a region outside the table", () => {
      const plan = { recorded: [], config: { ...stackConfig("dev"), awsRegion: "eu-central-1" } } as unknown as Plan;
      assert.match(costSection(plan), /eu-central-1 is NOT in the price table/);
    });
  });
});
