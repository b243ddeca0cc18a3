/**
 * Plan section and `--json` key `lifecycle`: what orders and guards deletes. Per resource, the edges
 * Pulumi orders operations by (its dependencies and its parent: on `pulumi destroy` a resource is
 * deleted before everything it points at), and the options that keep it (`protect`, `retainOnDelete`)
 * or adopt it (`import`). Pure.
 */
import type { Plan } from "../run";
import type { RecordedResource } from "../mocks";
import { TYPES as T } from "../resourceTypes";

export interface LifecycleEntry {
  readonly urn: string;
  /** Resources this one depends on (explicit dependsOn and inputs from them): deleted after it. */
  readonly dependsOn: readonly string[];
  readonly parent?: string;
  readonly protect?: true;
  readonly retainOnDelete?: true;
  readonly importId?: string;
}

export function lifecycleOf(resources: readonly RecordedResource[]): LifecycleEntry[] {
  return resources.map((r) => ({
    urn: r.urn,
    dependsOn: [...new Set(r.dependsOn)].sort(),
    ...(r.parent ? { parent: r.parent } : {}),
    ...(r.protect ? { protect: true as const } : {}),
    ...(r.retainOnDelete ? { retainOnDelete: true as const } : {}),
    ...(r.importId ? { importId: r.importId } : {}),
  }));
}

/**
 * The order `pulumi destroy` deletes in: a resource before what it depends on and before its parent
 * (the engine's reverse topological order; among independent resources any order is valid — this one
 * keeps the registration order). Throws on a cycle, which the engine would refuse too.
 */
export function destroyOrder(entries: readonly LifecycleEntry[]): string[] {
  const known = new Set(entries.map((e) => e.urn));
  // blockers[x]: resources that must be gone before x may be deleted (those pointing at x).
  const blockers = new Map<string, Set<string>>(entries.map((e) => [e.urn, new Set<string>()]));
  for (const e of entries) {
    for (const target of [...e.dependsOn, ...(e.parent ? [e.parent] : [])]) {
      if (known.has(target) && target !== e.urn) blockers.get(target)!.add(e.urn);
    }
  }
  const order: string[] = [];
  const done = new Set<string>();
  while (order.length < entries.length) {
    const next = entries.find((e) => !done.has(e.urn) && [...blockers.get(e.urn)!].every((b) => done.has(b)));
    if (!next) throw new Error("dependency cycle among the plan's resources");
    done.add(next.urn);
    order.push(next.urn);
  }
  return order;
}

export function lifecycleSection(plan: Plan): string {
  const entries = lifecycleOf(plan.recorded);
  const lines: string[] = [];
  const kept = entries.filter((e) => e.protect || e.retainOnDelete || e.importId);
  for (const e of kept) {
    const what = [
      e.importId ? `adopted (import ${e.importId})` : "",
      e.protect ? "protected" : "",
      e.retainOnDelete ? "kept on destroy" : "",
    ].filter(Boolean);
    lines.push(`  ${e.urn.split("::").pop()}: ${what.join(", ")}`);
  }
  const restores = plan.recorded.filter((r) => r.type === T.policyRestore);
  if (restores.length > 0) {
    lines.push(
      `  destroy: ${restores.map((r) => String(r.inputs.workspaceId)).join(", ")} pointed back to default-policy before the network policy is deleted`,
    );
  }
  if (lines.length === 0) return "";
  return ["Lifecycle (adopted and kept resources; what destroy does first)", ...lines].join("\n");
}
