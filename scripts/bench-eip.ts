/**
 * `npm run bench:eip`: our EIP assigner against a port of the reference blog's algorithm, both driven
 * through the same mocked SDK clients into the same in-memory EC2 model (bench/eip/fakeEc2.ts), with
 * every AWS call taking a random 20–80 ms of real time. Prints AWS calls per launch and time to settle
 * for 1, 10 and 50 simultaneous launches, ours / reference, with the failures each one causes.
 */
import { performance } from "node:perf_hooks";
import { type AssignerName, type ScenarioReport, runLaunchScenario } from "../bench/eip/launchScenario";

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
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
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
