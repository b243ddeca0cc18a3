/**
 * Runs the program exactly as `pulumi preview` / `pulumi up` start it, against the offline engine:
 * what the Node.js language host (pulumi-language-nodejs `execNodejs`/`constructArguments`) does —
 * `node @pulumi/pulumi/cmd/run --monitor … --engine … --organization … --project … --stack … --pwd …
 * [--dry-run] --query-mode false --parallel N <entry point>`, `PULUMI_CONFIG` and
 * `PULUMI_CONFIG_SECRET_KEYS` from the stack file, `PULUMI_NODEJS_TYPESCRIPT` (and `…_TSCONFIG_PATH`)
 * from `Pulumi.yaml`'s runtime options. The program directory and entry point follow the CLI's
 * `getPwdMain`: `main: index.ts` → pwd = the project folder, entry point `index.ts`.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { DynamicProviderHost } from "./dynamicProvider";
import { OfflineEngine, type EngineMode, type InvokeRecord, type LogEntry, type Registration } from "./monitor";
import { RUN_PATH } from "./sdk";
import { pulumiConfigEnv, readStackConfig, StackConfigError, type StackConfig } from "./stackConfig";

/** The organization the offline engine reports (`pulumi.getOrganization()`); the CLI's default for a local backend. */
export const OFFLINE_ORGANIZATION = "organization";
/** Resource operations the CLI allows at once by default (`--parallel`). */
const DEFAULT_PARALLEL = 16;

export interface Project {
  readonly name: string;
  readonly dir: string;
  /** Program directory handed to `--pwd`. */
  readonly programDir: string;
  /** Entry point handed to `cmd/run` (a file name, or `.`). */
  readonly entryPoint: string;
  readonly typescript: boolean;
  readonly tsconfig: string | undefined;
  /** `runtime.options.nodeargs`: extra arguments for `node` before cmd/run, as the language host passes them. */
  readonly nodeArgs: string[];
}

/** `Pulumi.yaml`: the project name, `main` resolved as the CLI does, and the Node.js runtime options. */
export function readProject(dir: string): Project {
  const file = path.join(dir, "Pulumi.yaml");
  const doc = YAML.parse(fs.readFileSync(file, "utf8")) as {
    name?: string;
    main?: string;
    runtime?: string | { name?: string; options?: Record<string, unknown> };
  };
  if (!doc?.name) throw new StackConfigError(`${file}: no project \`name\`.`);
  const runtime = typeof doc.runtime === "object" ? doc.runtime : { name: doc.runtime };
  let programDir = dir;
  let entryPoint = ".";
  if (doc.main) {
    const main = path.resolve(dir, doc.main);
    if (fs.statSync(main).isDirectory()) programDir = main;
    else {
      programDir = path.dirname(main);
      entryPoint = path.basename(main);
    }
  }
  const options = runtime.options ?? {};
  return {
    name: doc.name,
    dir,
    programDir,
    entryPoint,
    typescript: options.typescript !== false, // the Node.js host's default is true
    tsconfig: typeof options.tsconfig === "string" ? options.tsconfig : undefined,
    nodeArgs: typeof options.nodeargs === "string" ? options.nodeargs.split(/\s+/).filter(Boolean) : [],
  };
}

/** Names of the stacks that have a `Pulumi.<name>.yaml` in the project folder. */
export function stackNames(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => !!s)
    .sort();
}

export interface EngineRunOptions {
  readonly projectDir: string;
  readonly stack: string;
  readonly mode: EngineMode;
  /** Stack config to hand over instead of reading `Pulumi.<stack>.yaml` (tests). */
  readonly config?: StackConfig;
  /** Run `pulumi-nodejs:dynamic:*` resources through the real dynamic-provider host (update mode only). */
  readonly dynamicProviders?: { readonly env?: NodeJS.ProcessEnv };
  /** Extra `node` arguments (e.g. `--cpu-prof`), after `Pulumi.yaml`'s `nodeargs`. */
  readonly nodeArgs?: readonly string[];
  /** Environment of the program process on top of ours. */
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the program after this long (a hung program, not a slow machine). @default 600000 */
  readonly timeoutMs?: number;
}

export interface EngineRun {
  readonly mode: EngineMode;
  readonly stack: string;
  readonly project: string;
  readonly exitCode: number | null;
  readonly registrations: Registration[];
  readonly invokes: InvokeRecord[];
  readonly logs: LogEntry[];
  /** What `index.ts` exported, as the root stack registered them. */
  readonly stackOutputs: Record<string, unknown>;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  readonly config: StackConfig;
}

/** The program failed: its own error messages (what `pulumi up` prints), never an engine trace. */
export class ProgramError extends Error {
  constructor(
    message: string,
    readonly run: EngineRun,
  ) {
    super(message);
    this.name = "ProgramError";
  }
}

export function warningsOf(run: EngineRun): string[] {
  return run.logs.filter((l) => l.severity === "warning").map((l) => l.message);
}

/** Messages of a failed run: logged errors first, then whatever the process printed. */
export function failureOf(run: EngineRun): string | undefined {
  const errors = run.logs.filter((l) => l.severity === "error").map((l) => l.message.trim());
  if (errors.length === 0 && run.exitCode === 0) return undefined;
  if (errors.length > 0) return [...new Set(errors)].join("\n");
  return `the program exited with code ${run.exitCode}${run.stderr.trim() ? `:\n${run.stderr.trim()}` : ""}`;
}

/** Runs the program once in one mode. Resolves with the run (failures included); never throws for the program's own errors. */
export async function runProgram(options: EngineRunOptions): Promise<EngineRun> {
  const started = Date.now();
  const project = readProject(options.projectDir);
  const config =
    options.config ?? readStackConfig(path.join(options.projectDir, `Pulumi.${options.stack}.yaml`), project.name);
  const engine = new OfflineEngine({
    mode: options.mode,
    stack: options.stack,
    project: project.name,
    awsRegion: config.values["aws:region"] ?? "us-east-1",
  });
  const address = await engine.start();
  let dynamic: DynamicProviderHost | undefined;
  try {
    if (options.dynamicProviders && options.mode === "update") {
      dynamic = await DynamicProviderHost.start({
        config: config.values,
        secretKeys: config.secretKeys,
        cwd: project.programDir,
        engineAddress: address,
        env: options.dynamicProviders.env,
      });
      engine.useDynamicProviders(dynamic);
    }
    const args = [
      ...project.nodeArgs,
      ...(options.nodeArgs ?? []),
      RUN_PATH,
      "--monitor",
      address,
      "--engine",
      address,
      "--organization",
      OFFLINE_ORGANIZATION,
      "--project",
      project.name,
      "--stack",
      options.stack,
      "--pwd",
      project.programDir,
      ...(options.mode === "preview" ? ["--dry-run"] : []),
      "--query-mode",
      "false",
      "--parallel",
      String(DEFAULT_PARALLEL),
      project.entryPoint,
    ];
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, ...pulumiConfigEnv(config) };
    delete env.PULUMI_NODEJS_TYPESCRIPT;
    delete env.PULUMI_NODEJS_TSCONFIG_PATH;
    if (project.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (project.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = project.tsconfig;

    const child = spawn(process.execPath, args, { cwd: project.programDir, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timeoutMs = options.timeoutMs ?? 600_000;
    const exitCode = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        stderr += `\n(offline engine: killed after ${timeoutMs} ms)`;
        child.kill("SIGKILL");
      }, timeoutMs);
      child.once("close", (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    if (dynamic) stderr += dynamic.stderr;
    return {
      mode: options.mode,
      stack: options.stack,
      project: project.name,
      exitCode,
      registrations: engine.registrations,
      invokes: engine.invokes,
      logs: engine.logs,
      stackOutputs: engine.stackOutputs,
      stdout,
      stderr,
      durationMs: Date.now() - started,
      config,
    };
  } finally {
    await dynamic?.stop();
    await engine.stop();
  }
}
