import { ENV_VARS, REJECTION_TIMING } from "./contract";
import type { ReconcileSettings } from "./reconcile";

/**
 * Reads the settings from the environment. A missing service or parameter is a deployment error: the
 * function throws rather than judge connections of a service it was not given.
 */
export function readSettings(env: NodeJS.ProcessEnv): ReconcileSettings {
  return {
    serviceId: required(env, ENV_VARS.SERVICE_ID),
    parameterName: required(env, ENV_VARS.OUR_ENDPOINT_PARAMETER),
    timing: {
      settleSeconds: seconds(env, ENV_VARS.SETTLE_SECONDS, REJECTION_TIMING.settleSeconds),
      graceSeconds: seconds(env, ENV_VARS.GRACE_SECONDS, REJECTION_TIMING.graceSeconds),
    },
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}

/** A window shorter than the default would risk rejecting our own new endpoint: only longer ones are taken. */
function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < fallback) {
    throw new Error(`environment variable ${name} = ${raw}: must be a whole number of seconds ≥ ${fallback}`);
  }
  return value;
}
