/**
 * I/O half of `npm run verify -- --stack [ORG/]NAME`: reads the stack outputs (`pulumi stack output`
 * or `--outputs FILE`) and Pulumi.<name>.yaml, calls the Databricks account and workspace REST APIs,
 * runs the serverless job probe, and prints the report from `verifyReport.ts`. Exit code 0 only when
 * every check passed, 1 when one failed, 2 when it could not start (usage, missing outputs, no
 * credentials, an account host that gives no HTTP answer).
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  DatabricksHttpError,
  bearerSource,
  credentialValuesFromEnv,
  requestJson,
  resolveCredentials,
  trimHost,
  type AuthHeaderSource,
  type CredentialValues,
  type DatabricksCredentials,
  type PrivateEndpointRule,
} from "../databricks/accountApi";
import { ATTACHMENT_TITLES, bindingCheck, orphanRulesCheck, policyAttachmentCheck } from "./attachments";
import { JOB_TITLE, defaultProbes, jobChecks } from "./jobProbe";
import { fqdnSwitchChecks, frontingProbe } from "./securityProbes";
import { SECRET_SCOPE_TITLE, secretAclListPath, secretScopeAclCheck } from "./secretScopeCheck";
import { runProbeJob, type Clock } from "./workspaceJob";
import {
  PING_REQUEST,
  propagationLeftMs,
  stackFileName,
  TITLES,
  VERIFY_USAGE,
  exitCodeOf,
  formatReport,
  invocationCheck,
  parseVerifyArgs,
  resolveTargets,
  ruleChecks,
  servingStateCheck,
  skipped,
  unreachable,
  type CheckResult,
  type DatabricksStackConfig,
  type VerifyArgs,
  type VerifyTargets,
} from "./verifyReport";
import { readStackConfig as readCliStackConfig } from "../engine/stackConfig";
import { parseRawConfig } from "../config/load";
import { validateStackConfig } from "../config/validate";
import { PROJECT } from "../config/types";

/** A chat answer may take a while (cold external model, slow first token); everything else is quick. */
const INVOCATION_TIMEOUT_MS = 120_000;
const PULUMI_CLI_TIMEOUT_MS = 120_000;
const RULE_POLL_MS = 15_000;
/** Under DRY_RUN the job polls the denial log this long for the denied probe's entry. */
const DENIAL_LOG_WAIT_SECONDS = 300;

export interface VerifyIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly print: (text: string) => void;
  /** Waits and time, injectable so tests drive the bounded waits with a fake clock. */
  readonly clock?: Clock;
  /** Random part of the denied probe's name. */
  readonly random?: () => string;
  /** Reads a `secure:` stack config value (default: `pulumi config get KEY --stack STACK`). */
  readonly readSecret?: (key: string, args: VerifyArgs) => Promise<string | undefined>;
}

const realClock: Clock = { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), now: Date.now };
const defaultIo: VerifyIo = { env: process.env, print: (t) => console.log(t) };

/** Runs verify and returns the exit code; never throws. */
export async function runVerify(argv: readonly string[], io: VerifyIo = defaultIo): Promise<number> {
  let args: VerifyArgs;
  let targets: VerifyTargets;
  let credentials: DatabricksCredentials;
  try {
    args = parseVerifyArgs(argv, io.env);
    if (args.help) {
      io.print(VERIFY_USAGE);
      return 0;
    }
    const outputs = await readOutputs(args);
    const stackFile = readStackConfig(args);
    targets = resolveTargets(args, outputs, stackFile.databricks);
    credentials = await readCredentials(stackFile, args, io);
  } catch (error) {
    io.print(`verify: ${messageOf(error)}`);
    return 2;
  }
  const clock = io.clock ?? realClock;
  const accountAuth = bearerSource(targets.accountHost, credentials, targets.accountId);
  const account = `${trimHost(targets.accountHost)}/api/2.0/accounts/${encodeURIComponent(targets.accountId)}`;
  let rule: PrivateEndpointRule;
  try {
    rule = await readRule(account, targets, accountAuth);
  } catch (error) {
    if (!(error instanceof DatabricksHttpError)) {
      // No HTTP answer at all: the host is wrong or unreachable, so nothing can be checked.
      io.print(
        `verify: cannot reach the Databricks account host ${targets.accountHost}: ${messageOf(error)}. ` +
          "Check --account-host / dbx-aoai-link:databricks.accountHost and your network.",
      );
      return 2;
    }
    const hint = `Check the account host (${targets.accountHost}; GovCloud differs), the account id, and that the credentials belong to an account admin.`;
    const results = [unreachable(TITLES.ruleEstablished(targets.ruleId), messageOf(error), hint)];
    io.print(formatReport(targets, results));
    return exitCodeOf(results);
  }
  rule = await waitForEstablished(rule, account, targets, accountAuth, args, clock, io.print);
  const results: CheckResult[] = [...ruleChecks(rule, targets)];
  await waitForPropagation(rule, args, clock, io.print);
  results.push(...(await attachmentChecks(account, targets, rule, accountAuth)));
  results.push(...(await jobProbe(targets, credentials, args, clock, io)));
  results.push(...(await checkServing(targets, credentials)));
  results.push(await checkSecretScope(targets, credentials));
  io.print(formatReport(targets, results));
  return exitCodeOf(results);
}

async function readOutputs(args: VerifyArgs): Promise<Record<string, unknown>> {
  let json: string;
  if (args.outputsFile) {
    json = readFileSync(args.outputsFile, "utf8");
  } else {
    const cli = ["stack", "output", "--json", "--show-secrets", "--stack", args.stack];
    try {
      const { stdout } = await promisify(execFile)("pulumi", cli, {
        cwd: args.projectDir,
        timeout: PULUMI_CLI_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
      });
      json = stdout;
    } catch (error) {
      throw new Error(`\`pulumi ${cli.join(" ")}\` failed: ${messageOf(error)}; or pass --outputs FILE`, {
        cause: error,
      });
    }
  }
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error("the stack outputs are not a JSON object");
  }
  return parsed as Record<string, unknown>;
}

interface StackFile {
  readonly databricks: DatabricksStackConfig;
  /** `databricks:*` credential keys: plain values, and the keys whose values are `secure:`. */
  readonly credentials: Record<string, string>;
  readonly secretKeys: readonly string[];
}

const CREDENTIAL_KEYS = {
  clientId: "databricks:clientId",
  clientSecret: "databricks:clientSecret",
  token: "databricks:token",
} as const;

/** The stack file (`org/name` → Pulumi.name.yaml), validated as `pulumi up` validates it. */
function readStackConfig(args: VerifyArgs): StackFile {
  const file = path.join(args.projectDir, stackFileName(args.stack));
  if (!existsSync(file)) return { databricks: {}, credentials: {}, secretKeys: [] };
  const { values, secretKeys } = readCliStackConfig(file, PROJECT);
  const { databricks } = validateStackConfig(args.stack.split("/").pop()!, parseRawConfig(values), path.basename(file));
  const credentials = Object.fromEntries(
    Object.values(CREDENTIAL_KEYS)
      .filter((key) => values[key] !== undefined && !secretKeys.includes(key))
      .map((key) => [key, values[key]]),
  );
  return {
    databricks: {
      accountId: databricks.accountId,
      accountHost: databricks.accountHost,
      workspaceIds: databricks.workspaceIds,
      enforcement: databricks.networkPolicy.enforcement,
      allowAzureOpenAiFqdn: databricks.networkPolicy.allowAzureOpenAiFqdn,
      servingEndpoint: databricks.servingEndpoint,
    },
    credentials,
    secretKeys: secretKeys.filter((key) => (Object.values(CREDENTIAL_KEYS) as string[]).includes(key)),
  };
}

/** Credentials from the stack config: plain values as written, `secure:` ones decrypted by the Pulumi CLI. */
/**
 * The environment's credentials when it has them; only otherwise the stack config's, so `secure:` keys
 * in the stack file are not decrypted (which needs the passphrase or the Pulumi Cloud login) for nothing.
 */
async function readCredentials(stackFile: StackFile, args: VerifyArgs, io: VerifyIo): Promise<DatabricksCredentials> {
  const fromEnv = credentialValuesFromEnv(io.env);
  try {
    return resolveCredentials([fromEnv]);
  } catch {
    // None in the environment: fall through to the stack config.
  }
  return resolveCredentials(
    [fromEnv, await configCredentials(stackFile, args, io)],
    `, or the stack config keys databricks:clientId and databricks:clientSecret, or databricks:token, in ${stackFileName(args.stack)}`,
  );
}

async function configCredentials(stackFile: StackFile, args: VerifyArgs, io: VerifyIo): Promise<CredentialValues> {
  const readSecret = io.readSecret ?? pulumiConfigGet;
  const value = async (key: string) =>
    stackFile.credentials[key] ?? (stackFile.secretKeys.includes(key) ? await readSecret(key, args) : undefined);
  return {
    clientId: await value(CREDENTIAL_KEYS.clientId),
    clientSecret: await value(CREDENTIAL_KEYS.clientSecret),
    token: await value(CREDENTIAL_KEYS.token),
  };
}

async function pulumiConfigGet(key: string, args: VerifyArgs): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)("pulumi", ["config", "get", key, "--stack", args.stack], {
      cwd: args.projectDir,
      timeout: PULUMI_CLI_TIMEOUT_MS,
    });
    return stdout.trim() || undefined;
  } catch (error) {
    throw new Error(`\`pulumi config get ${key} --stack ${args.stack}\` failed: ${messageOf(error)}`, { cause: error });
  }
}

async function readRule(account: string, targets: VerifyTargets, auth: AuthHeaderSource): Promise<PrivateEndpointRule> {
  const url = `${account}/network-connectivity-configs/${encodeURIComponent(targets.nccId)}/private-endpoint-rules/${encodeURIComponent(targets.ruleId)}`;
  return (await requestJson("GET", url, auth)) as PrivateEndpointRule;
}

/** A PENDING (or CREATING) rule right after `pulumi up` is waited for, bounded, with progress. */
async function waitForEstablished(
  rule: PrivateEndpointRule,
  account: string,
  targets: VerifyTargets,
  auth: AuthHeaderSource,
  args: VerifyArgs,
  clock: Clock,
  print: (line: string) => void,
): Promise<PrivateEndpointRule> {
  const deadline = clock.now() + args.establishWaitSeconds * 1000;
  let current = rule;
  while (
    (current.connection_state === "PENDING" || current.connection_state === "CREATING") &&
    clock.now() < deadline
  ) {
    print(
      `  rule ${targets.ruleId} is ${current.connection_state}; waiting for ESTABLISHED (up to ${Math.round((deadline - clock.now()) / 1000)} s more)`,
    );
    await clock.sleep(Math.min(RULE_POLL_MS, deadline - clock.now()));
    current = await readRule(account, targets, auth).catch(() => current);
  }
  return current;
}

/** After ESTABLISHED, serverless picks the rule up within the propagation time: wait out what is left. */
async function waitForPropagation(
  rule: PrivateEndpointRule,
  args: VerifyArgs,
  clock: Clock,
  print: (line: string) => void,
): Promise<void> {
  if (rule.connection_state !== "ESTABLISHED") return;
  const left = propagationLeftMs(rule, clock.now(), args.propagationWaitSeconds);
  if (left <= 0) return;
  print(
    `  the rule changed ${Math.round((clock.now() - Number(rule.updated_time)) / 1000)} s ago; waiting ${Math.round(left / 1000)} s for it to reach serverless compute`,
  );
  await clock.sleep(left);
}

async function attachmentChecks(
  account: string,
  targets: VerifyTargets,
  rule: PrivateEndpointRule,
  auth: AuthHeaderSource,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const guarded = async (title: string, hint: string, check: () => Promise<CheckResult>) =>
    check().catch((error: unknown) => unreachable(title, messageOf(error), hint));
  const adminHint = "The credentials must belong to an account admin.";
  results.push(
    await guarded(ATTACHMENT_TITLES.orphans, adminHint, async () => {
      const list = await requestJson(
        "GET",
        `${account}/network-connectivity-configs/${encodeURIComponent(targets.nccId)}/private-endpoint-rules`,
        auth,
      );
      const items = (list as { items?: PrivateEndpointRule[] }).items ?? [];
      return orphanRulesCheck(items, { ...rule, rule_id: rule.rule_id ?? targets.ruleId }, targets.nccId);
    }),
  );
  for (const id of targets.workspaceIds) {
    const workspace = `${account}/workspaces/${encodeURIComponent(id)}`;
    results.push(
      await guarded(ATTACHMENT_TITLES.binding(id), adminHint, async () =>
        bindingCheck(id, await requestJson("GET", workspace, auth), targets.nccId),
      ),
    );
    results.push(
      await guarded(ATTACHMENT_TITLES.policy(id), adminHint, async () =>
        policyAttachmentCheck(id, await requestJson("GET", `${workspace}/network`, auth), targets.networkPolicyId),
      ),
    );
  }
  return results;
}

/** The one-time serverless job in the serving workspace, with every probe definition. */
async function jobProbe(
  targets: VerifyTargets,
  credentials: DatabricksCredentials,
  args: VerifyArgs,
  clock: Clock,
  io: VerifyIo,
): Promise<CheckResult[]> {
  if (!args.job) return [skipped(JOB_TITLE, "skipped: --no-job")];
  if (!targets.workspaceUrl) {
    return [
      skipped(
        JOB_TITLE,
        "no workspace URL: set dbx-aoai-link:databricks.servingEndpoint.workspaceUrl or pass --workspace-url",
      ),
    ];
  }
  const random = io.random ?? (() => Math.random().toString(36).slice(2, 10));
  const name = random();
  // Fronting is a property of Azure's shared front end, so the primary's name is enough to ask it.
  const probes = [...defaultProbes(targets.azureOpenAiFqdns, name), frontingProbe(targets.azureOpenAiFqdn, name)];
  const dryRun = targets.enforcement === "DRY_RUN";
  try {
    const run = await runProbeJob({
      workspaceUrl: targets.workspaceUrl,
      auth: bearerSource(trimHost(targets.workspaceUrl), credentials),
      stack: targets.stack,
      spec: { probes, readDenialLog: dryRun, denialLogWaitSeconds: DENIAL_LOG_WAIT_SECONDS },
      clock,
      progress: io.print,
    });
    return [...jobChecks(probes, run, dryRun), ...fqdnSwitchChecks(probes, run, targets.allowAzureOpenAiFqdn, dryRun)];
  } catch (error) {
    return [
      unreachable(
        JOB_TITLE,
        messageOf(error),
        `Check the workspace URL (${targets.workspaceUrl}), that serverless jobs are enabled there, and that the principal is a workspace user.`,
      ),
    ];
  }
}

async function checkServing(targets: VerifyTargets, credentials: DatabricksCredentials): Promise<CheckResult[]> {
  if (!targets.serving) return [skipped("serving endpoint", "not configured (no servingEndpointName): skipped")];
  const { name } = targets.serving;
  const workspace = trimHost(targets.serving.workspaceUrl);
  const auth = bearerSource(workspace, credentials);
  let ready: CheckResult;
  try {
    ready = servingStateCheck(
      await requestJson("GET", `${workspace}/api/2.0/serving-endpoints/${encodeURIComponent(name)}`, auth),
      name,
    );
  } catch (error) {
    const hint = `Check the workspace URL (${workspace}) and that the principal may use the endpoint.`;
    return [unreachable(TITLES.servingReady(name), messageOf(error), hint)];
  }
  if (ready.status !== "pass")
    return [ready, skipped(TITLES.servingAnswers(name), "skipped: the endpoint is not READY")];
  return [
    ready,
    await queryCheck(targets, `${workspace}/serving-endpoints/${encodeURIComponent(name)}/invocations`, auth),
  ];
}

/** The scope's actual ACL against the declared principals: drift added by hand fails, naming the principal. */
async function checkSecretScope(targets: VerifyTargets, credentials: DatabricksCredentials): Promise<CheckResult> {
  const scope = targets.secretScope;
  if (!targets.serving) return skipped("secret scope", "not configured (no servingEndpointName): skipped");
  if (!scope) {
    return skipped(
      "secret scope",
      "the stack exports no secretScopeName / secretScopePrincipals: run `pulumi up` to declare the scope's ACL",
    );
  }
  const workspace = trimHost(targets.serving.workspaceUrl);
  try {
    const answer = await requestJson(
      "GET",
      `${workspace}${secretAclListPath(scope.name)}`,
      bearerSource(workspace, credentials),
    );
    return secretScopeAclCheck(scope.name, scope.principals, answer);
  } catch (error) {
    const hint = `Listing ACLs needs MANAGE on the scope: run verify as the deploy identity (${scope.principals.join(", ")}) or a workspace admin.`;
    return unreachable(SECRET_SCOPE_TITLE(scope.name), messageOf(error), hint);
  }
}

/** The ping itself; an HTTP error is judged by its body (Azure's firewall 403 among them). */
async function queryCheck(targets: VerifyTargets, url: string, auth: AuthHeaderSource): Promise<CheckResult> {
  try {
    const answer = await requestJson("POST", url, auth, PING_REQUEST, INVOCATION_TIMEOUT_MS);
    return invocationCheck(200, JSON.stringify(answer), targets);
  } catch (error) {
    if (error instanceof DatabricksHttpError) return invocationCheck(error.status, error.body, targets);
    const hint = "No answer in time: check the rule is ESTABLISHED and the proxy tier's targets are healthy.";
    return unreachable(TITLES.servingAnswers(targets.serving?.name ?? "?"), messageOf(error), hint);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
