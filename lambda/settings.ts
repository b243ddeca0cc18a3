import { ENV_VARS } from "./contract";

/** What the deployment tells the function: which pool, which group, which hook. */
export interface Settings {
  eipTagKey: string;
  asgName: string;
  /** The launch hooks whose actions it settles (the group's initial hook, and a renamed one). */
  lifecycleHookNames: readonly string[];
}

/**
 * Reads the settings from the environment. A missing value is a deployment error, so it throws rather
 * than guessing: without ASG_NAME or the hook name the function could complete other groups' actions.
 */
export function readSettings(env: NodeJS.ProcessEnv): Settings {
  return {
    eipTagKey: required(env, ENV_VARS.EIP_TAG_KEY),
    asgName: required(env, ENV_VARS.ASG_NAME),
    lifecycleHookNames: names(required(env, ENV_VARS.LIFECYCLE_HOOK_NAMES), ENV_VARS.LIFECYCLE_HOOK_NAMES),
  };
}

/** A comma-separated list with at least one name. */
function names(value: string, variable: string): string[] {
  const list = value
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if (list.length === 0) throw new Error(`environment variable ${variable} names no hook`);
  return list;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}
