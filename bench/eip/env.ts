import { ENV_VARS } from "../../lambda/contract";
import { TEST_ASG, TEST_HOOK, TEST_TAG_KEY } from "./lifecycleEvents";

/** The environment the wiring gives the function, with the test group, hook and pool tag. */
export const TEST_ENV: Record<string, string | undefined> = {
  [ENV_VARS.EIP_TAG_KEY]: TEST_TAG_KEY,
  [ENV_VARS.ASG_NAME]: TEST_ASG,
  [ENV_VARS.LIFECYCLE_HOOK_NAMES]: TEST_HOOK,
};

/** Sets variables (undefined unsets) and returns a function that puts the previous values back. */
export function setEnv(values: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (next: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(next)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  return () => apply(previous);
}
