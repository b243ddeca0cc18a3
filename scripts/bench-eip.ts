/**
 * `npm run bench:eip`: our EIP assigner against a port of the reference blog's algorithm, both driven
 * through the same mocked SDK clients into the same in-memory EC2 model (bench/eip/fakeEc2.ts), with
 * every AWS call taking a random 20–80 ms of real time. Prints AWS calls per launch and time to settle
 * for 1, 10 and 50 simultaneous launches, ours / reference, with the failures each one causes.
 *
 * Then slow launches on the simulated clock (instances pending 0–40 s, unknown to EC2 for their first
 * 5 s): event-to-CONTINUE time and calls per launch of our handler against the same handler with the
 * retry policy it had before (6–12 s, then Lambda's async retries one and two minutes later), measured
 * in the same run.
 */
import { performance } from "node:perf_hooks";
import {
  type AssignerName,
  type ScenarioOptions,
  type ScenarioReport,
  runLaunchScenario,
} from "../bench/eip/launchScenario";
import { ASSIGNMENT_POLICY, type AssignmentPolicy } from "../lambda/decisions";
import { PRE_DAY2_ASSIGNMENT_POLICY } from "../sim/params";
import { percentile } from "../bench/stats";

const LATENCY_MS: [number, number] = [20, 80];
const SEEDS = [1, 2, 3, 4, 5];

/** Pools equal to the launches give both enough addresses; the last one is short by ten. */
const SCENARIOS = [
  { launches: 1, poolSize: 1 },
  { launches: 10, poolSize: 10 },
  { launches: 50, poolSize: 50 },
  { launches: 50, poolSize: 40 },
];

interface Totals {
  callsPerLaunch: number;
  meanMs: number;
  makespanMs: number;
  /** Summed over the seeds. */
  lost: number;
  abandoned: number;
  threw: number;
}

async function measure(assigner: AssignerName, launches: number, poolSize: number): Promise<Totals> {
  const reports: ScenarioReport[] = [];
  for (const seed of SEEDS) {
    reports.push(await runLaunchScenario(assigner, { launches, poolSize, seed, latencyMs: LATENCY_MS, time: "real" }));
  }
  const average = (pick: (report: ScenarioReport) => number) =>
    reports.reduce((sum, report) => sum + pick(report), 0) / reports.length;
  const sum = (pick: (report: ScenarioReport) => number) => reports.reduce((total, report) => total + pick(report), 0);
  return {
    callsPerLaunch: average((report) => report.callsPerLaunch),
    meanMs: average((report) => report.meanMs),
    makespanMs: average((report) => report.makespanMs),
    lost: sum((report) => report.lostAddresses),
    abandoned: sum((report) => report.abandoned),
    threw: sum((report) => report.threw),
  };
}

const ratio = (ours: number, reference: number) => (reference === 0 ? "n/a" : `${(ours / reference).toFixed(2)}×`);
const fixed = (value: number, digits: number) => value.toFixed(digits);

async function main(): Promise<void> {
  const started = performance.now();
  const header = [
    "launches",
    "pool",
    "calls/launch ours",
    "ref",
    "ours/ref",
    "mean ms ours",
    "ref",
    "ours/ref",
    "last done ms ours",
    "ref",
    "ours/ref",
    "lost ours",
    "lost ref",
    "ABANDON ours",
    "ABANDON ref",
    "threw ours",
    "threw ref",
  ];
  const rows: string[][] = [];
  for (const { launches, poolSize } of SCENARIOS) {
    const ours = await measure("ours", launches, poolSize);
    const reference = await measure("reference", launches, poolSize);
    rows.push([
      String(launches),
      String(poolSize),
      fixed(ours.callsPerLaunch, 2),
      fixed(reference.callsPerLaunch, 2),
      ratio(ours.callsPerLaunch, reference.callsPerLaunch),
      fixed(ours.meanMs, 0),
      fixed(reference.meanMs, 0),
      ratio(ours.meanMs, reference.meanMs),
      fixed(ours.makespanMs, 0),
      fixed(reference.makespanMs, 0),
      ratio(ours.makespanMs, reference.makespanMs),
      String(ours.lost),
      String(reference.lost),
      String(ours.abandoned),
      String(reference.abandoned),
      String(ours.threw),
      String(reference.threw),
    ]);
  }

  console.log(
    `EIP assignment, ours vs reference: ${SEEDS.length} seeded runs per cell, every AWS call ${LATENCY_MS[0]}–${LATENCY_MS[1]} ms (real time).`,
  );
  console.log("calls and times are means per run; lost / ABANDON / threw are totals over the runs.");
  console.log(
    "lost = launch CONTINUEd but the instance does not hold the address it was given (no allow-listed egress).\n",
  );
  console.log(markdownTable(header, rows));
  console.log("\n" + (await slowLaunches()));
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Lambda's async invocation retries a failed event twice, about one and then two minutes later. */
const LAMBDA_RETRY_DELAYS_MS = [60_000, 120_000];
const SLOW_LAUNCHES = 50;
const SLOW: { label: string; options: Pick<ScenarioOptions, "pendingMs" | "notFoundMs" | "hooks"> }[] = [
  { label: "pending 0–40 s", options: { pendingMs: [0, 40_000] } },
  { label: "NotFound for 5 s", options: { notFoundMs: [5_000, 5_000] } },
  { label: "pending 0–40 s + NotFound 0–5 s", options: { pendingMs: [0, 40_000], notFoundMs: [0, 5_000] } },
  // A group created after proxy.launchHookName changed: two hooks, two events per launch (docs/fleet.md).
  {
    label: "same, two launch hooks",
    options: { pendingMs: [0, 40_000], notFoundMs: [0, 5_000], hooks: ["assign-pool-eip", "estate/assign-egress-ip"] },
  },
];

interface SlowTotals {
  /** Seconds from the event to CONTINUE, of every launch that CONTINUEd, over all seeds. */
  toContinue: number[];
  callsPerLaunch: number;
  invocationsPerLaunch: number;
  /** Launches never CONTINUEd (left to the heartbeat or ABANDONed), summed over the seeds. */
  notContinued: number;
}

async function measureSlow(
  policy: AssignmentPolicy,
  options: Pick<ScenarioOptions, "pendingMs" | "notFoundMs">,
): Promise<SlowTotals> {
  const reports: ScenarioReport[] = [];
  for (const seed of SEEDS) {
    reports.push(
      await runLaunchScenario("ours", {
        launches: SLOW_LAUNCHES,
        poolSize: SLOW_LAUNCHES,
        seed,
        latencyMs: LATENCY_MS,
        time: "virtual",
        policy,
        lambdaRetryDelaysMs: LAMBDA_RETRY_DELAYS_MS,
        ...options,
      }),
    );
  }
  const launches = reports.flatMap((report) => report.launches);
  const continued = launches.filter((launch) => launch.lifecycleActionResult === "CONTINUE");
  const mean = (pick: (report: ScenarioReport) => number) =>
    reports.reduce((sum, report) => sum + pick(report), 0) / reports.length;
  return {
    toContinue: continued.map((launch) => launch.durationMs / 1000),
    callsPerLaunch: mean((report) => report.callsPerLaunch),
    invocationsPerLaunch: mean((report) => report.invocationsPerLaunch),
    notContinued: launches.length - continued.length,
  };
}

async function slowLaunches(): Promise<string> {
  const header = [
    "instances",
    "event→CONTINUE p50 s ours",
    "before",
    "ours/before",
    "max s ours",
    "before",
    "ours/before",
    "calls/launch ours",
    "before",
    "ours/before",
    "invocations/launch ours",
    "before",
    "not CONTINUEd ours",
    "before",
  ];
  const rows: string[][] = [];
  for (const { label, options } of SLOW) {
    const ours = await measureSlow(ASSIGNMENT_POLICY, options);
    const before = await measureSlow(PRE_DAY2_ASSIGNMENT_POLICY, options);
    const [p50, beforeP50] = [percentile(ours.toContinue, 50), percentile(before.toContinue, 50)];
    const [max, beforeMax] = [Math.max(...ours.toContinue), Math.max(...before.toContinue)];
    rows.push([
      label,
      fixed(p50, 1),
      fixed(beforeP50, 1),
      ratio(p50, beforeP50),
      fixed(max, 1),
      fixed(beforeMax, 1),
      ratio(max, beforeMax),
      fixed(ours.callsPerLaunch, 2),
      fixed(before.callsPerLaunch, 2),
      ratio(ours.callsPerLaunch, before.callsPerLaunch),
      fixed(ours.invocationsPerLaunch, 2),
      fixed(before.invocationsPerLaunch, 2),
      String(ours.notContinued),
      String(before.notContinued),
    ]);
  }
  return [
    `Slow launches on the simulated clock: ${SLOW_LAUNCHES} simultaneous launches, pool ${SLOW_LAUNCHES}, ${SEEDS.length} seeded runs, every AWS call ${LATENCY_MS[0]}–${LATENCY_MS[1]} ms.`,
    "ours = the handler's policy (waits up to 50 s inside one invocation); before = the same handler with the policy it had",
    "before (6–12 s of retries); both with Lambda's async retries 60 s and 120 s after a failed invocation.",
    "event→CONTINUE over every launch that CONTINUEd; calls = DescribeAddresses + AssociateAddress + CompleteLifecycleAction",
    "(+ DescribeAutoScalingInstances when an instance never became associable).\n",
    markdownTable(header, rows),
  ].join("\n");
}

function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padStart(widths[i])).join(" | ")} |`;
  return [line(header), `|${widths.map((width) => "-".repeat(width + 1) + ":").join("|")}|`, ...rows.map(line)].join(
    "\n",
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
