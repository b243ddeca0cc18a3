import { CONFIG_DEFAULTS } from "./defaults";
import type { IssueCollector } from "./issues";
import { configKey } from "./keys";
import { AZURE_AUTH_MODES, type AzureAuth } from "./types";

/** Reads `azure.auth`: `key` (default) or `entra`. */
export function readAzureAuth(c: IssueCollector, value: unknown): AzureAuth | undefined {
  const key = configKey("azure", "auth");
  const auth = c.string(key, value, { default: CONFIG_DEFAULTS.azure.auth });
  if (auth !== undefined && !(AZURE_AUTH_MODES as readonly string[]).includes(auth)) {
    c.add(
      key,
      auth,
      "is not an auth mode",
      "use key (the account key in a Databricks secret) or entra (keyless: a service principal, local auth disabled)",
    );
    return undefined;
  }
  return auth as AzureAuth | undefined;
}
