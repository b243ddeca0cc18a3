import { ENV_VARS } from "./contract";

/** What the deployment tells the function: which pool, which group, which hook. */
export interface Settings {
  eipTagKey: string;
  asgName: string;
  lifecycleHookName: string;
}

/**
 * Reads the settings from the environment. A missing value is a deployment error, so it throws rather
 * than guessing: without ASG_NAME or the hook name the function could complete other groups' actions.
 */
export function readSettings(env: NodeJS.ProcessEnv): Settings {
  return {
    eipTagKey: required(env, ENV_VARS.EIP_TAG_KEY),
    asgName: required(env, ENV_VARS.ASG_NAME),
    lifecycleHookName: required(env, ENV_VARS.LIFECYCLE_HOOK_NAME),
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}
