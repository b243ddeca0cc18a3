import { awsCalls } from "../../lambda/aws";
import { ENV_VARS } from "../../lambda/contract";
import { type HandlerResult, createHandler } from "../../lambda/index";
import type { AssignmentPolicy } from "../../lambda/decisions";
import { captureOutput } from "./captureOutput";
import { type Clock, VirtualClock, realClock } from "./clock";
import { TEST_ENV, setEnv } from "./env";
import { FakeEc2, type FakeOperation } from "./fakeEc2";
import { TEST_ASG, TEST_HOOK, TEST_TAG_KEY, launchEvent } from "./lifecycleEvents";
import { seededRandom } from "./random";
import { type ReferenceResult, referenceHandler } from "./referenceAssigner";

export type AssignerName = "ours" | "reference";

export interface ScenarioOptions {
  launches: number;
  poolSize: number;
  seed: number;
  /** Simulated round trip of every AWS call. */
  latencyMs: [number, number];
  /** "virtual" for tests (deterministic, instant); "real" for the benchmark (wall-clock time). */
  time: "virtual" | "real";
  /** Instances stay pending (not associable) for a random time in this range. */
  pendingMs?: [number, number];
  /** EC2 does not know a new instance id for a random time in this range (InvalidInstanceID.NotFound). */
  notFoundMs?: [number, number];
  /** Our assigner's retry policy (default: the handler's own, lambda/decisions.ts). */
  policy?: AssignmentPolicy;
  /**
   * Lambda's async retries: after an invocation throws, the event is delivered again after each of these
   * delays in turn (AWS: about one and then two minutes). Default: none, one invocation per launch.
   */
  lambdaRetryDelaysMs?: readonly number[];
  /**
   * The group's launch hooks, all answered by our assigner: each launch sends one event per hook, at the
   * same moment (a group created after `proxy.launchHookName` changed carries the initial hook too).
   * Default: the one test hook.
   */
  hooks?: readonly string[];
}

export interface LaunchRecord {
  instanceId: string;
  /** The address the assigner said it gave, when it completed CONTINUE (the first hook's invocation). */
  told?: string;
  /** With several hooks: the invocations of one launch named different addresses. */
  toldDiffers: boolean;
  /** What the last invocation for each hook returned ("thrown" when it threw). */
  outcomes: string[];
  /** What Auto Scaling received; undefined when the assigner threw and never completed the action. */
  lifecycleActionResult?: "CONTINUE" | "ABANDON";
  threw: boolean;
  /** The address the instance holds once every launch has settled. */
  heldAtEnd?: string;
  /** From the event to the end of the last invocation (with retries: the one that completed the action). */
  durationMs: number;
  /** Invocations the launch took (1 + Lambda's retries, per hook). */
  invocations: number;
}

export interface ScenarioReport {
  assigner: AssignerName;
  launches: LaunchRecord[];
  continued: number;
  abandoned: number;
  threw: number;
  /** CONTINUEd instances that do not hold, at the end, the address they were told they have. */
  lostAddresses: number;
  /** Addresses told to more than one CONTINUEd instance. */
  addressesToldTwice: number;
  /** Associations that moved an address away from another instance. */
  reassociations: number;
  /** Associations that replaced another pool address on the same instance (churn, not loss). */
  displacements: number;
  calls: Record<FakeOperation, number>;
  /** Error answers by code (races lost, instances not yet associable). */
  errors: Record<string, number>;
  callsPerLaunch: number;
  invocationsPerLaunch: number;
  meanMs: number;
  /** Until the last launch settled. */
  makespanMs: number;
}

/**
 * N launches of one Auto Scaling group at the same moment, against one FakeEc2 pool, settled by one
 * assigner. The same scenario (seed, pool, latencies) runs both assigners, for the test and the bench.
 */
export async function runLaunchScenario(assigner: AssignerName, options: ScenarioOptions): Promise<ScenarioReport> {
  const clock: Clock = options.time === "virtual" ? new VirtualClock() : realClock;
  const hooks = options.hooks ?? [TEST_HOOK];
  const random = seededRandom(options.seed);
  const fake = new FakeEc2({ clock, random, latencyMs: options.latencyMs }).addPool(options.poolSize, TEST_TAG_KEY);
  const instances = Array.from({ length: options.launches }, (_, i) => {
    const [min, max] = options.pendingMs ?? [0, 0];
    const pendingMs = min + random() * (max - min);
    // Drawn only when asked for, so scenarios without it replay exactly as before.
    const notFoundMs = options.notFoundMs
      ? options.notFoundMs[0] + random() * (options.notFoundMs[1] - options.notFoundMs[0])
      : 0;
    const instanceId = `i-${(options.seed * 1000 + i).toString(16).padStart(17, "0")}`;
    return fake.launch(instanceId, {
      autoScalingGroupName: TEST_ASG,
      lifecycleHookNames: hooks,
      pendingMs,
      notFoundMs,
    });
  });

  const ours = createHandler(
    { ...awsCalls, sleep: clock.sleep, random: seededRandom(options.seed + 1) },
    options.policy,
  );
  type Settled = { told?: string; outcome: string; durationMs: number; threw: boolean; invocations: number };
  const settle = async (instanceId: string, hook: string, token: string): Promise<Settled> => {
    const start = clock.now();
    const event = launchEvent({ EC2InstanceId: instanceId, LifecycleHookName: hook, LifecycleActionToken: token });
    const retryDelays = options.lambdaRetryDelaysMs ?? [];
    for (let invocations = 1; ; invocations++) {
      try {
        const result = assigner === "ours" ? await ours(event) : await referenceHandler(event, TEST_TAG_KEY);
        const outcome = "outcome" in result ? result.outcome : result.lifecycleActionResult;
        return { told: toldAllocation(result), outcome, durationMs: clock.now() - start, threw: false, invocations };
      } catch {
        if (invocations > retryDelays.length) {
          return { outcome: "thrown", durationMs: clock.now() - start, threw: true, invocations };
        }
        await clock.sleep(retryDelays[invocations - 1]);
      }
    }
  };

  const mocks = fake.install();
  const restoreEnv = setEnv({ ...TEST_ENV, [ENV_VARS.LIFECYCLE_HOOK_NAMES]: hooks.join(",") });
  let settled: Settled[][];
  try {
    const all = Promise.all(
      instances.map(({ instanceId, actions }) =>
        Promise.all(actions.map((action) => settle(instanceId, action.lifecycleHookName, action.lifecycleActionToken))),
      ),
    );
    const { result } = await captureOutput(() => (clock instanceof VirtualClock ? clock.run(all) : all));
    if (result.status === "rejected") throw result.reason;
    settled = result.value;
  } finally {
    restoreEnv();
    mocks.restore();
  }

  const launches: LaunchRecord[] = instances.map(({ instanceId }, i) => {
    const perHook = settled[i];
    const told = perHook.map((hook) => hook.told);
    return {
      instanceId,
      told: told[0],
      toldDiffers: told.some((allocation) => allocation !== told[0]),
      outcomes: perHook.map((hook) => hook.outcome),
      threw: perHook.some((hook) => hook.threw),
      durationMs: Math.max(...perHook.map((hook) => hook.durationMs)),
      invocations: perHook.reduce((sum, hook) => sum + hook.invocations, 0),
      lifecycleActionResult: fake.resultOf(instanceId),
      heldAtEnd: fake.addressOf(instanceId)?.allocationId,
    };
  });
  return summarize(assigner, launches, fake);
}

/** The address an assigner says the instance got, when it completed CONTINUE. */
function toldAllocation(result: HandlerResult | ReferenceResult): string | undefined {
  if (!("lifecycleActionResult" in result) || result.lifecycleActionResult !== "CONTINUE") return undefined;
  return "allocationId" in result ? result.allocationId : undefined;
}

function summarize(assigner: AssignerName, launches: LaunchRecord[], fake: FakeEc2): ScenarioReport {
  const continued = launches.filter((launch) => launch.lifecycleActionResult === "CONTINUE");
  const toldCounts = new Map<string, number>();
  for (const { told } of continued) if (told) toldCounts.set(told, (toldCounts.get(told) ?? 0) + 1);
  const durations = launches.map((launch) => launch.durationMs);
  return {
    assigner,
    launches,
    continued: continued.length,
    abandoned: launches.filter((launch) => launch.lifecycleActionResult === "ABANDON").length,
    threw: launches.filter((launch) => launch.threw).length,
    lostAddresses: continued.filter((launch) => !launch.told || launch.heldAtEnd !== launch.told).length,
    addressesToldTwice: [...toldCounts.values()].filter((count) => count > 1).length,
    reassociations: fake.reassociations,
    displacements: fake.displacements,
    calls: { ...fake.calls },
    errors: { ...fake.errors },
    callsPerLaunch: fake.totalCalls() / launches.length,
    invocationsPerLaunch: launches.reduce((sum, launch) => sum + launch.invocations, 0) / launches.length,
    meanMs: durations.reduce((sum, ms) => sum + ms, 0) / launches.length,
    makespanMs: Math.max(...durations),
  };
}
