/**
 * The offline plan: the real program run the way `pulumi preview` and `pulumi up` run it — through
 * Pulumi's own program host (`@pulumi/pulumi/cmd/run`) against the offline engine (engine/) — twice,
 * at once: a **preview** (computed values unknown, as a first `pulumi preview` sees them) proves the
 * program completes and registers the resource set; an **update** (computed values invented by the one
 * table in plan/mocks.ts) gives the wiring with values. No credentials, CLI or provider plugins: the
 * providers validate nothing here (see README, "What the offline engine proves").
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import {
  runProgram,
  failureOf,
  stackNames,
  warningsOf,
  readProject,
  ProgramError,
  type EngineRun,
} from "../engine/run";
import { ROOT_STACK_TYPE } from "../engine/monitor";
import { specialArchiveSig, specialAssetSig, specialSigKey, specialSecretSig, unknownValue } from "../engine/sdk";
import { readStackConfig, StackConfigError, type StackConfig as CliConfig } from "../engine/stackConfig";
import type { RecordedInvoke, RecordedResource } from "./mocks";
import { validateStackConfig } from "../config/validate";
import { parseRawConfig } from "../config/load";
import { PROJECT, type StackConfig } from "../config/types";

export const SECRET = "[secret]";
export const UNKNOWN = "[unknown]";

export interface PlanResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | undefined;
  readonly inputs: Record<string, unknown>;
}

/** What the preview run showed: the same resources as the update, and what stays unknown until `up`. */
export interface PreviewSummary {
  readonly resources: number;
  /** True when preview and update registered the same (type, name) set. */
  readonly sameResourcesAsUpdate: boolean;
  /** Registrations only one of the two runs made, as `type::name`. */
  readonly onlyInPreview: string[];
  readonly onlyInUpdate: string[];
  /** Stack outputs whose value is unknown at preview. */
  readonly unknownOutputs: string[];
}

export interface Plan {
  readonly stack: string;
  /** Which run produced `resources`, `recorded`, `outputs` and the wiring. */
  readonly mode: "update";
  readonly resources: PlanResource[];
  readonly outputs: Record<string, unknown>;
  readonly invokes: RecordedInvoke[];
  /** Registrations with provider, dependsOn, protect and outputs, for summaries and tests. */
  readonly recorded: RecordedResource[];
  readonly config: StackConfig;
  readonly preview: PreviewSummary;
  /** `pulumi.log.warn` messages of either run, once each: printed, never a failure. */
  readonly warnings: string[];
  /** New URN → the old URNs it declares as `aliases` (only resources that declare some): the diff's moves. */
  readonly aliases: Record<string, string[]>;
  readonly timings: { readonly previewMs: number; readonly updateMs: number; readonly totalMs: number };
}

/**
 * `Pulumi.<stack>.yaml` as the flat `namespace:key` → string map Pulumi hands a program, typed as the
 * CLI types it (engine/stackConfig.ts); `secure:` values keep the `[secret]` placeholder.
 */
export function readStackConfigFile(file: string): CliConfig {
  return readStackConfig(file, PROJECT);
}

/**
 * Mocks receive assets and archives as SDK objects whose contents are promises; awaits them (and any
 * other nested promise) so recorded inputs are plain data.
 */
export async function settle(value: unknown): Promise<unknown> {
  const v = await value;
  if (Array.isArray(v)) return Promise.all(v.map(settle));
  if (v && typeof v === "object" && !Buffer.isBuffer(v)) {
    const entries = await Promise.all(Object.entries(v).map(async ([k, x]) => [k, await settle(x)] as const));
    return Object.fromEntries(entries);
  }
  return v;
}

/** True when a recorded value is a secret (in its wire form). */
export function isSecretWire(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[specialSigKey] === specialSecretSig
  );
}

function describeText(text: string): string {
  return `${text.length} characters, sha256 ${crypto.createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
}

/** A file asset by its content, as a text asset is: the same code reads the same wherever the checkout lives. */
function describeFile(file: unknown): string | undefined {
  if (typeof file !== "string") return undefined;
  try {
    return describeText(fs.readFileSync(file, "utf8"));
  } catch {
    return `${file} (unreadable)`;
  }
}

/** Replaces secrets, assets and unknowns with printable markers (wire forms and the mocks' SDK objects). */
export function printable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(printable);
  if (value === unknownValue) return UNKNOWN;
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (isSecretWire(o)) return SECRET;
    if (o[specialSigKey] === specialArchiveSig || o.__pulumiArchive)
      return { $archive: Object.keys((o.assets ?? {}) as object) };
    if (o[specialSigKey] === specialAssetSig || o.__pulumiAsset)
      return { $asset: typeof o.text === "string" ? describeText(o.text) : (describeFile(o.path) ?? o.uri) };
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, printable(v)]));
  }
  return value;
}

/** A dynamic resource's inputs carry its provider as serialized code: noise in a plan. */
function withoutSerializedProvider(inputs: Record<string, unknown>): Record<string, unknown> {
  const { __provider, ...rest } = inputs;
  return __provider === undefined ? inputs : rest;
}

export interface PlanOptions {
  readonly stack: string;
  /** Folder holding Pulumi.yaml and the program. @default the repository root */
  readonly projectDir?: string;
  /** Read the config from this file instead of `Pulumi.<stack>.yaml` (the CLI's `--config-file`). */
  readonly configFile?: string;
}

function resourcesOf(run: EngineRun): EngineRun["registrations"] {
  return run.registrations.filter((r) => r.type !== ROOT_STACK_TYPE);
}

/** The `aliases` each registration declares, by its URN. */
export function aliasesOf(run: EngineRun): Record<string, string[]> {
  return Object.fromEntries(
    resourcesOf(run)
      .filter((r) => r.options.aliases.length > 0)
      .map((r) => [r.urn, [...r.options.aliases]]),
  );
}

function previewSummary(preview: EngineRun, update: EngineRun): PreviewSummary {
  const key = (r: { type: string; name: string }) => `${r.type}::${r.name}`;
  const p = new Set(resourcesOf(preview).map(key));
  const u = new Set(resourcesOf(update).map(key));
  const onlyInPreview = [...p].filter((k) => !u.has(k)).sort();
  const onlyInUpdate = [...u].filter((k) => !p.has(k)).sort();
  const unknownOutputs = Object.entries(preview.stackOutputs)
    .filter(([, v]) => JSON.stringify(printable(v)).includes(UNKNOWN))
    .map(([k]) => k)
    .sort();
  return {
    resources: p.size,
    sameResourcesAsUpdate: onlyInPreview.length + onlyInUpdate.length === 0,
    onlyInPreview,
    onlyInUpdate,
    unknownOutputs,
  };
}

/** Where the stack's config comes from; a stack that does not exist is a one-line error naming the real ones. */
function configFileOf(projectDir: string, options: PlanOptions): string {
  if (options.configFile) return options.configFile;
  const stacks = stackNames(projectDir);
  if (!stacks.includes(options.stack)) {
    throw new StackConfigError(
      `no stack "${options.stack}" in ${projectDir}: this project's stacks are ${stacks.join(", ") || "(none)"}. Fix: pass --stack with one of them, or create Pulumi.${options.stack}.yaml.`,
    );
  }
  return path.join(projectDir, `Pulumi.${options.stack}.yaml`);
}

/**
 * Runs the program for a stack, in preview and update mode at once. Throws `StackConfigError` or
 * `ConfigError` (before anything runs) when the stack file or its config is invalid, and `ProgramError`
 * with the program's own messages when the program fails under the engine.
 */
export async function runOfflinePlan(options: PlanOptions): Promise<Plan> {
  const started = Date.now();
  const projectDir = options.projectDir ?? path.resolve(__dirname, "..");
  const file = configFileOf(projectDir, options);
  const cliConfig = readStackConfig(file, readProject(projectDir).name);
  // The program validates the same way; doing it here first gives the message without starting Node twice.
  const config = validateStackConfig(options.stack, parseRawConfig(cliConfig.values), path.basename(file));

  const [preview, update] = await Promise.all(
    (["preview", "update"] as const).map((mode) =>
      runProgram({ projectDir, stack: options.stack, mode, config: cliConfig }),
    ),
  );
  for (const run of [preview, update]) {
    const failure = failureOf(run);
    if (failure)
      throw new ProgramError(`${run.mode === "preview" ? "pulumi preview" : "pulumi up"} would fail: ${failure}`, run);
  }

  const recorded: RecordedResource[] = resourcesOf(update).map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    custom: r.custom,
    // Children of the root stack have no parent in the plan (as the documented JSON has always shown).
    parent: r.parent && !r.parent.includes(`::${ROOT_STACK_TYPE}::`) ? r.parent : undefined,
    provider: r.provider,
    dependsOn: r.dependsOn,
    protect: r.protect,
    ...(r.retainOnDelete ? { retainOnDelete: true } : {}),
    ...(r.importId ? { importId: r.importId } : {}),
    inputs: r.inputs,
    outputs: r.custom ? { id: r.id, ...r.outputs } : r.outputs,
  }));
  return {
    stack: options.stack,
    mode: "update",
    resources: recorded.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent,
      inputs: printable(withoutSerializedProvider(r.inputs)) as Record<string, unknown>,
    })),
    outputs: printable(update.stackOutputs) as Record<string, unknown>,
    invokes: update.invokes,
    recorded,
    config,
    preview: previewSummary(preview, update),
    warnings: [...new Set([...warningsOf(preview), ...warningsOf(update)])],
    aliases: aliasesOf(update),
    timings: { previewMs: preview.durationMs, updateMs: update.durationMs, totalMs: Date.now() - started },
  };
}
