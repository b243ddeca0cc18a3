/**
 * `npm run plan -- [--stack dev] [--json FILE] [--diff BASE.json] [--project-dir DIR]`: evaluates the
 * program for a stack's config offline (no credentials, no Pulumi CLI) and prints what it would create
 * and how the clouds are wired; with --diff, what changes against BASE.json and the upgrade gate's verdict
 * (exit 1 when it fails).
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/issues";
import { runOfflinePlan } from "../plan/run";
import { formatPlan, planJson } from "../plan/format";
import { DiffInputError, diffPlans, formatDiff, parseAllowances, parsePlanDocument, PlanDocument, upgradeGate } from "../plan/diff";

/** Reviewed permissions to replace or delete stateful resources, beside the stack files. */
const ALLOW_FILE = "upgrade-allow.json";

interface Args { stack: string; json?: string; diff?: string; projectDir?: string }

function parseArgs(argv: string[]): Args {
  const args: Args = { stack: "dev" };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (["--stack", "--json", "--diff", "--project-dir"].includes(flag) && (!value || value.startsWith("--"))) usage(`${flag} needs a value`);
    if (flag === "--stack") { args.stack = value; i++; }
    else if (flag === "--json") { args.json = value; i++; }
    else if (flag === "--diff") { args.diff = value; i++; }
    else if (flag === "--project-dir") { args.projectDir = path.resolve(value); i++; }
    else if (flag === "--help" || flag === "-h") usage();
    else usage(`unknown argument ${flag}`);
  }
  return args;
}

function usage(error?: string): never {
  if (error) console.error(`plan: ${error}`);
  console.error("usage: npm run plan -- [--stack NAME] [--json FILE] [--diff BASE.json] [--project-dir DIR]   (reads Pulumi.NAME.yaml, default dev)");
  process.exit(error ? 2 : 0);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  try {
    // Read the base first: a missing file should not cost a whole evaluation.
    if (args.diff && !fs.existsSync(args.diff)) throw new DiffInputError(`--diff ${args.diff}: no such file. Fix: write the base plan first (npm run plan -- --json ${args.diff} on the base branch)`);
    const base = args.diff ? parsePlanDocument(fs.readFileSync(args.diff, "utf8"), args.diff) : undefined;
    const plan = await runOfflinePlan({ stack: args.stack, ...(args.projectDir ? { projectDir: args.projectDir } : {}) });
    if (args.json) fs.writeFileSync(args.json, JSON.stringify(planJson(plan), null, 2) + "\n");
    if (base && args.diff) {
      const head = JSON.parse(JSON.stringify(planJson(plan))) as PlanDocument;
      const allowFile = path.join(args.projectDir ?? path.resolve(__dirname, ".."), ALLOW_FILE);
      const allowances = fs.existsSync(allowFile) ? parseAllowances(fs.readFileSync(allowFile, "utf8"), ALLOW_FILE) : [];
      const diff = diffPlans(base, head);
      const gate = upgradeGate(diff, allowances);
      process.stdout.write(formatDiff(diff, gate, path.basename(args.diff)));
      if (!gate.ok) process.exitCode = 1;
      return;
    }
    process.stdout.write(formatPlan(plan));
    if (args.json) console.log(`\nJSON plan written to ${args.json}`);
  } catch (e) {
    // Config errors are the user's to fix: the message says how; a stack trace would only distract.
    const message = e instanceof ConfigError || e instanceof DiffInputError ? e.message : e instanceof Error && /RunError/.test(e.name) ? e.message : undefined;
    if (message) { console.error(message); process.exit(1); }
    throw e;
  }
}

main().catch(e => { console.error(e); process.exit(1); });
