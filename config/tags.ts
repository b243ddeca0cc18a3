import { PROJECT } from "./types";

/** Tags every taggable resource carries, so costs and ownership trace back to the stack. */
export function commonTags(stack: string): Record<string, string> {
  return { "project": PROJECT, "stack": stack, "managed-by": "pulumi" };
}
