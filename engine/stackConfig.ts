/**
 * `Pulumi.<stack>.yaml` read the way the Pulumi CLI reads it, down to the string `PULUMI_CONFIG`
 * carries for each key. The CLI decodes the file with Go's yaml.v3 into `any` and re-encodes each value
 * (pulumi/pulumi `sdk/go/common/resource/config/object.go`: `UnmarshalYAML` → `unmarshalObject` →
 * `MarshalString`); its typing differs from js-yaml's default schema, so we transcribe it:
 *
 * | YAML (plain, unquoted)      | yaml.v3 (`resolve.go`, `decode.go`)           | `PULUMI_CONFIG` string (top level / inside an object) |
 * |-----------------------------|-----------------------------------------------|--------------------------------------------------------|
 * | `2024-07-18`, `2024-07-18T10:00:00Z` | timestamp, kept as its text for `any` | `2024-07-18` / `"2024-07-18"`                          |
 * | `1`, `-7`, `1_000`          | int (`strconv.ParseInt(s, 0, 64)`)            | `1` / `1`                                              |
 * | `0613`                      | int, **octal** (YAML 1.1 compatibility): 395  | `395` / `395`                                          |
 * | `0619`                      | not octal → float 619                         | `619` / `619`                                          |
 * | `0x1F`, `0o17`, `0b101`     | int 31, 15, 5                                 | `31`, `15`, `5`                                        |
 * | `1.10`, `1e3`               | float 1.1, 1000 (Go's JSON float format)      | `1.1`, `1000`                                          |
 * | `1234567890123456789`       | int64, exact                                  | `1234567890123456789` (no float rounding)              |
 * | `true`/`True`/`TRUE`        | bool (`yes`, `on`, `y` stay strings in v3)    | `true` / `true`                                        |
 * | `~`, `null`, empty          | null                                          | `null`                                                 |
 * | `"1"`, `'0613'`, block text | string                                        | `1` / `"1"` (quoted stays a string)                    |
 * | `{secure: v1:…}`            | secret ciphertext                             | decrypted by the CLI; the key is listed in `PULUMI_CONFIG_SECRET_KEYS` |
 * | maps, sequences             | object / array                                | JSON, map keys sorted, `<>&` escaped as `\u003c`…      |
 *
 * Offline there is no decrypter: a secret keeps the placeholder `[secret]` (never the ciphertext), and
 * its key is still marked secret. Keys without a namespace get the project's (`azure` →
 * `dbx-aoai-link:azure`), as the CLI does for a project's stack file.
 */
import * as fs from "fs";
import * as YAML from "yaml";

/** What an offline secret reads as: never the ciphertext, never a real value. */
export const SECRET_PLACEHOLDER = "[secret]";

/** A config file the CLI would refuse, or a stack that does not exist: one line for the user. */
export class StackConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackConfigError";
  }
}

/** A typed config value as yaml.v3 hands it to Pulumi: ints stay exact (bigint), floats are numbers. */
export type CliValue =
  null | boolean | bigint | number | string | CliValue[] | { [key: string]: CliValue } | SecretValue;

/** A `secure:` value; offline it holds the placeholder only. */
export class SecretValue {
  readonly placeholder = SECRET_PLACEHOLDER;
}

export interface StackConfig {
  /** `namespace:key` → the string the CLI puts into `PULUMI_CONFIG` for it. */
  readonly values: Record<string, string>;
  /** Keys whose value is (or contains) a secret, as in `PULUMI_CONFIG_SECRET_KEYS`. */
  readonly secretKeys: string[];
}

const TIMESTAMP = [
  /^\d{4}-\d{1,2}-\d{1,2}$/, // 2006-1-2
  /^\d{4}-\d{1,2}-\d{1,2}[Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  /^\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?$/,
];
/** yaml.v3's `yamlStyleFloat`. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's `strconv.ParseInt(s, 0, 64)` and, past int64, `ParseUint`: the prefixes, and a leading 0 as octal. */
function parseGoInt(text: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  const [, sign, digits] = m;
  const lower = digits.toLowerCase();
  const magnitude =
    lower.startsWith("0x") || lower.startsWith("0b")
      ? BigInt(lower)
      : lower.startsWith("0o")
        ? BigInt(lower)
        : lower.length > 1 && lower.startsWith("0")
          ? BigInt(`0o${lower.slice(1)}`)
          : BigInt(lower);
  const value = sign === "-" ? -magnitude : magnitude;
  if (value > UINT64_MAX || value < -(INT64_MAX + 1n)) return undefined;
  return value;
}

/** The type yaml.v3 gives a plain (unquoted) scalar when decoding into `any`. */
export function resolvePlainScalar(text: string): CliValue {
  switch (text) {
    case "true":
    case "True":
    case "TRUE":
      return true;
    case "false":
    case "False":
    case "FALSE":
      return false;
    case "":
    case "~":
    case "null":
    case "Null":
    case "NULL":
      return null;
  }
  if (/^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$/.test(text)) {
    throw new StackConfigError(
      `${text} is not a number Pulumi can store (JSON has no ${text}). Fix: quote it if you mean the text.`,
    );
  }
  if (!/^[-+.0-9]/.test(text)) return text;
  if (/^[0-9]/.test(text) && TIMESTAMP.some((re) => re.test(text))) return text; // kept as text for `any`
  const plain = text.replace(/_/g, "");
  const int = parseGoInt(plain);
  if (int !== undefined) {
    if (int > INT64_MAX)
      throw new StackConfigError(
        `${text} does not fit a signed 64-bit integer, which Pulumi's config cannot hold. Fix: quote it.`,
      );
    return int;
  }
  if (YAML_STYLE_FLOAT.test(plain)) return Number(plain);
  return text;
}

/** Go's `encoding/json` string escaping (HTML-safe by default). */
function goJsonString(s: string): string {
  return JSON.stringify(s)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Go's `json.Marshal` of the decoded value: map keys sorted, ints exact, secrets as their placeholder. */
export function goJson(value: CliValue): string {
  if (value === null) return "null";
  if (value instanceof SecretValue) return goJsonString(value.placeholder);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return String(value); // same 'f'/'e' switch points as Go (1e-6, 1e21)
  if (typeof value === "boolean") return String(value);
  if (typeof value === "string") return goJsonString(value);
  if (Array.isArray(value)) return `[${value.map(goJson).join(",")}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${goJsonString(k)}:${goJson(value[k])}`)
    .join(",")}}`;
}

/** `MarshalString`: scalars as their text, everything else as JSON. */
export function configString(value: CliValue): string {
  if (typeof value === "string") return value;
  if (value instanceof SecretValue) return value.placeholder;
  return goJson(value);
}

function containsSecret(value: CliValue): boolean {
  if (value instanceof SecretValue) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value && typeof value === "object" && typeof value !== "bigint") return Object.values(value).some(containsSecret);
  return false;
}

function isSecureMap(node: YAML.YAMLMap): boolean {
  return (
    node.items.length === 1 &&
    YAML.isScalar(node.items[0].key) &&
    String(node.items[0].key.value) === "secure" &&
    YAML.isScalar(node.items[0].value) &&
    typeof node.items[0].value.value === "string"
  );
}

/** A YAML node as yaml.v3 decodes it into `any`. */
function decode(node: unknown, doc: YAML.Document): CliValue {
  if (node === null || node === undefined) return null;
  if (YAML.isAlias(node)) return decode(node.resolve(doc), doc);
  if (YAML.isScalar(node)) {
    if (node.type === "PLAIN") return resolvePlainScalar(node.source ?? String(node.value ?? ""));
    return String(node.value);
  }
  if (YAML.isSeq(node)) return node.items.map((item) => decode(item, doc));
  if (YAML.isMap(node)) {
    if (isSecureMap(node)) return new SecretValue();
    const out: { [key: string]: CliValue } = {};
    for (const pair of node.items) {
      const key = decode(pair.key, doc);
      out[key === null ? "" : configString(key)] = decode(pair.value, doc);
    }
    return out;
  }
  throw new StackConfigError(`unsupported YAML node ${String(node)}`);
}

/** One line: `file:line:col: what is wrong`, from the parser's first error. */
function syntaxError(file: string, error: YAML.YAMLError): StackConfigError {
  const where = error.linePos ? `:${error.linePos[0].line}:${error.linePos[0].col}` : "";
  const what = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  const fix =
    error.code === "TAB_AS_INDENT"
      ? "indent with spaces"
      : error.code === "DUPLICATE_KEY"
        ? "keep one of the two keys"
        : "correct the YAML there";
  return new StackConfigError(`${file}${where}: ${what}. Fix: ${fix}.`);
}

/** Parses a stack file's text into the config map the CLI hands a program. */
export function parseStackConfig(text: string, project: string, file = "Pulumi.<stack>.yaml"): StackConfig {
  const doc = YAML.parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) throw syntaxError(file, doc.errors[0]);
  const root = decode(doc.contents, doc);
  if (root === null) return { values: {}, secretKeys: [] };
  if (typeof root !== "object" || Array.isArray(root) || root instanceof SecretValue || typeof root === "bigint") {
    throw new StackConfigError(
      `${file}: the file must be a YAML map with a \`config:\` key. Fix: start it with \`config:\`.`,
    );
  }
  const config = (root as Record<string, CliValue>).config ?? {};
  if (config === null) return { values: {}, secretKeys: [] };
  if (
    typeof config !== "object" ||
    Array.isArray(config) ||
    config instanceof SecretValue ||
    typeof config === "bigint"
  ) {
    throw new StackConfigError(
      `${file}: \`config\` must be a map of keys to values. Fix: indent each key under \`config:\`.`,
    );
  }
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, value] of Object.entries(config as Record<string, CliValue>)) {
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    values[key] = configString(value);
    if (containsSecret(value)) secretKeys.push(key);
  }
  return { values, secretKeys };
}

/** Reads `Pulumi.<stack>.yaml`; a missing or unreadable file is a one-line `StackConfigError`. */
export function readStackConfig(file: string, project: string): StackConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new StackConfigError(
      `${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`,
    );
  }
  return parseStackConfig(text, project, file.split("/").pop());
}

/**
 * `PULUMI_CONFIG` as the Node.js language host builds it: each key rewritten to `<namespace>:config:<name>`
 * (pulumi-language-nodejs `constructConfig`; the SDK's `cleanKey` undoes it).
 */
export function pulumiConfigEnv(config: StackConfig): { PULUMI_CONFIG: string; PULUMI_CONFIG_SECRET_KEYS: string } {
  const transformed: Record<string, string> = {};
  for (const [key, value] of Object.entries(config.values)) {
    const at = key.indexOf(":");
    transformed[`${key.slice(0, at)}:config:${key.slice(at + 1)}`] = value;
  }
  return { PULUMI_CONFIG: JSON.stringify(transformed), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(config.secretKeys) };
}
