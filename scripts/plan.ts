/**
 * `npm run plan -- [--stack dev] [--json FILE]`: evaluates the program for a stack's config offline
 * (no credentials, no Pulumi CLI) and prints what it would create and how the clouds are wired.
 */
import * as fs from "fs";
import { ConfigError } from "../config/issues";
import { runOfflinePlan } from "../plan/run";
import { formatPlan, planJson } from "../plan/format";

function parseArgs(argv: string[]): { stack: string; json?: string } {
  const args: { stack: string; json?: string } = { stack: "dev" };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if ((flag === "--stack" || flag === "--json") && (!value || value.startsWith("--"))) usage(`${flag} needs a value`);
    if (flag === "--stack") { args.stack = value; i++; }
    else if (flag === "--json") { args.json = value; i++; }
    else if (flag === "--help" || flag === "-h") usage();
    else usage(`unknown argument ${flag}`);
  }
  return args;
}

function usage(error?: string): never {
  if (error) console.error(`plan: ${error}`);
  console.error("usage: npm run plan -- [--stack NAME] [--json FILE]   (reads Pulumi.NAME.yaml, default dev)");
  process.exit(error ? 2 : 0);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  try {
    const plan = await runOfflinePlan({ stack: args.stack });
    process.stdout.write(formatPlan(plan));
    if (args.json) {
      fs.writeFileSync(args.json, JSON.stringify(planJson(plan), null, 2) + "\n");
      console.log(`\nJSON plan written to ${args.json}`);
    }
  } catch (e) {
    // Config errors are the user's to fix: the message says how; a stack trace would only distract.
    const message = e instanceof ConfigError ? e.message : e instanceof Error && /RunError/.test(e.name) ? e.message : undefined;
    if (message) { console.error(message); process.exit(1); }
    throw e;
  }
}

main().catch(e => { console.error(e); process.exit(1); });
