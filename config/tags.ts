import { PROJECT } from "./types";
import type { IssueCollector } from "./issues";
import { configKey } from "./keys";
import { AUTH_TAG_KEY } from "../azure/entraAuth";

/** Tag keys the program sets itself; a user tag may not take them. */
export const RESERVED_TAG_KEYS = ["Name", "project", "stack", "managed-by", AUTH_TAG_KEY] as const;
/** AWS allows 50 tags per resource, Azure 50: room left after ours (the reserved keys plus the EIP pool key). */
export const MAX_USER_TAGS = 50 - RESERVED_TAG_KEYS.length - 1;

/**
 * Characters both clouds accept: AWS allows letters, digits, spaces and `_ . : / = + - @`; Azure tag
 * names may not hold `< > % & \ ? /`. So keys lose the `/`, values keep it. AWS: key ≤ 128, value ≤ 256.
 * (docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html; learn.microsoft.com azure-resource-manager
 * "tag-resources#limitations")
 */
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/**
 * Tags every taggable resource carries, so costs and ownership trace back to the stack: the user's
 * `tags` (cost centre, owner, ...), then ours, which the user may not override.
 */
export function commonTags(stack: string, userTags: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...userTags, project: PROJECT, stack: stack, "managed-by": "pulumi" };
}

/** Reads top-level `tags`: a mapping of tag key → string value, valid in AWS, Azure and Databricks. */
export function readTags(c: IssueCollector, value: unknown): Record<string, string> | undefined {
  const key = configKey("tags");
  const o = c.object(key, value ?? {}, false);
  if (!o) return undefined;
  const entries = Object.entries(o);
  let ok = true;
  if (entries.length > MAX_USER_TAGS) {
    c.add(
      key,
      `${entries.length} tags`,
      `is over the ${MAX_USER_TAGS} tags left per resource (AWS and Azure allow 50; the program sets up to ${RESERVED_TAG_KEYS.length + 1})`,
      `keep at most ${MAX_USER_TAGS} tags`,
    );
    ok = false;
  }
  for (const [name, v] of entries) {
    const at = `${key}.${name}`;
    if ((RESERVED_TAG_KEYS as readonly string[]).includes(name)) {
      c.add(at, v, "is a tag key the program sets itself", `choose another key than ${RESERVED_TAG_KEYS.join(", ")}`);
      ok = false;
    } else if (!TAG_KEY.test(name) || name.toLowerCase().startsWith("aws:")) {
      c.add(
        at,
        v,
        "has a tag key AWS or Azure refuses",
        "use 1-128 letters, digits, spaces and _ . : = + - @ (no /, no aws: prefix)",
      );
      ok = false;
    } else if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
      c.add(at, v, "must be a text value", "quote the value in YAML");
      ok = false;
    } else if (!TAG_VALUE.test(String(v))) {
      c.add(at, v, "is a tag value AWS refuses", "use at most 256 letters, digits, spaces and _ . : / = + - @");
      ok = false;
    }
  }
  return ok ? Object.fromEntries(entries.map(([name, v]) => [name, String(v)])) : undefined;
}
