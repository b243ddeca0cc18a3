import { strict as assert } from "node:assert";
import { FUNCTION_TIMEOUT_SECONDS } from "../lambda/contract";
import { type ScenarioOptions, type ScenarioReport, runLaunchScenario } from "../bench/eip/launchScenario";
import { PRE_DAY2_ASSIGNMENT_POLICY } from "../sim/params";

const LAUNCHES = 50;

/** The property every assigner must keep, whatever the interleaving; returns what it broke. */
function violations(report: ScenarioReport, poolSize: number): string[] {
  const found: string[] = [];
  const expectedAbandons = Math.max(0, LAUNCHES - poolSize);
  if (report.reassociations > 0) found.push(`${report.reassociations} addresses moved from one instance to another`);
  if (report.addressesToldTwice > 0) found.push(`${report.addressesToldTwice} addresses given to two instances`);
  for (const launch of report.launches) {
    if (launch.lifecycleActionResult === "CONTINUE" && launch.heldAtEnd !== launch.told) {
      found.push(`${launch.instanceId} continued, told ${launch.told}, holds ${launch.heldAtEnd ?? "nothing"}`);
    }
  }
  if (report.abandoned !== expectedAbandons) found.push(`${report.abandoned} ABANDON, expected ${expectedAbandons}`);
  for (const launch of report.launches) {
    if (launch.toldDiffers) found.push(`${launch.instanceId}: its hooks' invocations named different addresses`);
  }
  if (report.continued !== LAUNCHES - expectedAbandons) {
    found.push(`${report.continued} CONTINUE, expected ${LAUNCHES - expectedAbandons}`);
  }
  return found;
}

function scenario(poolSize: number, extra: Partial<ScenarioOptions> = {}): ScenarioOptions {
  return { launches: LAUNCHES, poolSize, seed: 20250101, latencyMs: [20, 80], time: "virtual", ...extra };
}

describe("EIP assignment under concurrent launches", () => {
  for (const poolSize of [50, 40]) {
    const abandons = Math.max(0, LAUNCHES - poolSize);
    it(`gives ${LAUNCHES} simultaneous launches with a pool of ${poolSize} distinct addresses they keep, and abandons exactly ${abandons}`, async () => {
      const report = await runLaunchScenario("ours", scenario(poolSize));
      assert.ok((report.errors["Resource.AlreadyAssociated"] ?? 0) > 0, "the scenario should make launches race");
      assert.deepEqual(violations(report, poolSize), []);
      assert.equal(report.threw, 0);
    });

    it(`catches the reference algorithm losing addresses in the same scenario (pool of ${poolSize}), so the check can fail`, async () => {
      const report = await runLaunchScenario("reference", scenario(poolSize));
      assert.ok(report.lostAddresses > 0, "the reference port should leave a CONTINUEd instance without its address");
      assert.ok(
        violations(report, poolSize).some((violation) => / continued, told /.test(violation)),
        "the property check should report the lost address",
      );
    });
  }

  it("keeps the property when instances are still pending as their events arrive", async () => {
    const report = await runLaunchScenario("ours", scenario(50, { pendingMs: [0, 3000] }));
    assert.ok((report.errors.IncorrectInstanceState ?? 0) > 0, "the scenario should make launches wait");
    assert.deepEqual(violations(report, 50), []);
    assert.equal(report.threw, 0);
  });

  for (const poolSize of [50, 40]) {
    it(`waits out instances pending 0–40 s and unknown for their first 5 s inside one invocation (pool of ${poolSize})`, async () => {
      const report = await runLaunchScenario(
        "ours",
        scenario(poolSize, { pendingMs: [0, 40_000], notFoundMs: [0, 5_000] }),
      );
      assert.ok((report.errors["InvalidInstanceID.NotFound"] ?? 0) > 0, "the scenario should hit unknown ids");
      assert.ok((report.errors.IncorrectInstanceState ?? 0) > 0, "the scenario should hit pending instances");
      assert.deepEqual(violations(report, poolSize), []);
      assert.equal(report.threw, 0, "no invocation may fail and wait a minute for Lambda's retry");
      assert.equal(report.reassociations, 0);
      const longest = Math.max(...report.launches.map((launch) => launch.durationMs));
      assert.ok(longest < FUNCTION_TIMEOUT_SECONDS * 1000, `an invocation took ${longest} ms`);
    });
  }

  it("with the policy it had before, the same pending launches need Lambda's retry a minute later (the bench's baseline)", async () => {
    const slow: Partial<ScenarioOptions> = { pendingMs: [0, 40_000], lambdaRetryDelaysMs: [60_000, 120_000] };
    const before = await runLaunchScenario("ours", scenario(50, { ...slow, policy: PRE_DAY2_ASSIGNMENT_POLICY }));
    const ours = await runLaunchScenario("ours", scenario(50, slow));
    assert.deepEqual(violations(before, 50), []);
    assert.ok(before.invocationsPerLaunch > 1.2, `before: ${before.invocationsPerLaunch} invocations per launch`);
    assert.ok(before.launches.some((launch) => launch.invocations === 2 && launch.durationMs > 60_000));
    assert.equal(ours.invocationsPerLaunch, 1);
    assert.ok(Math.max(...ours.launches.map((launch) => launch.durationMs)) < 60_000);
  });

  describe("a group carrying two launch hooks (created after proxy.launchHookName changed)", () => {
    const hooks = ["assign-pool-eip", "estate/assign-egress-ip"];
    for (const poolSize of [50, 40]) {
      it(`settles both hooks' actions of ${LAUNCHES} launches, pending 0–40 s and unknown for 5 s, with one address each (pool of ${poolSize})`, async () => {
        const report = await runLaunchScenario(
          "ours",
          scenario(poolSize, { hooks, pendingMs: [0, 40_000], notFoundMs: [0, 5_000] }),
        );
        // Two events per launch, each completing its own hook's action; the launch proceeds only when both did.
        assert.equal(report.invocationsPerLaunch, 2);
        assert.deepEqual(violations(report, poolSize), []);
        assert.equal(report.threw, 0);
        assert.equal(report.reassociations, 0, "an address was taken from another instance");
        // Both invocations of a launch try the same addresses in the same order, so they meet on one.
        assert.equal(report.displacements, 0, "an instance's two invocations associated two addresses in turn");
        if (poolSize < LAUNCHES) {
          // The other hook's invocation of an abandoned launch sees a terminating instance, asks the group,
          // and ends instead of throwing into Lambda's retries.
          assert.ok(report.launches.some((launch) => launch.outcomes.includes("launch-ended")));
        }
      });
    }
  });

  it("replays the same interleaving from the same seed", async () => {
    const [first, second] = [
      await runLaunchScenario("ours", scenario(40)),
      await runLaunchScenario("ours", scenario(40)),
    ];
    assert.deepEqual(first.launches, second.launches);
    assert.deepEqual(first.calls, second.calls);
  });
});
