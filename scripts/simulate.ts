/**
 * `npm run simulate [-- --stack dev] [--out DIR]`: the fleet simulation for each stack (default dev and
 * prod), with parameters read from the stack's offline plan, before and after the day-2 fixes. Prints
 * the scenario table per stack and writes one SVG timeline per scenario and variant into DIR
 * (default docs/fleet). One stack per process: the Pulumi runtime behind the plan is global.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { runOfflinePlan } from "../plan/run";
import { paramsFromPlan } from "../sim/params";
import { markdownTable, TABLE_HEADER, tableRow, timelineSvg } from "../sim/report";
import { simulateStack } from "../sim/run";

function option(name: string): string[] {
  const values: string[] = [];
  process.argv.forEach((arg, i) => {
    if (arg === name && process.argv[i + 1]) values.push(process.argv[i + 1]);
  });
  return values;
}

async function one(stack: string, outDir: string): Promise<void> {
  const plan = await runOfflinePlan({ stack });
  const sim = simulateStack(paramsFromPlan(stack, plan.resources));
  const p = sim.params;
  console.log(
    `\n## ${stack}: group ${p.minSize}–${p.maxSize} (desired ${p.desiredCapacity}), pool ${p.poolSize}, ${p.azCount} AZs, ` +
      `health ${p.healthCheckType}${p.watchdog ? " + watchdog" : ""}, grace ${p.healthCheckGracePeriod} s, heartbeat ${p.heartbeatSeconds} s, ` +
      `target group ${p.targetGroup.interval} s × ${p.targetGroup.unhealthyThreshold}/${p.targetGroup.healthyThreshold}, ` +
      `lifetime ${p.maxInstanceLifetime ? `${p.maxInstanceLifetime / 86400} d` : "none"}\n`,
  );
  const rows: string[][] = [];
  fs.mkdirSync(outDir, { recursive: true });
  sim.after.forEach((after, i) => {
    const before = sim.before[i];
    rows.push(tableRow(`${after.scenario.name} (before)`, before), tableRow(`${after.scenario.name} (after)`, after));
    for (const [variant, result] of [
      ["before", before],
      ["after", after],
    ] as const) {
      fs.writeFileSync(
        path.join(outDir, `${stack}-${result.scenario.name}-${variant}.svg`),
        timelineSvg(result, `${stack}: ${result.scenario.title} — ${variant} the day-2 fixes`),
      );
    }
  });
  console.log(markdownTable(TABLE_HEADER, rows));
}

async function main(): Promise<void> {
  const stacks = option("--stack");
  const outDir = path.resolve(option("--out")[0] ?? path.join(__dirname, "..", "docs", "fleet"));
  if (stacks.length === 1) return one(stacks[0], outDir);
  for (const stack of stacks.length ? stacks : ["dev", "prod"]) {
    const child = spawnSync(
      process.execPath,
      ["-r", "ts-node/register", __filename, "--stack", stack, "--out", outDir],
      { stdio: "inherit" },
    );
    if (child.status !== 0) process.exit(child.status ?? 1);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
