/**
 * Reads the Azure OpenAI accounts: either the single-account keys (`azure.accountName`,
 * `resourceGroupName`, `existingResourceGroup`, `deployments`, in `azure-native:location`) or the list
 * `azure.accounts[]`, never both. Either way the result is a list whose first entry is the primary
 * account: the one the single-account outputs describe, with the resource names stacks always had
 * (docs/multiple-accounts.md).
 */
import type { IssueCollector } from "./issues";
import { AZURE_ACCOUNT_KEYS } from "./keys";
import { type AzureAccountConfig, type AzureAccountKeys, type ModelDeploymentConfig, PROJECT } from "./types";

/** Where the single-account form's account is: the provider's default location. */
const DEFAULT_LOCATION_KEY = "azure-native:location";

/**
 * Domain names one NCC private endpoint rule may carry; every account's FQDN is one. "Domain names per
 * private endpoint rule are capped at 10" (Databricks, "Configure private connectivity to resources in
 * your VNet/VPC", serverless-network-security/pl-to-internal-network; as quoted in a public summary).
 */
export const MAX_RULE_DOMAIN_NAMES = 10;

/** The keys of the single-account form, which `accounts[]` replaces. */
export const SINGLE_ACCOUNT_KEYS = [
  "accountName",
  "resourceGroupName",
  "existingResourceGroup",
  "deployments",
] as const;

/** Field readers shared with the single-account form (config/validate.ts owns their rules). */
export interface AccountFieldReaders {
  accountName(key: string, value: unknown): string | undefined;
  resourceGroupName(key: string, value: unknown): string | undefined;
  location(key: string, value: unknown, fallback: string | undefined): string | undefined;
  existingResourceGroup(key: string, value: unknown): boolean;
  deployments(key: string, value: unknown): ModelDeploymentConfig[] | undefined;
}

const key = (path: string) => `${PROJECT}:azure.${path}`;

/** Undefined when invalid; otherwise at least one account, the primary first. */
export function readAzureAccounts(
  c: IssueCollector,
  o: Record<string, unknown>,
  defaultLocation: string | undefined,
  read: AccountFieldReaders,
): AzureAccountConfig[] | undefined {
  if (o.accounts === undefined || o.accounts === null) {
    const account = readAccount(c, "", { ...o, name: o.accountName, location: undefined }, defaultLocation, read);
    return account ? [account] : undefined;
  }
  const before = c.issues.length;
  for (const single of SINGLE_ACCOUNT_KEYS) {
    if (o[single] !== undefined)
      c.add(
        key(single),
        o[single],
        "is a single-account key, and azure.accounts is set",
        `move it into the first entry of azure.accounts (${single === "accountName" ? "as name" : `as ${single}`}), or remove azure.accounts`,
      );
  }
  const list = c.array(key("accounts"), o.accounts);
  if (!list) return undefined;
  if (list.length === 0 || list.length > MAX_RULE_DOMAIN_NAMES) {
    c.add(
      key("accounts"),
      list.length,
      list.length === 0
        ? "lists no account"
        : `lists ${list.length} accounts; the NCC private endpoint rule carries at most ${MAX_RULE_DOMAIN_NAMES} domain names, one per account`,
      list.length === 0
        ? "list at least one account, or use the single-account keys"
        : `keep at most ${MAX_RULE_DOMAIN_NAMES} accounts in one stack (a second stack can carry more)`,
    );
    return undefined;
  }
  const accounts: AzureAccountConfig[] = [];
  list.forEach((entry, i) => {
    const at = `accounts[${i}]`;
    const e = c.object(key(at), entry, true);
    if (!e) return;
    c.unknownKeys(key(at), e, AZURE_ACCOUNT_KEYS);
    const account = readAccount(c, `${at}.`, e, defaultLocation, read);
    if (!account) return;
    if (accounts.some((a) => a.name === account.name)) {
      c.add(
        key(`${at}.name`),
        account.name,
        "is listed twice (account names are global subdomains)",
        "list each account once",
      );
      return;
    }
    accounts.push(account);
  });
  return c.issues.length === before && accounts.length === list.length ? accounts : undefined;
}

/** One account; `prefix` is "" for the single-account keys, `accounts[i].` for an entry. */
function readAccount(
  c: IssueCollector,
  prefix: string,
  e: Record<string, unknown>,
  defaultLocation: string | undefined,
  read: AccountFieldReaders,
): AzureAccountConfig | undefined {
  const keys: AzureAccountKeys = {
    name: key(prefix ? `${prefix}name` : "accountName"),
    location: prefix ? key(`${prefix}location`) : DEFAULT_LOCATION_KEY,
    resourceGroupName: key(`${prefix}resourceGroupName`),
    deployments: key(`${prefix}deployments`),
  };
  const name = read.accountName(keys.name, e.name);
  const resourceGroupName = read.resourceGroupName(keys.resourceGroupName, e.resourceGroupName);
  const location = read.location(keys.location, e.location, defaultLocation);
  const existingResourceGroup = read.existingResourceGroup(
    key(`${prefix}existingResourceGroup`),
    e.existingResourceGroup,
  );
  const deployments = read.deployments(keys.deployments, e.deployments);
  if (!name || !resourceGroupName || !location || !deployments) return undefined;
  return { name, location, resourceGroupName, existingResourceGroup, deployments, keys };
}

/**
 * The account and deployment a serving endpoint serves: `deployment` in `account` when given, else in
 * the one account that has a deployment of that name. Undefined (with an issue) when there is none or
 * the name is ambiguous.
 */
export function resolveServedDeployment(
  c: IssueCollector,
  key: string,
  deployment: string,
  account: string | undefined,
  accounts: readonly AzureAccountConfig[],
): { account: AzureAccountConfig; deployment: ModelDeploymentConfig } | undefined {
  if (account !== undefined && !accounts.some((a) => a.name === account)) {
    c.add(
      `${key}.account`,
      account,
      "names no Azure OpenAI account of this stack",
      `use one of ${accounts.map((a) => a.name).join(", ")}`,
    );
    return undefined;
  }
  const candidates = accounts.filter((a) => account === undefined || a.name === account);
  const found = candidates.flatMap((a) =>
    a.deployments.filter((d) => d.name === deployment).map((d) => ({ account: a, deployment: d })),
  );
  if (found.length === 1) return found[0];
  if (found.length === 0) {
    const where = account ?? (accounts.length === 1 ? undefined : "any account");
    c.add(
      `${key}.deployment`,
      deployment,
      where ? `names no deployment of ${where}` : "names no entry of azure.deployments",
      `use one of ${candidates.flatMap((a) => a.deployments.map((d) => (accounts.length > 1 ? `${d.name} (${a.name})` : d.name))).join(", ")}`,
    );
  } else {
    c.add(
      `${key}.deployment`,
      deployment,
      `is a deployment of several accounts (${found.map((f) => f.account.name).join(", ")})`,
      `say which one with ${key.split(":").pop()}.account`,
    );
  }
  return undefined;
}
