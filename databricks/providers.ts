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

/** Account-level provider: NCC, private endpoint rules, bindings, network policies. */
export function accountProvider(name: string, args: { host: string; accountId: string }): databricks.Provider {
  return new databricks.Provider(name, { host: args.host, accountId: args.accountId, ...credentials() });
}

/** Workspace-level provider: secret scope, secret and serving endpoint. */
export function workspaceProvider(name: string, args: { workspaceUrl: string }): databricks.Provider {
  return new databricks.Provider(name, { host: args.workspaceUrl, ...credentials() });
}
