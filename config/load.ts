/** Reads the stack config from the Pulumi runtime once and validates it before any resource exists. */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "./issues";
import { PROJECT, type StackConfig } from "./types";
import { validateStackConfig } from "./validate";

/**
 * Pulumi hands config over as strings keyed `namespace:key`; structured values (our blocks) are
 * JSON text. Parse those so validation sees the values the user wrote.
 */
export function parseRawConfig(all: Readonly<Record<string, string>>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(all)) {
    if (!key.startsWith(`${PROJECT}:`)) {
      raw[key] = text;
      continue;
    }
    try {
      raw[key] = JSON.parse(text);
    } catch {
      raw[key] = text;
    }
  }
  return raw;
}

/**
 * The validated, frozen config of the current stack. A bad config ends the program with a
 * `RunError`: Pulumi prints its message without a stack trace.
 */
export function loadStackConfig(): StackConfig {
  const stack = pulumi.getStack();
  try {
    return validateStackConfig(stack, parseRawConfig(pulumi.runtime.allConfig()), undefined, process.env);
  } catch (e) {
    if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
}
