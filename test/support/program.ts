/**
 * Evaluates the real program under the shared recording mocks (plan/mocks.ts) for a config, and
 * gives tests typed access to what was registered.
 */
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import { RecordingMocks, type RecordedInvoke, type RecordedResource } from "../../plan/mocks";
import { readStackConfigFile, settle } from "../../plan/run";
export { isSecretWire } from "../../plan/run";
import { parseRawConfig } from "../../config/load";
import { validateStackConfig } from "../../config/validate";
import { PROJECT, type StackConfig } from "../../config/types";
import { buildProgram, type ProgramOutputs } from "../../program";

// Internal to the SDK, but exactly what "all registrations have been sent" means.

const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

/** Resolves an Output's value (mocks run with preview=false, so every value is known). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) =>
    output.apply((v) => {
      resolve(v);
      return v;
    }),
  );
}

/** The config of a stack file, optionally changed through `edit` on its raw blocks first. */
export function stackConfig(stack = "dev", edit?: (raw: Record<string, any>) => void): StackConfig {
  const raw = parseRawConfig(readStackConfigFile(path.resolve(__dirname, "..", "..", `Pulumi.${stack}.yaml`)).values);
  const copy = JSON.parse(JSON.stringify(raw));
  edit?.(copy);
  return validateStackConfig(stack, copy);
}

/** A recorded resource with inputs and outputs loosely typed, for assertions on nested values. */
export type TestResource = Omit<RecordedResource, "inputs" | "outputs"> & {
  readonly inputs: Record<string, any>;
  readonly outputs: Record<string, any>;
};

export interface Evaluation {
  readonly config: StackConfig;
  readonly outputs: ProgramOutputs;
  readonly resources: readonly TestResource[];
  readonly invokes: readonly RecordedInvoke[];
  /** Every resource of a type token. */
  all(type: string): TestResource[];
  /** The one resource of a type (optionally by name); fails when absent or ambiguous. */
  one(type: string, name?: string): TestResource;
}

/** `mocks` lets a test answer some calls differently (a subclass of the shared mocks). */
export async function evaluate(
  config: StackConfig,
  mocks = new RecordingMocks({ awsRegion: config.awsRegion }),
): Promise<Evaluation> {
  await mocks.install(PROJECT, config.stack);
  const outputs = buildProgram(config);
  await waitForRPCs();
  const resources: TestResource[] = await Promise.all(
    mocks.resources.map(async (r) => ({ ...r, inputs: (await settle(r.inputs)) as Record<string, any> })),
  );
  const invokes = [...mocks.invokes];
  const all = (type: string) => resources.filter((r) => r.type === type);
  return {
    config,
    outputs,
    resources,
    invokes,
    all,
    one(type: string, name?: string) {
      const found = all(type).filter((r) => name === undefined || r.name === name);
      if (found.length !== 1)
        throw new Error(
          `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
        );
      return found[0];
    },
  };
}
