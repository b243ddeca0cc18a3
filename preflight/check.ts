/**
 * The preflight convention: checks that read the account or workspace at preview (through invokes,
 * which `pulumi preview` runs for real and plan/mocks.ts answers offline) and stop the program before
 * it creates anything a wrong answer would strand.
 *
 * One file per check in preflight/: a pure `check…(facts): ConfigIssue[]` (tested without mocks) and a
 * `read…Facts(...)` that gathers the facts through invokes; the program passes both to `preflight()`
 * (preflight/gate.ts) and makes the resources the check protects wait on its result. Every check is
 * listed in PREFLIGHTS below with what it reads and the read permission that needs, so the plan and
 * the README can show them. A failed check reads like a config error: "key = value: problem. Fix: …".
 * Pure: no Pulumi imports here.
 */
import { type ConfigIssue, formatIssue } from "../config/issues";

export type PreflightProblem = ConfigIssue;

/** What a preflight reads, and the IAM action the deploying identity needs for it. */
export interface PreflightRead {
  /** Invoke token, as recorded by the offline plan. */
  readonly invoke: string;
  readonly permission: string;
  readonly what: string;
}

export interface PreflightDescriptor {
  /** Short name, shown in the plan and in the failure message. */
  readonly name: string;
  /** The config key whose value the check judges. */
  readonly configKey: string;
  readonly reads: readonly PreflightRead[];
}

/** The message a failed preflight ends the program with (one line per problem, like ConfigError). */
export function preflightMessage(name: string, problems: readonly PreflightProblem[]): string {
  return (
    `Preflight "${name}" failed: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n` +
    problems.map((p) => `  - ${formatIssue(p)}`).join("\n")
  );
}
