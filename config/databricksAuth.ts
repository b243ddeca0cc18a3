/**
 * One Databricks authentication method at a time. The provider (Databricks Go SDK) fills unset
 * attributes from the environment, then refuses to start with "validate: more than one authorization
 * method configured: oauth and pat" when a token and an OAuth client id/secret are both present
 * (databricks-sdk-go config validation; the provider docs' `authType` note names the same error).
 * Catching it here names where each one came from. Pure.
 */
import type { IssueCollector } from "./issues";

/** Stack config keys and environment variables of the two methods this project uses. */
const PAT = { config: ["databricks:token"], env: ["DATABRICKS_TOKEN"] } as const;
const OAUTH = {
  config: ["databricks:clientId", "databricks:clientSecret"],
  env: ["DATABRICKS_CLIENT_ID", "DATABRICKS_CLIENT_SECRET"],
} as const;

function present(
  method: { config: readonly string[]; env: readonly string[] },
  raw: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  return [
    ...method.config.filter((key) => raw[key] !== undefined && raw[key] !== "").map((key) => `stack config ${key}`),
    ...method.env.filter((name) => env[name]).map((name) => `environment variable ${name}`),
  ];
}

/** Adds an issue when both a token and an OAuth client are configured (values are never shown). */
export function checkDatabricksAuth(
  c: IssueCollector,
  raw: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
): void {
  const pat = present(PAT, raw, env);
  const oauth = present(OAUTH, raw, env);
  if (pat.length === 0 || oauth.length === 0) return;
  c.add(
    "databricks:token",
    "(set)",
    `two Databricks authentication methods are configured at once (token: ${pat.join(", ")}; OAuth M2M: ${oauth.join(", ")}), ` +
      'and the Databricks provider refuses to start with "more than one authorization method configured"',
    "keep one: for a service principal remove the token (`pulumi config rm databricks:token`, `unset DATABRICKS_TOKEN`), " +
      "or for a token remove the client id and secret (`pulumi config rm databricks:clientId` / `databricks:clientSecret`, " +
      "`unset DATABRICKS_CLIENT_ID DATABRICKS_CLIENT_SECRET`)",
  );
}
