/**
 * Collecting config problems. Each problem names the key, the bad value and the fix, and all of
 * them are reported at once, before any resource is registered.
 */
import { formatProblem } from "../net/optionError";

export interface ConfigIssue {
  /** Full key path, e.g. `dbx-aoai-link:proxy.maxSize`. */
  readonly key: string;
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
}

/**
 * How to make a value a string: quote it in the stack file, or, when it was typed by
 * `pulumi config set --path` (which stores numbers and booleans as such), set it again with `--type string`.
 */
export function quoteFix(key: string, value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `quote the value in YAML ("${text}"), or set it with \`pulumi config set --path --type string '${key}' '${text}'\``;
}

export function formatIssue(issue: ConfigIssue): string {
  return formatProblem(issue.key, issue.value, issue.problem, issue.fix);
}

/** Thrown by validation; its message lists every problem, one per line. */
export class ConfigError extends Error {
  constructor(
    readonly issues: readonly ConfigIssue[],
    readonly source: string,
  ) {
    super(
      `Invalid stack config (${source}): ${issues.length} problem${issues.length === 1 ? "" : "s"}\n` +
        issues.map((i) => `  - ${formatIssue(i)}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** Levenshtein distance, for "did you mean" hints on misspelt keys. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Accumulates issues and reads typed fields from untyped config objects. */
export class IssueCollector {
  readonly issues: ConfigIssue[] = [];

  add(key: string, value: unknown, problem: string, fix: string): void {
    this.issues.push({ key, value, problem, fix });
  }

  /** Reports keys of `obj` that are not in `known`, with a "did you mean". */
  unknownKeys(path: string, obj: Record<string, unknown>, known: readonly string[]): void {
    for (const k of Object.keys(obj)) {
      if (known.includes(k)) continue;
      const guess = closest(k, known);
      this.add(
        `${path}.${k}`,
        obj[k],
        "unknown key (a typo would otherwise be silently ignored)",
        guess
          ? `did you mean "${guess}"? Known keys: ${known.join(", ")}`
          : `remove it; known keys: ${known.join(", ")}`,
      );
    }
  }

  object(key: string, value: unknown, required: boolean): Record<string, unknown> | undefined {
    if (value === undefined || value === null) {
      if (required)
        this.add(
          key,
          value,
          "is required",
          `add the \`${key.split(":").pop()}\` block to the stack config (see README "Configuration reference")`,
        );
      return undefined;
    }
    if (typeof value !== "object" || Array.isArray(value)) {
      this.add(key, value, "must be a mapping of keys", "write it as a YAML mapping (key: value lines)");
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  /** `pattern` is a RegExp or any rule with the same `test` method (e.g. one from net/dnsName.ts). */
  string(
    key: string,
    value: unknown,
    opts: {
      required?: boolean;
      default?: string;
      pattern?: { test(text: string): boolean };
      describe?: string;
      fix?: string;
    } = {},
  ): string | undefined {
    if (value === undefined || value === null || value === "") {
      if (opts.default !== undefined) return opts.default;
      if (opts.required) this.add(key, value, "is required", opts.fix ?? `set it (${opts.describe ?? "a string"})`);
      return undefined;
    }
    if (typeof value !== "string") {
      this.add(key, value, `must be a string (${opts.describe ?? "text"})`, quoteFix(key, value));
      return undefined;
    }
    if (opts.pattern && !opts.pattern.test(value)) {
      this.add(
        key,
        value,
        `is not ${opts.describe ?? `of the form ${opts.pattern}`}`,
        opts.fix ?? `use ${opts.describe}`,
      );
      return undefined;
    }
    return value;
  }

  integer(
    key: string,
    value: unknown,
    opts: { default?: number; min?: number; max?: number; fix?: string } = {},
  ): number | undefined {
    if (value === undefined || value === null) {
      if (opts.default !== undefined) return opts.default;
      this.add(key, value, "is required", opts.fix ?? "set it to a whole number");
      return undefined;
    }
    const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof n !== "number" || !Number.isInteger(n)) {
      this.add(key, value, "must be a whole number", opts.fix ?? "write a whole number without quotes or units");
      return undefined;
    }
    if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
      const range =
        opts.max === undefined
          ? `≥ ${opts.min}`
          : opts.min === undefined
            ? `≤ ${opts.max}`
            : `between ${opts.min} and ${opts.max}`;
      this.add(key, value, `must be ${range}`, opts.fix ?? `choose a value ${range}`);
      return undefined;
    }
    return n;
  }

  boolean(key: string, value: unknown, defaultValue: boolean): boolean {
    if (value === undefined || value === null) return defaultValue;
    if (value === true || value === "true") return true;
    if (value === false || value === "false") return false;
    this.add(key, value, "must be true or false", "write true or false without quotes");
    return defaultValue;
  }

  array(key: string, value: unknown, opts: { required?: boolean } = {}): unknown[] | undefined {
    if (value === undefined || value === null) {
      if (opts.required) this.add(key, value, "is required", "add a YAML list with at least one entry");
      return opts.required ? undefined : [];
    }
    if (!Array.isArray(value)) {
      this.add(key, value, "must be a list", 'write it as a YAML list ([a, b] or lines starting with "- ")');
      return undefined;
    }
    return value;
  }
}
