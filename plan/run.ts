/**
 * The offline plan: evaluates the real program (index.ts) for a stack's config under the recording
 * mocks, without the Pulumi CLI, credentials or provider plugins. A registration list, not a diff:
 * providers validate nothing here and compute nothing beyond what the mocks invent.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { RecordingMocks, RecordedResource, RecordedInvoke } from "./mocks";
import { validateStackConfig } from "../config/validate";
import { parseRawConfig } from "../config/load";
import { PROJECT, StackConfig } from "../config/types";

export const SECRET = "[secret]";
export const UNKNOWN = "[unknown]";

/** Secrets reach mocks in this wire form (pulumi/sdk rpc `specialSigKey`); assets arrive as SDK objects. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface PlanResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | undefined;
  readonly inputs: Record<string, unknown>;
}

export interface Plan {
  readonly stack: string;
  readonly resources: PlanResource[];
  readonly outputs: Record<string, unknown>;
  readonly invokes: RecordedInvoke[];
  /** Recorded resources with provider and dependsOn, for summaries and tests. */
  readonly recorded: RecordedResource[];
  readonly config: StackConfig;
}

/** `Pulumi.<stack>.yaml` as the flat `namespace:key` → string map Pulumi hands a program. */
export function readStackConfigFile(file: string): { values: Record<string, string>; secretKeys: string[] } {
  const doc = yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | undefined;
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, value] of Object.entries(doc?.config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${PROJECT}:${rawKey}`;
    if (value && typeof value === "object" && "secure" in (value as object)) {
      values[key] = SECRET;                       // ciphertext is useless offline
      secretKeys.push(key);
    } else {
      values[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { values, secretKeys };
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

/** True when a value recorded by the mocks is a secret (in its wire form). */
export function isSecretWire(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** Replaces secrets, assets and unknowns with printable markers. */
export function printable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(printable);
  if (value === UNKNOWN_VALUE) return UNKNOWN;
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (isSecretWire(o)) return SECRET;
    if (o.__pulumiArchive) return { $archive: Object.keys((o.assets ?? {}) as object) };
    if (o.__pulumiAsset) return { $asset: typeof o.text === "string" ? `${o.text.length} characters, sha256 ${crypto.createHash("sha256").update(o.text).digest("hex").slice(0, 16)}` : o.path ?? o.uri };
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, printable(v)]));
  }
  return value;
}

/** A dynamic resource's inputs carry its provider as serialized code: noise in a plan. */
function withoutSerializedProvider(inputs: Record<string, unknown>): Record<string, unknown> {
  const { __provider, ...rest } = inputs;
  return __provider === undefined ? inputs : rest;
}

async function resolveExport(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    const output = value as pulumi.Output<unknown> & { isSecret: Promise<boolean>; promise(): Promise<unknown> };
    return (await output.isSecret) ? SECRET : printable(await output.promise());
  }
  return printable(value);
}

export interface PlanOptions {
  readonly stack: string;
  /** Folder holding Pulumi.yaml and the stack files. @default the repository root */
  readonly projectDir?: string;
}

/**
 * Runs the program for `Pulumi.<stack>.yaml`. Throws `ConfigError` (before anything is registered)
 * when the config is invalid. Call once per process: the Pulumi runtime is global.
 */
export async function runOfflinePlan(options: PlanOptions): Promise<Plan> {
  const projectDir = options.projectDir ?? path.resolve(__dirname, "..");
  const file = path.join(projectDir, `Pulumi.${options.stack}.yaml`);
  if (!fs.existsSync(file)) {
    throw new Error(`no stack file ${file}: pass --stack with one of ${fs.readdirSync(projectDir).filter(f => /^Pulumi\..+\.yaml$/.test(f)).join(", ")}`);
  }
  const { values, secretKeys } = readStackConfigFile(file);
  const config = validateStackConfig(options.stack, parseRawConfig(values), path.basename(file));

  pulumi.runtime.setAllConfig(values, secretKeys);
  const mocks = new RecordingMocks({ awsRegion: config.awsRegion });
  await mocks.install(PROJECT, options.stack);

  let exports: Record<string, unknown> = {};
  await pulumi.runtime.runInPulumiStack(async () => {
    exports = await import(path.join(projectDir, "index"));
    return undefined;
  });
  const outputs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(exports)) {
    if (k === "default" || k === "__esModule") continue;
    outputs[k] = await resolveExport(v);
  }
  await pulumi.runtime.disconnect();

  const recorded = await Promise.all(mocks.resources.filter(r => r.type !== "pulumi:pulumi:Stack")
    .map(async r => ({ ...r, inputs: await settle(r.inputs) as Record<string, unknown> })));
  return {
    stack: options.stack,
    resources: recorded.map(r => ({
      // The mock monitor nests the stack type into child URNs; the real engine does not.
      urn: r.urn.replace("pulumi:pulumi:Stack$", ""),
      type: r.type, name: r.name,
      parent: r.parent && !r.parent.includes("::pulumi:pulumi:Stack::") ? r.parent.replace("pulumi:pulumi:Stack$", "") : undefined,
      inputs: printable(withoutSerializedProvider(r.inputs)) as Record<string, unknown>,
    })),
    outputs,
    invokes: mocks.invokes,
    recorded,
    config,
  };
}
