/**
 * I/O half of `npm run verify -- --stack NAME`: reads the stack outputs (`pulumi stack output` or
 * `--outputs FILE`) and Pulumi.<stack>.yaml, calls the Databricks account and workspace REST APIs, and
 * prints the report from `verifyReport.ts`. Exit code 0 only when every check passed, 1 when one
 * failed, 2 when it could not start (usage, missing outputs, no credentials).
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  DatabricksHttpError,
  bearerSource,
  createAccountApi,
  credentialValuesFromEnv,
  requestJson,
  resolveCredentials,
  trimHost,
  type AuthHeaderSource,
  type DatabricksCredentials,
} from "../databricks/accountApi";
import {
  PING_REQUEST,
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
import { readStackConfigFile } from "../plan/run";
import { parseRawConfig } from "../config/load";
import { validateStackConfig } from "../config/validate";

/** A chat answer may take a while (cold external model, slow first token); everything else is quick. */
const INVOCATION_TIMEOUT_MS = 120_000;
const PULUMI_CLI_TIMEOUT_MS = 120_000;

export interface VerifyIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly print: (text: string) => void;
}

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
    targets = resolveTargets(args, outputs, readStackConfig(args));
    credentials = resolveCredentials([credentialValuesFromEnv(io.env)]);
  } catch (error) {
    io.print(`verify: ${messageOf(error)}`);
    return 2;
  }
  const results = [...(await checkRule(targets, credentials)), ...(await checkServing(targets, credentials))];
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
      throw new Error(`\`pulumi ${cli.join(" ")}\` failed: ${messageOf(error)}; or pass --outputs FILE`);
    }
  }
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error("the stack outputs are not a JSON object");
  }
  return parsed as Record<string, unknown>;
}

/** The stack file, validated as `pulumi up` validates it (so the account host follows region and shard). */
function readStackConfig(args: VerifyArgs): DatabricksStackConfig {
  const file = path.join(args.projectDir, `Pulumi.${args.stack}.yaml`);
  if (!existsSync(file)) return {};
  const { databricks } = validateStackConfig(args.stack, parseRawConfig(readStackConfigFile(file).values), path.basename(file));
  return { accountId: databricks.accountId, accountHost: databricks.accountHost, servingEndpoint: databricks.servingEndpoint };
}

async function checkRule(targets: VerifyTargets, credentials: DatabricksCredentials): Promise<CheckResult[]> {
  const api = createAccountApi({ host: targets.accountHost, accountId: targets.accountId, credentials });
  try {
    return ruleChecks(await api.getPrivateEndpointRule(targets.nccId, targets.ruleId), targets);
  } catch (error) {
    return [
      unreachable(
        TITLES.ruleEstablished(targets.ruleId),
        messageOf(error),
        `Check the account host (${targets.accountHost}; GovCloud differs), the account id, and that the ` +
          "credentials belong to an account admin.",
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
  if (ready.status !== "pass") return [ready, skipped(TITLES.servingAnswers(name), "skipped: the endpoint is not READY")];
  return [ready, await queryCheck(targets, `${workspace}/serving-endpoints/${encodeURIComponent(name)}/invocations`, auth)];
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
