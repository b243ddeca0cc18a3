/**
 * `npm run plan -- --diff BASE.json`: a semantic diff of two update-mode plan JSONs (resources added,
 * removed, replaced, updated input by input, outputs changed) and the upgrade gate over it. Pure:
 * plain JSON in, data and text out.
 *
 * Offline limits, said in the report too: the mocks give a replaced resource the same ids, so
 * replacements are not followed into the inputs of resources that reference them.
 */
import * as crypto from "crypto";
import { replacingInputs, STATEFUL_TYPES } from "./replacement";

/** The `--json` document of `npm run plan` (docs/architecture.md), as far as the diff reads it. */
export interface PlanDocument {
  readonly stack: string;
  /** "update" (mocks run as `pulumi up`: every value known) or "preview". Absent: update. */
  readonly mode?: string;
  readonly resources: readonly {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    inputs: Record<string, unknown>;
  }[];
  readonly outputs: Record<string, unknown>;
  /** Optional: new URN → the old URNs it declares as `aliases` (no replacement across them). */
  readonly aliases?: Record<string, readonly string[]>;
}

export interface InputChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface ResourceRef {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Why it matters on an existing stack, for stateful types. */
  readonly stateful?: string;
}

export interface Replacement extends ResourceRef {
  /** Input paths that force replacement, or a sentence for a URN change. */
  readonly because: readonly string[];
  readonly changes: readonly InputChange[];
}

export interface PlanDiff {
  readonly baseStack: string;
  readonly headStack: string;
  readonly added: readonly ResourceRef[];
  readonly removed: readonly ResourceRef[];
  readonly replaced: readonly Replacement[];
  readonly updated: readonly (ResourceRef & { readonly changes: readonly InputChange[] })[];
  /** Old URN → new URN, accepted because the new resource declares the old one as an alias. */
  readonly moved: readonly { from: string; to: string }[];
  readonly outputs: readonly InputChange[];
}

/** A plan or allow file the diff cannot use: printed as one line, no stack trace. */
export class DiffInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DiffInputError";
  }
}

/** Reads a `--json` plan file, or says in one line why it cannot. */
export function parsePlanDocument(text: string, file: string): PlanDocument {
  let doc: Partial<PlanDocument>;
  try {
    doc = JSON.parse(text) as Partial<PlanDocument>;
  } catch (e) {
    throw new DiffInputError(
      `${file}: not JSON (${(e as Error).message}). Fix: pass a file written by npm run plan -- --json FILE`,
    );
  }
  if (typeof doc.stack !== "string" || !Array.isArray(doc.resources) || typeof doc.outputs !== "object") {
    throw new DiffInputError(
      `${file}: not a plan JSON (needs stack, resources, outputs). Fix: pass a file written by npm run plan -- --json FILE`,
    );
  }
  return doc as PlanDocument;
}

export const ABSENT = "(absent)";
export const MASKED = "[secret]";
/** Input names whose values are credentials wherever they appear. */
const SECRET_NAME = /(secret|password|passwd|token|apikey|api_key|privatekey|stringvalue|key[12])$/i;

/** `urn:pulumi:<stack>::<project>::<type chain>::<name>` without the stack and project: the identity across stacks. */
export function urnKey(urn: string): string {
  return urn.replace(/^urn:pulumi:[^:]+::[^:]+::/, "");
}

function maybeJson(text: string): unknown {
  const t = text.trim();
  if (!(t.startsWith("{") || t.startsWith("["))) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

/**
 * Leaf values by path: objects by key (`a.b`), lists whole (`a`: shown as elements added and removed,
 * so a new address in a sorted list is one line, not a shifted index per entry), JSON text (IAM
 * documents, event patterns) as the structure it holds.
 */
export function flatten(value: unknown, path = "", out = new Map<string, unknown>()): Map<string, unknown> {
  const json = typeof value === "string" ? maybeJson(value) : undefined;
  const v = json !== undefined && typeof json === "object" && json !== null ? json : value;
  if (Array.isArray(v)) {
    out.set(path, v);
  } else if (v !== null && typeof v === "object" && Object.keys(v).length > 0) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) flatten(x, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, v);
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function masked(path: string, value: unknown): unknown {
  const last =
    path
      .split(/[.[\]]/)
      .filter(Boolean)
      .pop() ?? "";
  return value !== undefined && SECRET_NAME.test(last) ? MASKED : value;
}

/** Input changes path by path, with secrets masked; `removedPaths` lose a value or a list element. */
export function inputChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { changes: InputChange[]; removedPaths: string[] } {
  const a = flatten(before);
  const b = flatten(after);
  const changes: InputChange[] = [];
  const removedPaths: string[] = [];
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.has(path) ? a.get(path) : ABSENT;
    const y = b.has(path) ? b.get(path) : ABSENT;
    if (same(x, y)) continue;
    changes.push({ path, before: masked(path, x), after: masked(path, y) });
    const lostElement =
      Array.isArray(x) && (!Array.isArray(y) || x.some((e) => !(y as unknown[]).some((f) => same(e, f))));
    if (y === ABSENT || lostElement) removedPaths.push(path);
  }
  return { changes, removedPaths };
}

function ref(r: { urn: string; type: string; name: string }): ResourceRef {
  const stateful = STATEFUL_TYPES[r.type];
  return { urn: r.urn, type: r.type, name: r.name, ...(stateful ? { stateful } : {}) };
}

export function diffPlans(base: PlanDocument, head: PlanDocument): PlanDiff {
  for (const [label, doc] of [
    ["base", base],
    ["head", head],
  ] as const) {
    if (doc.mode && doc.mode !== "update") {
      throw new DiffInputError(
        `the ${label} plan is a "${doc.mode}" plan: values there may be unknown. Fix: write both plans in update mode (npm run plan -- --json FILE)`,
      );
    }
  }
  const baseByKey = new Map(base.resources.map((r) => [urnKey(r.urn), r]));
  const headByKey = new Map(head.resources.map((r) => [urnKey(r.urn), r]));
  // An alias makes an old URN the same resource as a new one.
  const aliasTarget = new Map<string, string>();
  for (const [urn, olds] of Object.entries(head.aliases ?? {}))
    for (const old of olds) aliasTarget.set(urnKey(old), urnKey(urn));

  const added: ResourceRef[] = [];
  const removed: ResourceRef[] = [];
  const replaced: Replacement[] = [];
  const updated: (ResourceRef & { changes: InputChange[] })[] = [];
  const moved: { from: string; to: string }[] = [];
  const matchedHeads = new Set<string>();

  const compare = (before: PlanDocument["resources"][number], after: PlanDocument["resources"][number]) => {
    const { changes, removedPaths } = inputChanges(before.inputs, after.inputs);
    if (changes.length === 0) return;
    const because = replacingInputs(
      after.type,
      changes.map((c) => c.path),
      removedPaths,
    );
    if (because.length > 0) replaced.push({ ...ref(after), because, changes });
    else updated.push({ ...ref(after), changes });
  };

  // A resource whose URN changed (new parent) with the same type and name: the engine sees a delete
  // and a create, i.e. a replacement, unless the new one declares an alias.
  const headsByTypeName = new Map<string, PlanDocument["resources"][number][]>();
  for (const [key, r] of headByKey)
    if (!baseByKey.has(key))
      headsByTypeName.set(`${r.type}::${r.name}`, [...(headsByTypeName.get(`${r.type}::${r.name}`) ?? []), r]);

  for (const [key, before] of baseByKey) {
    const after = headByKey.get(key);
    if (after) {
      matchedHeads.add(key);
      compare(before, after);
      continue;
    }
    const aliased = aliasTarget.get(key);
    if (aliased && headByKey.has(aliased)) {
      matchedHeads.add(aliased);
      moved.push({ from: before.urn, to: headByKey.get(aliased)!.urn });
      compare(before, headByKey.get(aliased)!);
      continue;
    }
    const sameName = (headsByTypeName.get(`${before.type}::${before.name}`) ?? []).find(
      (r) => !matchedHeads.has(urnKey(r.urn)),
    );
    if (sameName) {
      matchedHeads.add(urnKey(sameName.urn));
      const { changes } = inputChanges(before.inputs, sameName.inputs);
      replaced.push({
        ...ref(sameName),
        because: [`URN changed from ${urnKey(before.urn)} (no alias declared)`],
        changes,
      });
      continue;
    }
    removed.push(ref(before));
  }
  for (const [key, r] of headByKey) if (!matchedHeads.has(key)) added.push(ref(r));

  const outputs: InputChange[] = [];
  for (const name of [...new Set([...Object.keys(base.outputs), ...Object.keys(head.outputs)])].sort()) {
    const x = name in base.outputs ? base.outputs[name] : ABSENT;
    const y = name in head.outputs ? head.outputs[name] : ABSENT;
    if (!same(x, y)) outputs.push({ path: name, before: masked(name, x), after: masked(name, y) });
  }
  return { baseStack: base.stack, headStack: head.stack, added, removed, replaced, updated, moved, outputs };
}

// ---------------------------------------------------------------------------------------------
// The upgrade gate

/** An explicit, reviewed permission to replace or delete one stateful resource (upgrade-allow.json). */
export interface UpgradeAllowance {
  /** The resource's URN (the stack and project part may be left out). */
  readonly urn: string;
  /** Why losing it is fine: shown in the report. */
  readonly reason: string;
}

export interface GateResult {
  readonly ok: boolean;
  /** Stateful resources replaced or removed without permission. */
  readonly blocked: readonly (ResourceRef & { readonly how: "replaced" | "removed" })[];
  readonly allowed: readonly (ResourceRef & { readonly reason: string })[];
}

export function upgradeGate(diff: PlanDiff, allowances: readonly UpgradeAllowance[] = []): GateResult {
  const permission = (urn: string) => allowances.find((a) => urnKey(a.urn) === urnKey(urn));
  const candidates = [
    ...diff.replaced.map((r) => ({ ...r, how: "replaced" as const })),
    ...diff.removed.map((r) => ({ ...r, how: "removed" as const })),
  ].filter((r) => r.stateful);
  const blocked = candidates
    .filter((r) => !permission(r.urn))
    .map(({ urn, type, name, stateful, how }) => ({ urn, type, name, stateful, how }));
  const allowed = candidates
    .filter((r) => permission(r.urn))
    .map(({ urn, type, name, stateful }) => ({ urn, type, name, stateful, reason: permission(urn)!.reason }));
  return { ok: blocked.length === 0, blocked, allowed };
}

/** Reads upgrade-allow.json's content: a list of `{ urn, reason }`, each with a reason. */
export function parseAllowances(text: string, file: string): UpgradeAllowance[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new DiffInputError(`${file}: not JSON (${(e as Error).message})`);
  }
  if (
    !Array.isArray(doc) ||
    !doc.every((e) => e && typeof e.urn === "string" && typeof e.reason === "string" && e.reason.trim() !== "")
  ) {
    throw new DiffInputError(
      `${file}: must be a JSON list of { "urn": "...", "reason": "..." } entries, each with a reason`,
    );
  }
  return doc as UpgradeAllowance[];
}

// ---------------------------------------------------------------------------------------------
// Text

function show(value: unknown): string {
  if (value === ABSENT) return ABSENT;
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "undefined");
  if (text.length <= 100) return text;
  return `(${text.length} characters, sha256 ${crypto.createHash("sha256").update(text).digest("hex").slice(0, 12)})`;
}

/** Base64 user data, decoded: the lines that differ (the HAProxy config and boot script live there). */
function decodedLineChanges(before: unknown, after: unknown): string[] {
  const decode = (v: unknown) =>
    typeof v === "string" && /^[A-Za-z0-9+/=\s]{200,}$/.test(v) ? Buffer.from(v, "base64").toString("utf8") : undefined;
  const x = decode(before);
  const y = decode(after);
  if (x === undefined || y === undefined) return [];
  const xs = x.split("\n");
  const ys = y.split("\n");
  const lines = [
    ...xs.filter((l) => !ys.includes(l)).map((l) => `- ${l.trim()}`),
    ...ys.filter((l) => !xs.includes(l)).map((l) => `+ ${l.trim()}`),
  ];
  return lines.length > 8 ? [...lines.slice(0, 8), `… ${lines.length - 8} more changed lines`] : lines;
}

/** A list element as a reader knows it: `{ value: "1.2.3.4" }` is 1.2.3.4. */
function element(e: unknown): string {
  const one = e && typeof e === "object" && !Array.isArray(e) && Object.keys(e).length === 1 ? Object.values(e)[0] : e;
  const text = typeof one === "string" ? one : JSON.stringify(one);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

function listChange(before: unknown, after: unknown): string | undefined {
  if (!Array.isArray(before) || !Array.isArray(after)) return undefined;
  const added = after.filter((e) => !before.some((f) => same(e, f)));
  const removed = before.filter((e) => !after.some((f) => same(e, f)));
  if (added.length === 0 && removed.length === 0) return "same elements, new order";
  return [...added.map((e) => `+ ${element(e)}`), ...removed.map((e) => `- ${element(e)}`)].join(", ");
}

function changeLines(changes: readonly InputChange[], indent: string): string[] {
  return changes.flatMap((c) => [
    `${indent}${c.path}: ${listChange(c.before, c.after) ?? `${show(c.before)} → ${show(c.after)}`}`,
    ...decodedLineChanges(c.before, c.after).map((l) => `${indent}    ${l}`),
  ]);
}

export function formatDiff(diff: PlanDiff, gate: GateResult, baseLabel: string): string {
  const lines: string[] = [];
  const title = (r: ResourceRef) => `${r.type} "${r.name}"${r.stateful ? `  [stateful: ${r.stateful}]` : ""}`;
  lines.push(
    `Diff against ${baseLabel} (stack ${diff.baseStack} → ${diff.headStack}): ` +
      `${diff.added.length} to add, ${diff.updated.length} to update, ${diff.replaced.length} to replace, ${diff.removed.length} to delete, ${diff.outputs.length} outputs changed`,
  );
  if (diff.replaced.length > 0) {
    lines.push("", `Replace (${diff.replaced.length}): delete and create; ids, addresses and names change`);
    for (const r of diff.replaced)
      lines.push(`  ± ${title(r)}`, `      because: ${r.because.join(", ")}`, ...changeLines(r.changes, "      "));
  }
  if (diff.removed.length > 0) {
    lines.push("", `Delete (${diff.removed.length})`);
    for (const r of diff.removed) lines.push(`  - ${title(r)}`);
  }
  if (diff.added.length > 0) {
    lines.push("", `Create (${diff.added.length})`);
    for (const r of diff.added) lines.push(`  + ${title(r)}`);
  }
  if (diff.updated.length > 0) {
    lines.push("", `Update in place (${diff.updated.length})`);
    for (const r of diff.updated) lines.push(`  ~ ${title(r)}`, ...changeLines(r.changes, "      "));
  }
  if (diff.moved.length > 0) {
    lines.push("", `Moved under an alias, not replaced (${diff.moved.length})`);
    for (const m of diff.moved) lines.push(`  → ${urnKey(m.from)} ⇒ ${urnKey(m.to)}`);
  }
  if (diff.outputs.length > 0) {
    lines.push("", "Outputs");
    lines.push(...changeLines(diff.outputs, "  "));
  }
  if (diff.replaced.length > 0)
    lines.push(
      "",
      "Offline, a replacement is not followed into the inputs of resources that reference the replaced one.",
    );
  lines.push(
    "",
    gate.ok
      ? `Upgrade gate: pass (no stateful resource replaced or deleted${gate.allowed.length ? `, ${gate.allowed.length} explicitly allowed` : ""})`
      : `Upgrade gate: FAIL: ${gate.blocked.length} stateful resource(s) would be replaced or deleted on an existing stack`,
  );
  for (const b of gate.blocked) lines.push(`  ✘ ${b.how} ${b.type} "${b.name}" (${b.stateful})`);
  for (const a of gate.allowed) lines.push(`  ✔ allowed ${a.type} "${a.name}": ${a.reason}`);
  if (!gate.ok)
    lines.push(
      "  Fix: keep the resource's name, parent and replace-forcing inputs; for a move, add `aliases` to the resource; " +
        "or, when losing it is intended, list its URN with a reason in upgrade-allow.json (reviewed with the PR).",
    );
  return lines.join("\n") + "\n";
}
