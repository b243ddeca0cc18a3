/**
 * Pure half of `npm run verify`: argument parsing, picking the values to check from stack outputs and
 * stack config, reading REST answers into check results, and the printed report. No I/O here, so every
 * message is tested as text; `verify.ts` does the calls.
 */
import { type PrivateEndpointRule, type RuleLocation } from "../databricks/accountApi";
import { databricksRegionFacts } from "../databricks/regions";

const DEFAULT_ACCOUNT_HOST = databricksRegionFacts("us-east-1")!.accountHost;
import { describeRuleState } from "../databricks/rulePoller";
import { FQDN_ALLOW_DECISION } from "../databricks/fqdnDecision";

/** Environment variables that override hosts (tests point them at 127.0.0.1). */
export const HOST_ENV = { accountHost: "DBX_AOAI_ACCOUNT_HOST", workspaceUrl: "DBX_AOAI_WORKSPACE_URL" } as const;

/** Azure OpenAI's answer to a caller outside its network ACL (HTTP 403). */
export const AZURE_FIREWALL_DENIED = "Access denied due to Virtual Network/Firewall rules";

/** The one chat message sent: one output token is enough to prove the path end to end. */
export const PING_REQUEST = { messages: [{ role: "user", content: "ping" }], max_tokens: 1 } as const;

/** Databricks asks to allow about ten minutes after a rule is ESTABLISHED before serverless uses it. */
export const DEFAULT_PROPAGATION_SECONDS = 600;
/** How long verify waits for a PENDING rule to become ESTABLISHED (the program accepts it during `up`). */
export const DEFAULT_ESTABLISH_WAIT_SECONDS = 600;

export const VERIFY_USAGE = `Usage: npm run verify -- --stack [ORG/]NAME [options]
  --stack [ORG/]NAME    stack to check (reads \`pulumi stack output\` and Pulumi.NAME.yaml)
  --outputs FILE        read the outputs from FILE (JSON of \`pulumi stack output --json\`) instead
  --project-dir DIR     folder holding Pulumi.NAME.yaml (default: current folder)
  --account-host URL    Databricks account host (env ${HOST_ENV.accountHost}; default from the stack config)
  --workspace-url URL   workspace the job runs in (env ${HOST_ENV.workspaceUrl}; default servingEndpoint.workspaceUrl)
  --establish-wait S    wait up to S seconds for a PENDING rule to become ESTABLISHED (default ${DEFAULT_ESTABLISH_WAIT_SECONDS})
  --propagation-wait S  wait up to S seconds after ESTABLISHED before probing (default ${DEFAULT_PROPAGATION_SECONDS})
  --no-job              skip the serverless job probe
Credentials: DATABRICKS_CLIENT_ID + DATABRICKS_CLIENT_SECRET, or DATABRICKS_TOKEN, from the environment or
the stack config (databricks:clientId, databricks:clientSecret, databricks:token).
Exit code: 0 every check passed, 1 a check failed, 2 verify could not start (usage, outputs, credentials,
an unreachable host).`;

export interface VerifyArgs {
  readonly stack: string;
  readonly outputsFile?: string;
  readonly projectDir: string;
  readonly accountHost?: string;
  readonly workspaceUrl?: string;
  readonly establishWaitSeconds: number;
  readonly propagationWaitSeconds: number;
  readonly job: boolean;
  readonly help: boolean;
}

const VALUE_FLAGS = {
  "--establish-wait": "establishWait",
  "--propagation-wait": "propagationWait",
  "--stack": "stack",
  "--outputs": "outputsFile",
  "--project-dir": "projectDir",
  "--account-host": "accountHost",
  "--workspace-url": "workspaceUrl",
} as const;

/** Reads `--flag value` and `--flag=value`; flags beat the environment. Throws on anything unknown. */
export function parseVerifyArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): VerifyArgs {
  const values: Partial<Record<(typeof VALUE_FLAGS)[keyof typeof VALUE_FLAGS], string>> = {};
  let help = false;
  let job = true;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === "--help" || flag === "-h") {
      help = true;
      continue;
    }
    if (flag === "--no-job") {
      job = false;
      continue;
    }
    if (!(flag in VALUE_FLAGS)) throw new Error(`Unknown argument ${argv[i]}\n${VERIFY_USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === "") throw new Error(`${flag} needs a value\n${VERIFY_USAGE}`);
    values[VALUE_FLAGS[flag as keyof typeof VALUE_FLAGS]] = value;
  }
  if (!help && !values.stack) throw new Error(`--stack [ORG/]NAME is required\n${VERIFY_USAGE}`);
  return {
    stack: values.stack ?? "",
    outputsFile: values.outputsFile,
    projectDir: values.projectDir ?? ".",
    accountHost: values.accountHost ?? env[HOST_ENV.accountHost],
    workspaceUrl: values.workspaceUrl ?? env[HOST_ENV.workspaceUrl],
    establishWaitSeconds: seconds("--establish-wait", values.establishWait, DEFAULT_ESTABLISH_WAIT_SECONDS),
    propagationWaitSeconds: seconds("--propagation-wait", values.propagationWait, DEFAULT_PROPAGATION_SECONDS),
    job,
    help,
  };
}

function seconds(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`${flag} ${value}: give a number of seconds (0 or more)\n${VERIFY_USAGE}`);
  return n;
}

/** `org/name` or `org/project/name` → the file Pulumi reads: `Pulumi.name.yaml`. */
export function stackFileName(stack: string): string {
  return `Pulumi.${stack.split("/").pop()}.yaml`;
}

/** The `dbx-aoai-link:databricks` part of Pulumi.<stack>.yaml that verify reads. */
export interface DatabricksStackConfig {
  readonly accountId?: string;
  readonly accountHost?: string;
  readonly workspaceIds?: readonly string[];
  readonly enforcement?: "ENFORCED" | "DRY_RUN";
  /** networkPolicy.allowAzureOpenAiFqdn (default FQDN_ALLOW_DECISION.default). */
  readonly allowAzureOpenAiFqdn?: boolean;
  readonly servingEndpoint?: { readonly workspaceUrl?: string; readonly name?: string };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Everything the checks need, resolved. `serving` is absent when no serving endpoint is configured. */
export interface VerifyTargets extends RuleLocation {
  readonly stack: string;
  readonly azureOpenAiFqdn: string;
  /** Every account's FQDN, the primary first (output azureOpenAiFqdns; older stacks: the primary only). */
  readonly azureOpenAiFqdns: readonly string[];
  readonly egressIps: readonly string[];
  readonly networkPolicyId: string;
  /** The workspaces the NCC and the policy are attached to (databricks.workspaceIds). */
  readonly workspaceIds: readonly string[];
  readonly enforcement: "ENFORCED" | "DRY_RUN";
  /** Whether the policy lists our FQDN among its allowed destinations (the switch the probes judge). */
  readonly allowAzureOpenAiFqdn: boolean;
  /** The workspace the job probe runs in: the serving workspace, the only one whose URL the config has. */
  readonly workspaceUrl?: string;
  readonly serving?: { readonly workspaceUrl: string; readonly name: string };
  /** The serving endpoint's secret scope and the principals its ACL may name (outputs secretScopeName, secretScopePrincipals). */
  readonly secretScope?: { readonly name: string; readonly principals: readonly string[] };
}

/**
 * Combines the outputs the program exports (nccId, privateEndpointRuleId, networkPolicyId,
 * azureOpenAiFqdn, egressIps, servingEndpointName) with the stack config (account id and host,
 * workspaces, enforcement, workspace URL) and the flag/env overrides of hosts.
 */
export function resolveTargets(
  args: VerifyArgs,
  outputs: Readonly<Record<string, unknown>>,
  config: DatabricksStackConfig,
): VerifyTargets {
  const present = Object.keys(outputs).sort().join(", ") || "none";
  const need = (key: string): string => {
    const value = text(outputs[key]);
    if (value) return value;
    throw new Error(
      `Stack ${args.stack} has no output "${key}" (outputs present: ${present}). ` +
        "Run `pulumi up` for this stack first, or pass the right --stack / --outputs.",
    );
  };
  const egressIps = outputs.egressIps;
  if (!Array.isArray(egressIps) || egressIps.length === 0 || !egressIps.every((ip) => typeof ip === "string")) {
    throw new Error(
      `Stack ${args.stack} has no output "egressIps" as a list of addresses (outputs present: ${present}).`,
    );
  }
  const accountId = config.accountId;
  if (!accountId) {
    throw new Error(
      `No Databricks account id: verify reads dbx-aoai-link:databricks.accountId from ${stackFileName(args.stack)} ` +
        `in ${args.projectDir}; run it from the project folder or pass --project-dir.`,
    );
  }
  const name = text(outputs.servingEndpointName) ?? config.servingEndpoint?.name;
  const workspaceUrl = args.workspaceUrl ?? config.servingEndpoint?.workspaceUrl;
  if (name && !workspaceUrl) {
    throw new Error(
      `Serving endpoint ${name} has no workspace URL: set dbx-aoai-link:databricks.servingEndpoint.workspaceUrl ` +
        `in Pulumi.${args.stack}.yaml, or pass --workspace-url.`,
    );
  }
  return {
    stack: args.stack,
    accountHost: args.accountHost ?? config.accountHost ?? DEFAULT_ACCOUNT_HOST,
    accountId,
    nccId: need("nccId"),
    ruleId: need("privateEndpointRuleId"),
    azureOpenAiFqdn: need("azureOpenAiFqdn"),
    azureOpenAiFqdns: fqdnsOf(outputs, need("azureOpenAiFqdn")),
    egressIps: egressIps as string[],
    networkPolicyId: need("networkPolicyId"),
    workspaceIds: config.workspaceIds ?? [],
    enforcement: config.enforcement ?? "ENFORCED",
    allowAzureOpenAiFqdn: config.allowAzureOpenAiFqdn ?? FQDN_ALLOW_DECISION.default,
    workspaceUrl,
    serving: name && workspaceUrl ? { workspaceUrl, name } : undefined,
    secretScope: secretScopeOf(outputs),
  };
}

/** Every account's FQDN; a stack last deployed before the plural output has only the primary's. */
function fqdnsOf(outputs: Readonly<Record<string, unknown>>, primary: string): string[] {
  const all = outputs.azureOpenAiFqdns;
  return Array.isArray(all) && all.length > 0 && all.every((f) => typeof f === "string")
    ? (all as string[])
    : [primary];
}

/** Both outputs, or none (a stack last deployed before the ACL was declared). */
function secretScopeOf(outputs: Readonly<Record<string, unknown>>): VerifyTargets["secretScope"] {
  const name = text(outputs.secretScopeName);
  const principals = outputs.secretScopePrincipals;
  if (!name || !Array.isArray(principals) || !principals.every((p) => typeof p === "string")) return undefined;
  return { name, principals: principals as string[] };
}

export interface CheckResult {
  readonly status: "pass" | "fail" | "skip";
  readonly title: string;
  readonly details: readonly string[];
}

/** Check titles, one place so the I/O side's failures read like the judged ones. */
export const TITLES = {
  ruleEstablished: (ruleId: string) => `private endpoint rule ${ruleId} is ESTABLISHED`,
  ruleRoutes: (fqdn: string) => `rule routes ${fqdn}`,
  servingReady: (name: string) => `serving endpoint ${name} is READY`,
  servingAnswers: (name: string) => `serving endpoint ${name} answers a chat query`,
} as const;

const pass = (title: string, ...details: string[]): CheckResult => ({ status: "pass", title, details });
const fail = (title: string, ...details: string[]): CheckResult => ({ status: "fail", title, details });

/** A check whose REST call failed before there was anything to judge. */
export function unreachable(title: string, error: string, hint: string): CheckResult {
  return fail(title, `request failed: ${error}`, hint);
}

/** The rule must be ESTABLISHED, and route every account's Azure OpenAI FQDN. */
export function ruleChecks(rule: PrivateEndpointRule, targets: VerifyTargets): CheckResult[] {
  const stateTitle = TITLES.ruleEstablished(targets.ruleId);
  const state = rule.connection_state;
  const endpoint = `VPC endpoint ${rule.vpc_endpoint_id || "(none yet)"} to ${rule.endpoint_service || "?"}`;
  const stateCheck =
    state === "ESTABLISHED"
      ? pass(stateTitle, endpoint)
      : fail(
          stateTitle,
          describeRuleState(state, rule.error_message),
          endpoint,
          "Until it is ESTABLISHED serverless compute does not use the endpoint (and a network policy " +
            "that allows the domain sends it over Databricks' own public egress, which Azure's firewall rejects).",
        );
  const domains = typeof rule.domain_names === "string" ? [rule.domain_names] : [...(rule.domain_names ?? [])];
  const domainChecks = targets.azureOpenAiFqdns.map((fqdn) =>
    domains.some((d) => d.toLowerCase() === fqdn.toLowerCase())
      ? pass(TITLES.ruleRoutes(fqdn))
      : fail(
          TITLES.ruleRoutes(fqdn),
          `the rule's domain names are [${domains.join(", ")}]; run \`pulumi up\` to set them`,
        ),
  );
  return [stateCheck, ...domainChecks];
}

/** `GET /api/2.0/serving-endpoints/{name}`: `state.ready` must be READY. */
export function servingStateCheck(endpoint: unknown, name: string): CheckResult {
  const title = TITLES.servingReady(name);
  const state = record(record(endpoint).state);
  if (state.ready === "READY") return pass(title);
  return fail(
    title,
    `state.ready is ${String(state.ready ?? "missing")}, config update ${String(state.config_update ?? "unknown")}`,
    "Wait for the update to finish, or open Serving → the endpoint in the workspace for its events.",
  );
}

/** The answer to the ping: 2xx passes; Azure's firewall 403 gets the allow list to compare. */
export function invocationCheck(status: number, body: string, targets: VerifyTargets): CheckResult {
  const title = TITLES.servingAnswers(targets.serving?.name ?? "?");
  if (status >= 200 && status < 300) {
    const model = text(record(safeJson(body)).model);
    return pass(title, ...(model ? [`model ${model}`] : []));
  }
  if (body.toLowerCase().includes(AZURE_FIREWALL_DENIED.toLowerCase())) {
    return fail(
      title,
      `Azure OpenAI's firewall rejected the call (HTTP ${status}, "${AZURE_FIREWALL_DENIED}"): ` +
        "the address it came from is not in the account's network ACL.",
      `The network ACL (ipRules) of the account behind ${targets.azureOpenAiFqdns.length > 1 ? `the endpoint's deployment (one of ${targets.azureOpenAiFqdns.join(", ")})` : targets.azureOpenAiFqdn} should hold every pool ` +
        `address: ${targets.egressIps.join(", ")}`,
      "Check: the rule above is ESTABLISHED and routes this FQDN (else serverless bypasses the proxies); each " +
        "proxy instance carries a pool EIP (launch hook Lambda logs, EC2 → Elastic IPs); the account's Networking " +
        "page lists exactly these addresses (`pulumi refresh` then `pulumi up` if they drifted).",
    );
  }
  return fail(title, `HTTP ${status}: ${body.slice(0, 300)}`);
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

const MARK = { pass: "✔", fail: "✘", skip: "–" } as const;

/** The printed report: a line per check, indented details, and a summary. */
export function formatReport(targets: VerifyTargets, results: readonly CheckResult[]): string {
  const lines = [`Verifying stack ${targets.stack}: account ${targets.accountId}, NCC ${targets.nccId}`];
  for (const result of results) {
    lines.push(`${MARK[result.status]} ${result.title}`, ...result.details.map((d) => `    ${d}`));
  }
  const failed = results.filter((r) => r.status === "fail").length;
  const run = results.filter((r) => r.status !== "skip").length;
  lines.push(failed === 0 ? `All ${run} checks passed.` : `${failed} of ${run} checks failed.`);
  return lines.join("\n");
}

/** 0 only when nothing failed. */
export function exitCodeOf(results: readonly CheckResult[]): number {
  return results.some((r) => r.status === "fail") ? 1 : 0;
}

export const skipped = (title: string, why: string): CheckResult => ({ status: "skip", title, details: [why] });

/**
 * Milliseconds of the propagation time still to wait for an ESTABLISHED rule last changed at
 * `updated_time` (epoch ms; unknown means long ago), capped at `maxSeconds`.
 */
export function propagationLeftMs(rule: PrivateEndpointRule, now: number, maxSeconds: number): number {
  const changed = Number(rule.updated_time);
  if (!Number.isFinite(changed) || changed <= 0) return 0;
  return Math.max(0, Math.min(maxSeconds * 1000, changed + maxSeconds * 1000 - now));
}
