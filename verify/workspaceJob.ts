/**
 * Runs the probe job in a workspace through the REST APIs: uploads the Python task (Workspace API
 * `workspace/mkdirs`, `workspace/import`), submits a one-time run on serverless compute (Jobs API
 * `2.2/jobs/runs/submit` with an `environments` entry and no cluster), polls `runs/get` with progress,
 * and reads the task's output (`runs/get-output`, whose `logs` hold a Python task's stdout).
 */
import { requestJson, trimHost, type AuthHeaderSource } from "../databricks/accountApi";
import { type FinishedRun, PROBE_SCRIPT, runsSubmitBody, type ProbeJobSpec } from "./jobProbe";

/** Longest a run may take, queueing for serverless compute included. */
export const JOB_TIMEOUT_SECONDS = 1200;
export const JOB_POLL_SECONDS = 10;
/** Where the task is uploaded: readable by every workspace user and service principal. */
export const PROBE_DIR = "/Shared/dbx-aoai-link";

export interface Clock {
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
}

const END_STATES = ["TERMINATED", "SKIPPED", "INTERNAL_ERROR"];
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/** The uploaded task's path for a stack (`org/name` stacks keep only safe characters). */
export function probeFilePath(stack: string): string {
  return `${PROBE_DIR}/verify-${stack.replace(/[^A-Za-z0-9_.-]/g, "-")}.py`;
}

export async function runProbeJob(options: {
  readonly workspaceUrl: string;
  readonly auth: AuthHeaderSource;
  readonly stack: string;
  readonly spec: ProbeJobSpec;
  readonly clock: Clock;
  readonly progress: (line: string) => void;
}): Promise<FinishedRun> {
  const host = trimHost(options.workspaceUrl);
  const call = (method: "GET" | "POST", path: string, body?: unknown) =>
    requestJson(method, `${host}${path}`, options.auth, body);
  const file = probeFilePath(options.stack);
  await call("POST", "/api/2.0/workspace/mkdirs", { path: PROBE_DIR });
  await call("POST", "/api/2.0/workspace/import", {
    path: file,
    format: "SOURCE",
    language: "PYTHON",
    overwrite: true,
    content: Buffer.from(PROBE_SCRIPT).toString("base64"),
  });
  const started = options.clock.now();
  const submitted = obj(
    await call(
      "POST",
      "/api/2.2/jobs/runs/submit",
      runsSubmitBody(options.stack, file, options.spec, JOB_TIMEOUT_SECONDS),
    ),
  );
  const runId = Number(submitted.run_id);
  if (!Number.isFinite(runId)) throw new Error(`runs/submit returned no run_id: ${JSON.stringify(submitted)}`);
  options.progress(`  submitted serverless job run ${runId}`);
  let run: Record<string, unknown>;
  let lastState = "";
  for (;;) {
    run = obj(await call("GET", `/api/2.2/jobs/runs/get?run_id=${runId}`));
    const state = str(obj(run.state).life_cycle_state) ?? "UNKNOWN";
    if (state !== lastState)
      options.progress(`  run ${runId}: ${state} after ${Math.round((options.clock.now() - started) / 1000)} s`);
    lastState = state;
    if (END_STATES.includes(state)) break;
    if (options.clock.now() - started >= (JOB_TIMEOUT_SECONDS + 60) * 1000) break;
    await options.clock.sleep(JOB_POLL_SECONDS * 1000);
  }
  const state = obj(run.state);
  const task = (Array.isArray(run.tasks) ? run.tasks : []).map(obj)[0];
  const output =
    task && task.run_id !== undefined
      ? obj(await call("GET", `/api/2.2/jobs/runs/get-output?run_id=${Number(task.run_id)}`))
      : {};
  const error = [str(output.error), str(output.error_trace)].filter(Boolean).join("\n");
  return {
    runId,
    runPageUrl: str(run.run_page_url),
    lifeCycleState: lastState,
    resultState: str(state.result_state),
    stateMessage: str(state.state_message),
    logs: str(output.logs) ?? "",
    ...(error ? { error } : {}),
    elapsedMs: options.clock.now() - started,
  };
}
