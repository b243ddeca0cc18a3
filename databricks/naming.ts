/** Names Databricks constrains, derived from one base name so two stacks never collide. Pure. */
import * as crypto from "crypto";

/** Fits `base` into `max` characters of `allowed`, keeping it unique with a short hash when cut. */
function fit(base: string, max: number, allowed: RegExp): string {
  const clean = base.replace(new RegExp(`[^${allowed.source}]`, "g"), "-");
  if (clean.length <= max) return clean;
  const hash = crypto.createHash("sha256").update(base).digest("hex").slice(0, 6);
  return `${clean.slice(0, max - hash.length - 1)}-${hash}`;
}

/** The base of the account-level names when no `namePrefix` is set (the names stacks have always had). */
export function defaultDatabricksBase(stack: string): string {
  return `aoai-link-${stack}`;
}

/** NCC names: `^[0-9a-zA-Z-_]{3,30}$`. */
export function nccName(base: string): string {
  return fit(base, 30, /0-9a-zA-Z_-/);
}

/** Network policy ids: `^[a-zA-Z0-9_.-]{1,32}$`; `default-policy` is reserved. */
export function networkPolicyId(base: string): string {
  return fit(base, 32, /a-zA-Z0-9_.-/);
}

/** Secret scope names: letters, digits, dashes, underscores, periods; at most 128. */
export function secretScopeName(base: string): string {
  return fit(base, 128, /a-zA-Z0-9_.-/);
}
