/** Runs `npm run plan`'s script in a child process, as a user would (the Pulumi runtime is per process). */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as assert from "assert";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface PlanRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The --json document, when the run wrote one. */
  readonly json?: {
    stack: string;
    resources: { urn: string; type: string; name: string; parent?: string; inputs: Record<string, any> }[];
    outputs: Record<string, any>;
    wiring: { from: string; to: string; value: unknown; ok: boolean }[];
  };
}

export function runPlanCli(args: string[]): PlanRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
  const jsonFile = path.join(dir, "plan.json");
  try {
    const result = spawnSync(
      process.execPath,
      ["-r", "ts-node/register", "scripts/plan.ts", ...args, "--json", jsonFile],
      {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 600_000,
      },
    );
    const json = fs.existsSync(jsonFile) ? JSON.parse(fs.readFileSync(jsonFile, "utf8")) : undefined;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, json };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A project folder linking to this repository, with its own Pulumi.dev.yaml (and optionally files). */
export function projectWith(devYaml: string, files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-"));
  for (const entry of fs.readdirSync(ROOT)) {
    if (entry === "Pulumi.dev.yaml" || entry === ".git" || entry in files) continue;
    fs.symlinkSync(path.join(ROOT, entry), path.join(dir, entry));
  }
  fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), devYaml);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

export function edited(replacements: [string, string][]): string {
  let text = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
  for (const [from, to] of replacements) {
    assert.ok(text.includes(from), from);
    text = text.replace(from, to);
  }
  return text;
}
