import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";

/**
 * Credentials for explicit providers: explicit providers do not read `databricks:*` stack config by
 * themselves, so pass `databricks:clientId` / `databricks:clientSecret` (a secret) when set; otherwise
 * the provider falls back to its environment (DATABRICKS_CLIENT_ID/SECRET, profiles, ...).
 */
function credentials(): Pick<databricks.ProviderArgs, "clientId" | "clientSecret" | "token"> {
  const config = new pulumi.Config("databricks");
  const clientId = config.get("clientId");
  const clientSecret = config.getSecret("clientSecret");
  const token = config.getSecret("token");
  return { ...(clientId ? { clientId } : {}), ...(clientSecret ? { clientSecret } : {}), ...(token ? { token } : {}) };
}

/**
 * HTTP inactivity timeout of the account-level provider. The provider's default (60 s) gives up on a
 * private endpoint rule create that the backend is still processing: "request timed out after 1m5s of
 * inactivity" (terraform-provider-databricks #5292 on the AWS accounts host, #4138 on Azure, where
 * 600 s was the workaround). The backend often finishes anyway, and the next `pulumi up` would create a
 * second rule; waiting longer for the one answer avoids that. `npm run verify` lists the NCC's rules
 * and names any second rule for our endpoint service, with the `pulumi import` that adopts it.
 */
export const ACCOUNT_HTTP_TIMEOUT_SECONDS = 600;

/** Account-level provider: NCC, private endpoint rules, bindings, network policies. */
export function accountProvider(name: string, args: { host: string; accountId: string }): databricks.Provider {
  return new databricks.Provider(name, {
    host: args.host,
    accountId: args.accountId,
    httpTimeoutSeconds: ACCOUNT_HTTP_TIMEOUT_SECONDS,
    ...credentials(),
  });
}

/** Workspace-level provider: secret scope, secret and serving endpoint. */
export function workspaceProvider(name: string, args: { workspaceUrl: string }): databricks.Provider {
  return new databricks.Provider(name, { host: args.workspaceUrl, ...credentials() });
}
