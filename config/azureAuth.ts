import type { IssueCollector } from "./issues";
import { AZURE_AUTH_MODES, type AzureAuth, PROJECT } from "./types";

/** Reads `azure.auth`: `key` (default) or `entra`. */
export function readAzureAuth(c: IssueCollector, value: unknown): AzureAuth | undefined {
  const key = `${PROJECT}:azure.auth`;
  const auth = c.string(key, value, { default: "key" });
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
