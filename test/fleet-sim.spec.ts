/**
 * The fleet simulation, fed with the dev stack's own plan: today's program must keep its proxies through
 * an Azure or DNS incident and still replace a proxy whose HAProxy died; the settings before the day-2
 * fixes must show the fleet recycled during the Azure outage (so the check can fail).
 */
import * as assert from "assert";
import { runPlanCli } from "./support/planCli";
import { evaluate, stackConfig } from "./support/program";
import { seededRandom } from "../sim/random";
import { type ScenarioResult, simulate } from "../sim/fleet";
import { beforeDay2Fixes, type FleetParams, paramsFromPlan } from "../sim/params";
import { scenarios } from "../sim/scenarios";
import { timelineSvg } from "../sim/report";
import {
  CAPACITY_WAIT_SECONDS,
  LIFECYCLE_HEARTBEAT_SECONDS,
  PROXY_WARMUP_SECONDS,
  WATCHDOG_INTERVAL_SECONDS,
} from "../aws/constants";

function run(params: FleetParams, name: string): ScenarioResult {
  const spec = scenarios(params).find((s) => s.name === name);
  if (!spec) throw new Error(`no scenario ${name}`);
  return simulate(params, spec, seededRandom(spec.seed));
}

describe("fleet simulation (dev stack's plan)", function () {
  // The plan runs in a child process: minutes on a loaded machine.
  this.timeout(300_000);
  let dev: FleetParams;
  before(() => {
    const plan = runPlanCli(["--stack", "dev"]);
    assert.strictEqual(plan.status, 0, plan.stderr);
    dev = paramsFromPlan("dev", plan.json!.resources);
  });

  it("reads its parameters from the plan", () => {
    assert.strictEqual(dev.healthCheckType, "EC2");
    assert.strictEqual(dev.healthCheckGracePeriod, PROXY_WARMUP_SECONDS);
    assert.strictEqual(dev.heartbeatSeconds, LIFECYCLE_HEARTBEAT_SECONDS);
    assert.deepStrictEqual([dev.minSize, dev.desiredCapacity, dev.maxSize, dev.poolSize, dev.azCount], [2, 2, 4, 5, 2]);
    assert.deepStrictEqual(dev.targetGroup, { interval: 10, healthyThreshold: 2, unhealthyThreshold: 2 });
    assert.strictEqual(dev.watchdog?.intervalSeconds, WATCHDOG_INTERVAL_SECONDS);
    assert.strictEqual(dev.maxInstanceLifetime, 21 * 86_400);
    assert.strictEqual(dev.refresh.maxHealthyPercentage, 125);
    // A refresh counts a new proxy ready only after the watchdog's verdict on it can count.
    const verdict = dev.healthCheckGracePeriod + dev.watchdog!.intervalSeconds * dev.watchdog!.failuresBeforeUnhealthy;
    assert.ok(dev.refresh.instanceWarmup > verdict, `warm-up ${dev.refresh.instanceWarmup} s, verdict ${verdict} s`);
  });

  describe("before the day-2 fixes (group health from the target group)", () => {
    it("recycles the whole fleet while Azure is unreachable", () => {
      const r = run(beforeDay2Fixes(dev), "azure-outage");
      assert.ok(r.replaced >= dev.desiredCapacity, `replaced ${r.replaced}`);
      assert.ok(r.minutesBelowMinSize > 0);
    });

    it("replaces proxies for a 2-minute DNS failure", () => {
      assert.ok(run(beforeDay2Fixes(dev), "dns-failure").replaced > 0);
    });
  });

  describe("the program as it is", () => {
    it("replaces no proxy during the Azure outage and serves again within a minute of its end", () => {
      const r = run(dev, "azure-outage");
      assert.strictEqual(r.replaced, 0);
      assert.strictEqual(r.minutesBelowMinSize, 0);
      assert.ok(r.recoverySeconds !== undefined && r.recoverySeconds <= 60, `recovery ${r.recoverySeconds}`);
    });

    it("replaces no proxy for the DNS failure", () => {
      assert.strictEqual(run(dev, "dns-failure").replaced, 0);
    });

    it("still replaces the one proxy whose HAProxy died (watchdog)", () => {
      assert.strictEqual(run(dev, "haproxy-dies").replaced, 1);
    });

    it("would never replace it with EC2 health and no watchdog: the watchdog is what makes EC2 health safe", () => {
      const { watchdog: _none, ...withoutWatchdog } = dev;
      assert.strictEqual(run(withoutWatchdog, "haproxy-dies").replaced, 0);
    });

    it("replaces the proxies of a lost AZ in the other AZs", () => {
      const r = run(dev, "az-lost");
      assert.ok(r.replaced >= 1);
      assert.strictEqual(r.timeline.at(-1)!.healthyTargets, dev.desiredCapacity);
    });

    it("rolls the fleet onto new images at its maximum lifetime, launching first, within the pool", () => {
      const r = run(dev, "max-lifetime");
      assert.strictEqual(r.retired, dev.desiredCapacity);
      assert.strictEqual(r.abandoned, 0);
      assert.strictEqual(r.minutesBelowMinSize, 0);
      assert.strictEqual(r.minutesNoHealthyTarget, 0);
    });

    it("refreshes and scales without abandoning a launch, leaking or stealing an address", () => {
      for (const name of ["instance-refresh", "scale-out", "burst-20"]) {
        const r = run(dev, name);
        assert.deepStrictEqual([r.abandoned, r.addressesLeaked, r.addressesStolen], [0, 0, 0], name);
      }
    });

    it("waits at `up` long enough for one abandoned launch and its relaunch, twice", () => {
      assert.ok(CAPACITY_WAIT_SECONDS >= 2 * (dev.heartbeatSeconds + dev.healthCheckGracePeriod));
    });
  });

  it("is deterministic and draws the timeline with the fault window shaded", () => {
    const [a, b] = [run(dev, "azure-outage"), run(dev, "azure-outage")];
    assert.deepStrictEqual(a, b);
    const svg = timelineSvg(a, "dev: outage");
    assert.match(svg, /^<svg /);
    assert.strictEqual((svg.match(/<path /g) ?? []).length, 3);
    assert.match(svg, /fill="#e63946"/);
  });
});

describe("fleet simulation: the launch hooks of a group created from the plan", () => {
  const heartbeatWith = async (proxy: Record<string, unknown>) => {
    const stack = await evaluate(
      stackConfig("dev", (raw) => {
        Object.assign(raw["dbx-aoai-link:proxy"], proxy);
      }),
    );
    return paramsFromPlan("dev", stack.resources as never).heartbeatSeconds;
  };

  it("takes the standalone hook's heartbeat when it adopts the initial hook, the shorter one beside it after a rename", async () => {
    assert.strictEqual(await heartbeatWith({ launchHookHeartbeatSeconds: 900 }), 900);
    // A new group keeps the frozen initial hook (600 s) beside the renamed one: launches end at 600 s.
    assert.strictEqual(
      await heartbeatWith({ launchHookHeartbeatSeconds: 900, launchHookName: "estate/assign-egress-ip" }),
      LIFECYCLE_HEARTBEAT_SECONDS,
    );
  });
});
