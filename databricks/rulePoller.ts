/**
 * Waits for an NCC private endpoint rule's VPC endpoint id, which Databricks fills in asynchronously
 * after the rule is created (the create response has none). Pure apart from the injected API, clock
 * and sleep, so tests drive it with a fake clock. It is also captured by the `VpcEndpointWaiter`
 * dynamic provider's closure, hence no imports besides `./accountApi`.
 */
import { DatabricksHttpError, type AccountApi } from "./accountApi";

/** How long `VpcEndpointWaiter` waits by default (AWS usually needs a few minutes). */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 600;
/** How often it asks by default. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 10;

const REPLACE_RULE =
  "replace the rule so Databricks creates a new endpoint: `pulumi up --replace <URN of the MwsNccPrivateEndpointRule>`";

/**
 * What each connection state means and what to do (states from the Databricks REST API reference,
 * NccPrivateEndpointRule.connection_state). `terminal`: waiting longer cannot help.
 */
export const RULE_STATES: Readonly<Record<string, { terminal: boolean; meaning: string; action: string }>> = {
  CREATING: {
    terminal: false,
    meaning: "Databricks is still creating the VPC endpoint",
    action: "wait a few minutes and look again",
  },
  PENDING: {
    terminal: false,
    meaning: "the VPC endpoint exists and waits for acceptance on the AWS endpoint service",
    action:
      "run `pulumi up` (the program accepts it), or accept it in the AWS console " +
      "(VPC → Endpoint services → Endpoint connections); an endpoint not accepted within 14 days becomes EXPIRED",
  },
  ESTABLISHED: {
    terminal: false,
    meaning: "the connection is accepted and serverless compute uses it for the rule's domain names",
    action: "nothing",
  },
  CREATE_FAILED: {
    terminal: true,
    meaning: "Databricks could not create the VPC endpoint",
    action:
      "fix the cause in the rule's error message (often: the endpoint service does not allow the Databricks " +
      `serverless principal of the region, or spans fewer than two AZs), then ${REPLACE_RULE}`,
  },
  REJECTED: {
    terminal: true,
    meaning: "the endpoint service owner rejected the connection",
    action: REPLACE_RULE,
  },
  DISCONNECTED: {
    terminal: true,
    meaning: "the endpoint service owner removed the connection",
    action: REPLACE_RULE,
  },
  EXPIRED: {
    terminal: true,
    meaning: "the endpoint was not accepted within 14 days of its creation",
    action: REPLACE_RULE,
  },
};

/** One sentence for a state: meaning, the rule's own error message when it has one, and the next step. */
export function describeRuleState(state: string | undefined, errorMessage?: string): string {
  const known = state ? RULE_STATES[state] : undefined;
  const detail = errorMessage ? ` (Databricks says: ${errorMessage})` : "";
  if (!known) return `${state || "no state reported"}${detail}: unexpected; check the rule in the account console`;
  return `${state}: ${known.meaning}${detail}; to do: ${known.action}`;
}

export interface WaitSettings {
  readonly timeoutMs: number;
  readonly intervalMs: number;
}

/** Applies defaults and rejects values that would never poll or never end. */
export function resolveWaitSettings(timeoutSeconds?: number, pollIntervalSeconds?: number): WaitSettings {
  const timeout = timeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS;
  const interval = pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS;
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new Error(
      `timeoutSeconds is ${timeoutSeconds}: give a positive number of seconds (default ${DEFAULT_WAIT_TIMEOUT_SECONDS})`,
    );
  }
  if (!Number.isFinite(interval) || interval <= 0 || interval > timeout) {
    throw new Error(
      `pollIntervalSeconds is ${pollIntervalSeconds}: give a positive number of seconds no larger than ` +
        `timeoutSeconds (${timeout}); default ${DEFAULT_POLL_INTERVAL_SECONDS}`,
    );
  }
  return { timeoutMs: timeout * 1000, intervalMs: interval * 1000 };
}

export interface WaitForRuleOptions extends WaitSettings {
  readonly api: AccountApi;
  readonly nccId: string;
  readonly ruleId: string;
  /** Defaults to a real timer; tests pass one that advances a fake clock. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Defaults to `Date.now`. */
  readonly now?: () => number;
}

export interface RuleVpcEndpointResult {
  readonly vpcEndpointId: string;
  readonly connectionState: string;
}

/** 429, 5xx and network failures (including a request's own timeout) may pass; auth or not-found errors won't. */
function isTransient(error: unknown): boolean {
  return !(error instanceof DatabricksHttpError) || error.status === 429 || error.status >= 500;
}

/**
 * States in which the rule's endpoint exists and its id can be used. terraform-provider-databricks
 * PR #5743 ("Fix mws_ncc_private_endpoint_rule Create polling") found the API may answer CREATING with
 * fields still changing, and treats only PENDING and ESTABLISHED as done; we do the same, so an id seen
 * while CREATING is not handed to the AWS accepter yet.
 */
export const ENDPOINT_READY_STATES: readonly string[] = ["PENDING", "ESTABLISHED"];

/**
 * Polls until the rule is PENDING or ESTABLISHED with a non-empty `vpc_endpoint_id`. Fails at once on a terminal state
 * (CREATE_FAILED, REJECTED, DISCONNECTED, EXPIRED) or a non-transient HTTP error, and after
 * `timeoutMs` with the last state seen. The last poll happens at the deadline, not before it.
 */
export async function waitForRuleVpcEndpointId(options: WaitForRuleOptions): Promise<RuleVpcEndpointResult> {
  const { api, nccId, ruleId, timeoutMs, intervalMs } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const what = `private endpoint rule ${ruleId} of NCC ${nccId}`;
  const deadline = now() + timeoutMs;
  let lastState: string | undefined;
  let lastError: string | undefined;
  for (;;) {
    const rule = await api.getPrivateEndpointRule(nccId, ruleId).catch((error: unknown) => {
      if (!isTransient(error)) {
        throw new Error(
          `Reading the ${what} failed: ${(error as DatabricksHttpError).message}. ` +
            "Check the account id and account host (GovCloud has its own), that the credentials belong to an " +
            "account admin, and that the rule still exists.",
        );
      }
      lastError = error instanceof Error ? error.message : String(error);
      return undefined;
    });
    if (rule) {
      lastState = rule.connection_state;
      lastError = undefined;
      if (lastState && RULE_STATES[lastState]?.terminal) {
        throw new Error(`The ${what} is ${describeRuleState(lastState, rule.error_message)}`);
      }
      if (rule.vpc_endpoint_id && ENDPOINT_READY_STATES.includes(lastState ?? ""))
        return { vpcEndpointId: rule.vpc_endpoint_id, connectionState: lastState ?? "" };
    }
    const left = deadline - now();
    if (left <= 0) break;
    await sleep(Math.min(intervalMs, left));
  }
  throw new Error(
    `Timed out after ${timeoutMs / 1000} s waiting for the VPC endpoint id of the ${what}; ` +
      `last connection state: ${lastState ? describeRuleState(lastState) : "none seen"}` +
      (lastError ? `; last error: ${lastError}` : "") +
      ". Databricks creates the endpoint asynchronously: look at the rule in the account console " +
      "(Security → Network connectivity configurations), then run `pulumi up` again to resume waiting, " +
      "or raise timeoutSeconds.",
  );
}
