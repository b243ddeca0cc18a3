/**
 * A tiny Databricks REST client on the global `fetch` (no SDK).
 *
 * It runs in two places: inside the `VpcEndpointWaiter` dynamic provider, whose code Pulumi serializes
 * by closure (so this module imports nothing: only globals such as `fetch`, `Buffer`, `AbortSignal`),
 * and in `npm run verify`. Both need the same two things: OAuth M2M or bearer-token auth, and JSON
 * calls with a bounded time.
 */

/** Environment variables holding credentials: the names the Databricks provider and CLI use. */
export const CREDENTIAL_ENV = {
  clientId: "DATABRICKS_CLIENT_ID",
  clientSecret: "DATABRICKS_CLIENT_SECRET",
  token: "DATABRICKS_TOKEN",
} as const;

/**
 * The network policy every account has: reserved, never deleted, and what a workspace without an
 * explicit attachment uses (Databricks API "Get workspace network option"; provider docs of
 * `databricks_account_network_policy`).
 */
export const DEFAULT_NETWORK_POLICY_ID = "default-policy";

/** Longest a single HTTP call may take before it is aborted. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** OAuth M2M (service principal client credentials) or a ready bearer token. */
export type DatabricksCredentials =
  | { readonly kind: "oauth-m2m"; readonly clientId: string; readonly clientSecret: string }
  | { readonly kind: "token"; readonly token: string };

/** Credential values as they come from arguments, stack config or the environment; any may be missing. */
export interface CredentialValues {
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly token?: string;
}

/** The credential variables of an environment (by default the process's). */
export function credentialValuesFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): CredentialValues {
  return {
    clientId: env[CREDENTIAL_ENV.clientId],
    clientSecret: env[CREDENTIAL_ENV.clientSecret],
    token: env[CREDENTIAL_ENV.token],
  };
}

/** The stack config keys a dynamic provider's `configure` receives, as credential values. */
export function credentialValuesFromConfig(config: { get(key: string): string | undefined }): CredentialValues {
  return {
    clientId: config.get("databricks:clientId"),
    clientSecret: config.get("databricks:clientSecret"),
    token: config.get("databricks:token"),
  };
}

/**
 * Picks credentials from the first source that has them; within a source, client id + secret before a
 * token. Throws a message naming the environment variables (and `alsoAccepted`) when none has them.
 */
export function resolveCredentials(
  sources: readonly (CredentialValues | undefined)[],
  alsoAccepted = "",
): DatabricksCredentials {
  for (const source of sources) {
    if (source?.clientId && source.clientSecret) {
      return { kind: "oauth-m2m", clientId: source.clientId, clientSecret: source.clientSecret };
    }
    if (source?.token) {
      return { kind: "token", token: source.token };
    }
  }
  throw new Error(
    `No Databricks credentials: set ${CREDENTIAL_ENV.clientId} and ${CREDENTIAL_ENV.clientSecret} ` +
      `(OAuth M2M of a service principal), or ${CREDENTIAL_ENV.token} (an OAuth access token), ` +
      `in the environment${alsoAccepted}.`,
  );
}

/** A non-2xx answer; `body` is kept so callers can recognise known errors (e.g. Azure's firewall 403). */
export class DatabricksHttpError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${url} answered HTTP ${status}: ${body.slice(0, 500)}`);
    this.name = "DatabricksHttpError";
  }
}

/** Builds an `Authorization` header value on demand. */
export type AuthHeaderSource = () => Promise<string>;

/** Removes trailing slashes so `${host}/api/...` never has `//`. */
export function trimHost(host: string): string {
  return host.replace(/\/+$/, "");
}

/**
 * One JSON call, aborted after `timeoutMs`. Non-2xx throws `DatabricksHttpError`; an empty body
 * returns `{}`. A string `body` is sent as it is: JSON written by hand, e.g. to carry an int64 id's
 * digits exactly (a JavaScript number rounds ids above 2^53).
 */
export async function requestJson(
  method: "GET" | "POST" | "PUT",
  url: string,
  auth: AuthHeaderSource,
  body?: unknown,
  timeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS,
): Promise<unknown> {
  const headers: Record<string, string> = { Authorization: await auth(), Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined || typeof body === "string" ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (!response.ok) throw new DatabricksHttpError(method, url, response.status, text);
  return text.trim() === "" ? {} : JSON.parse(text);
}

/**
 * `Authorization` values for an account (`accountId` given) or a workspace host. A token from the
 * OAuth client-credentials grant is cached until a minute before it expires, so a poll loop asks once.
 */
export function bearerSource(
  host: string,
  credentials: DatabricksCredentials,
  accountId?: string,
  timeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS,
): AuthHeaderSource {
  if (credentials.kind === "token") return async () => `Bearer ${credentials.token}`;
  const tokenUrl = accountId
    ? `${trimHost(host)}/oidc/accounts/${encodeURIComponent(accountId)}/v1/token`
    : `${trimHost(host)}/oidc/v1/token`;
  const cache = { token: "", expiresAt: 0 };
  return async () => {
    if (cache.token && Date.now() < cache.expiresAt) return `Bearer ${cache.token}`;
    const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString("base64");
    const response = await fetch(tokenUrl, {
      method: "POST",
      headers: { Authorization: `Basic ${basic}`, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: "all-apis" }).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw new DatabricksHttpError("POST", tokenUrl, response.status, text);
    const parsed: { access_token?: unknown; expires_in?: unknown } = JSON.parse(text);
    if (typeof parsed.access_token !== "string" || parsed.access_token === "") {
      throw new Error(`POST ${tokenUrl} returned no access_token`);
    }
    const lifetimeSeconds = typeof parsed.expires_in === "number" ? parsed.expires_in : 3600;
    cache.token = parsed.access_token;
    cache.expiresAt = Date.now() + Math.max(0, lifetimeSeconds - 60) * 1000;
    return `Bearer ${cache.token}`;
  };
}

/**
 * The fields of an NCC private endpoint rule this project reads (Databricks REST API
 * "Get a private endpoint rule", object NccPrivateEndpointRule). All optional: the API omits
 * empty fields, e.g. `vpc_endpoint_id` until AWS has created the endpoint.
 */
export interface PrivateEndpointRule {
  readonly rule_id?: string;
  readonly network_connectivity_config_id?: string;
  readonly account_id?: string;
  /** PENDING | ESTABLISHED | REJECTED | DISCONNECTED | EXPIRED | CREATING | CREATE_FAILED */
  readonly connection_state?: string;
  /** The AWS VPC endpoint id (`vpce-…`) Databricks created towards `endpoint_service`. */
  readonly vpc_endpoint_id?: string;
  readonly endpoint_service?: string;
  readonly domain_names?: readonly string[] | string;
  readonly error_message?: string;
  readonly deactivated?: boolean;
  /** Epoch milliseconds of the last change (creation, acceptance). */
  readonly updated_time?: number;
}

/** Where a private endpoint rule lives: what both the waiter's provider and verify read it by. */
export interface RuleLocation {
  readonly accountHost: string;
  readonly accountId: string;
  readonly nccId: string;
  readonly ruleId: string;
}

/** What the waiter and verify need from the account API; tests can supply their own. */
export interface AccountApi {
  getPrivateEndpointRule(nccId: string, ruleId: string): Promise<PrivateEndpointRule>;
}

export interface AccountApiOptions {
  /** Account console host (databricks/regions.ts has it per shard), or `http://127.0.0.1:PORT` in tests. */
  readonly host: string;
  readonly accountId: string;
  readonly credentials: DatabricksCredentials;
  readonly requestTimeoutMs?: number;
}

/** Account-level client: OAuth token from `${host}/oidc/accounts/${accountId}/v1/token`. */
export function createAccountApi(options: AccountApiOptions): AccountApi {
  const host = trimHost(options.host);
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const auth = bearerSource(host, options.credentials, options.accountId, timeoutMs);
  const account = encodeURIComponent(options.accountId);
  return {
    async getPrivateEndpointRule(nccId, ruleId) {
      const url =
        `${host}/api/2.0/accounts/${account}/network-connectivity-configs/${encodeURIComponent(nccId)}` +
        `/private-endpoint-rules/${encodeURIComponent(ruleId)}`;
      const rule = await requestJson("GET", url, auth, undefined, timeoutMs);
      if (typeof rule !== "object" || rule === null) throw new Error(`GET ${url} returned no rule object`);
      return rule as PrivateEndpointRule;
    },
  };
}
