/**
 * Runs a preflight check on facts read through invokes: resolves to the facts when the check passes,
 * rejects with a `pulumi.RunError` (printed without a stack trace) when it does not. Resources the
 * check protects take `dependsOn: waitFor(result)`, so none of them is registered after a failure;
 * and because invokes run during `pulumi preview`, the preview that precedes every `up` already fails.
 */
import * as pulumi from "@pulumi/pulumi";
import { type PreflightProblem, preflightMessage } from "./check";

export function preflight<F>(
  name: string,
  facts: pulumi.Output<F>,
  check: (facts: F) => readonly PreflightProblem[],
): pulumi.Output<F> {
  return facts.apply((f) => {
    const problems = check(f);
    if (problems.length > 0) throw new pulumi.RunError(preflightMessage(name, problems));
    return f;
  });
}

/** A dependsOn value that waits for passed preflights (and carries no dependency of its own). */
export function waitFor(...results: pulumi.Output<unknown>[]): pulumi.Output<pulumi.Resource[]> {
  return pulumi.all(results).apply(() => []);
}
