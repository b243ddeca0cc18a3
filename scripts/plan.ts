/**
 * `npm run plan -- [--stack dev] [--config-file FILE] [--json FILE] [--diff BASE.json] [--project-dir DIR]`:
 * runs the program for a stack's config the way `pulumi preview` and `pulumi up` run it (Pulumi's own
 * program host against the offline engine, no credentials) and prints what it would create and how the
 * clouds are wired; with --diff, what changes against BASE.json and the upgrade gate's verdict (exit 1
 * when it fails).
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { ConfigError } from "../config/issues";
import { StackConfigError } from "../engine/stackConfig";
import { ProgramError } from "../engine/run";
import { runOfflinePlan } from "../plan/run";
import { formatPlan, planJson } from "../plan/format";
import {
  DiffInputError,
  diffPlans,
  formatDiff,
  parseAllowances,
  parsePlanDocument,
  type PlanDocument,
  upgradeGate,
} from "../plan/diff";

/** Reviewed permissions to replace or delete stateful resources, beside the stack files. */
const ALLOW_FILE = "upgrade-allow.json";

const USAGE =
  "usage: npm run plan -- [--stack NAME] [--config-file FILE] [--json FILE] [--diff BASE.json] [--project-dir DIR]   (reads Pulumi.NAME.yaml, default dev)";

interface Args {
  stack: string;
  json?: string;
  diff?: string;
  projectDir?: string;
  configFile?: string;
}

function options(): Args {
  try {
    const { values } = parseArgs({
      options: {
        stack: { type: "string", default: "dev" },
        json: { type: "string" },
        diff: { type: "string" },
        "project-dir": { type: "string" },
        "config-file": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    return {
      stack: values.stack!,
      json: values.json,
      diff: values.diff,
      configFile: values["config-file"],
      projectDir: values["project-dir"] ? path.resolve(values["project-dir"]) : undefined,
    };
  } catch (e) {
    console.error(`plan: ${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

/** Errors a user fixes in their stack file, config or base plan: the message says how; a stack trace would only distract. */
function userFacing(e: unknown): string | undefined {
  if (
    e instanceof ConfigError ||
    e instanceof StackConfigError ||
    e instanceof ProgramError ||
    e instanceof DiffInputError
  )
    return e.message;
  return undefined;
}

async function main(): Promise<void> {
  const args = options();
  try {
    // Read the base first: a missing file should not cost a whole evaluation.
    if (args.diff && !fs.existsSync(args.diff))
      throw new DiffInputError(
        `--diff ${args.diff}: no such file. Fix: write the base plan first (npm run plan -- --json ${args.diff} on the base branch)`,
      );
    const base = args.diff ? parsePlanDocument(fs.readFileSync(args.diff, "utf8"), args.diff) : undefined;
    const plan = await runOfflinePlan({
      stack: args.stack,
      configFile: args.configFile,
      ...(args.projectDir ? { projectDir: args.projectDir } : {}),
    });
    if (args.json) fs.writeFileSync(args.json, JSON.stringify(planJson(plan), null, 2) + "\n");
    if (base && args.diff) {
      const head = JSON.parse(JSON.stringify(planJson(plan))) as PlanDocument;
      const allowFile = path.join(args.projectDir ?? path.resolve(__dirname, ".."), ALLOW_FILE);
      const allowances = fs.existsSync(allowFile)
        ? parseAllowances(fs.readFileSync(allowFile, "utf8"), ALLOW_FILE)
        : [];
      const diff = diffPlans(base, head);
      const gate = upgradeGate(diff, allowances);
      process.stdout.write(formatDiff(diff, gate, path.basename(args.diff)));
      if (!gate.ok) process.exitCode = 1;
      return;
    }
    process.stdout.write(formatPlan(plan));
    if (args.json) console.log(`\nJSON plan written to ${args.json}`);
  } catch (e) {
    const message = userFacing(e);
    if (message) {
      console.error(message);
      process.exit(1);
    }
    throw e;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
