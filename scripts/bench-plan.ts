/**
 * `npm run bench:plan`: how long `npm run plan` (preview + update of the dev stack through Pulumi's own
 * program host) takes now, against a baseline measured in the same run: a copy of this checkout whose
 * program is transpiled by TypeScript instead of swc and whose Lambda bundles are rebuilt on every run
 * (an empty bundle cache). (Before the cache the bundles also travelled to the engine as text, which
 * the baseline no longer does, so the ratio understates the change.) Runs alternate, so a noisy
 * machine slows both; prints medians of wall time and CPU seconds (ours, the program processes and the
 * dynamic-provider host) and the ratios.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "node:perf_hooks";
import { BUNDLE_CACHE_ENV } from "../aws/lambdaBundle";
import { median } from "../bench/stats";
import { runOfflinePlan } from "../plan/run";

const ROOT = path.resolve(__dirname, "..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Sample {
  wallMs: number;
  cpuS: number;
}

/** CPU seconds of this process and of its finished children (utime+stime+cutime+cstime, in ticks). */
function cpuSeconds(): number {
  const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return ticks / 100;
}

/** This checkout's files (tracked and new, not ignored) in a temp folder, sharing node_modules. */
function baselineProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-plan-baseline-"));
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter(Boolean);
  for (const file of files) {
    if (!fs.existsSync(path.join(ROOT, file))) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  const tsconfigFile = path.join(dir, "tsconfig.json");
  const tsconfig = JSON.parse(fs.readFileSync(tsconfigFile, "utf8")) as Record<string, unknown>;
  fs.writeFileSync(tsconfigFile, JSON.stringify({ ...tsconfig, "ts-node": { transpileOnly: true } }, null, 2));
  return dir;
}

async function sample(projectDir: string, cacheDir: string): Promise<Sample> {
  process.env[BUNDLE_CACHE_ENV] = cacheDir;
  const cpuBefore = cpuSeconds();
  const started = performance.now();
  await runOfflinePlan({ stack: "dev", projectDir });
  return { wallMs: performance.now() - started, cpuS: cpuSeconds() - cpuBefore };
}

async function main(): Promise<void> {
  const baselineDir = baselineProject();
  const oursCache = fs.mkdtempSync(path.join(os.tmpdir(), "bench-plan-cache-"));
  const scratch: string[] = [baselineDir, oursCache];
  try {
    await sample(ROOT, oursCache); // fills our cache, as any earlier plan, preview or up has
    const baseline: Sample[] = [];
    const ours: Sample[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const coldCache = fs.mkdtempSync(path.join(os.tmpdir(), "bench-plan-cold-"));
      scratch.push(coldCache);
      baseline.push(await sample(baselineDir, coldCache));
      ours.push(await sample(ROOT, oursCache));
      console.log(
        `round ${round + 1}/${ROUNDS}: baseline ${(baseline[round].wallMs / 1000).toFixed(1)} s, ours ${(ours[round].wallMs / 1000).toFixed(1)} s`,
      );
    }
    const row = (name: string, samples: Sample[]) =>
      `${name.padEnd(44)} ${(median(samples.map((s) => s.wallMs)) / 1000).toFixed(1).padStart(7)} s ${median(
        samples.map((s) => s.cpuS),
      )
        .toFixed(1)
        .padStart(7)} CPU-s`;
    console.log(
      `\nnpm run plan (dev, preview + update), median of ${ROUNDS}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`,
    );
    console.log(row("baseline: TypeScript transpiler, no cache", baseline));
    console.log(row("ours: swc, cached Lambda bundles", ours));
    const ratio = (pick: (s: Sample) => number) => median(baseline.map(pick)) / median(ours.map(pick));
    console.log(
      `ratio baseline / ours: wall ${ratio((s) => s.wallMs).toFixed(2)}×, CPU ${ratio((s) => s.cpuS).toFixed(2)}×`,
    );
  } finally {
    for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
