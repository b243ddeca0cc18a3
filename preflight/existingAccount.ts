/**
 * Preflight: the account `azure.existingAccount` names can be adopted without breaking its other users
 * or this stack. Read at preview (azure-native getAccount), judged here. Pure.
 *
 * Adopting sets the firewall's default to Deny, public network access on, local (key) auth per
 * `azure.auth`, and keeps the custom subdomain and location: where the account differs on one of
 * those, adopting would change it for everyone, so the check stops and says what to change first.
 */
import type { PreflightDescriptor, PreflightProblem } from "./check";
import { EXISTING_ACCOUNT_KEY, parseAccountId } from "../config/existingAccount";
import { configKey } from "../config/keys";
import type { AzureAuth } from "../config/types";
import type { AdoptedAccountState } from "../azure/accountAdoption";

export const EXISTING_ACCOUNT_PREFLIGHT: PreflightDescriptor = {
  name: "existing Azure OpenAI account",
  configKey: EXISTING_ACCOUNT_KEY,
  reads: [
    {
      invoke: "azure-native:cognitiveservices:getAccount",
      permission: "Microsoft.CognitiveServices/accounts/read",
      what: "the adopted account's kind, location, subdomain, firewall, auth, SKU and tags",
    },
  ],
};

/** The account as read (absent when it could not be read). */
export interface ReadAccount extends AdoptedAccountState {
  readonly kind: string;
  readonly location: string;
  readonly customSubDomainName?: string;
  readonly publicNetworkAccess?: string;
  /** Absent: no firewall (everything allowed). */
  readonly defaultAction?: string;
  readonly disableLocalAuth: boolean;
}

export interface ExistingAccountFacts {
  readonly id: string;
  readonly accountName: string;
  /** The primary account's location, and the key it is set with (`azure-native:location` or its entry's). */
  readonly location: string;
  readonly locationKey: string;
  readonly auth: AzureAuth;
  /** The subscription the azure-native provider deploys into. */
  readonly subscriptionId: string;
  readonly account?: ReadAccount;
  /** Why the account could not be read. */
  readonly readError?: string;
}

const OPENAI_KINDS = ["OpenAI", "AIServices"];

export function checkExistingAccount(facts: ExistingAccountFacts): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  const add = (key: string, value: unknown, problem: string, fix: string) =>
    problems.push({ key, value, problem, fix });
  const parts = parseAccountId(facts.id);
  if (parts && parts.subscriptionId.toLowerCase() !== facts.subscriptionId.toLowerCase()) {
    add(
      EXISTING_ACCOUNT_KEY,
      facts.id,
      `is in subscription ${parts.subscriptionId}, and the azure-native provider deploys into ${facts.subscriptionId}`,
      `set azure-native:subscriptionId to ${parts.subscriptionId} (pulumi config set azure-native:subscriptionId ${parts.subscriptionId})`,
    );
    return problems;
  }
  const a = facts.account;
  if (!a) {
    add(
      EXISTING_ACCOUNT_KEY,
      facts.id,
      `cannot be read (${facts.readError ?? "not found"})`,
      "check the id (az cognitiveservices account show --ids <id>) and that the deploying identity may read it, or remove azure.existingAccount to create an account",
    );
    return problems;
  }
  if (!OPENAI_KINDS.includes(a.kind))
    add(
      EXISTING_ACCOUNT_KEY,
      facts.id,
      `is a ${a.kind} account, not an Azure OpenAI one`,
      "name an account of kind OpenAI",
    );
  if (a.location.replace(/\s/g, "").toLowerCase() !== facts.location.toLowerCase())
    add(
      facts.locationKey,
      facts.location,
      `differs from the adopted account's location (${a.location}); the account cannot move`,
      `set ${facts.locationKey} to ${a.location.replace(/\s/g, "").toLowerCase()}`,
    );
  if (a.customSubDomainName !== facts.accountName)
    add(
      EXISTING_ACCOUNT_KEY,
      facts.id,
      a.customSubDomainName
        ? `has the custom subdomain ${a.customSubDomainName}, not ${facts.accountName}: the proxies and the NCC rule would name the wrong host`
        : "has no custom subdomain, which an account with a firewall needs (and setting one changes its endpoint for every user)",
      a.customSubDomainName
        ? `adopt an account whose subdomain is its name, or create one (remove azure.existingAccount)`
        : "give the account a custom subdomain equal to its name first (az cognitiveservices account update --custom-domain)",
    );
  if (a.publicNetworkAccess === "Disabled")
    add(
      EXISTING_ACCOUNT_KEY,
      facts.id,
      "has public network access disabled (private endpoints only); the proxies reach it over the internet, and adopting would turn public access on for everyone",
      "enable public network access with a firewall yourself first, or create an account for this stack",
    );
  if (a.defaultAction !== "Deny")
    add(
      EXISTING_ACCOUNT_KEY,
      facts.id,
      "accepts every address (no firewall, or default action Allow); adopting sets the default to Deny and would cut off its callers that are not listed",
      "set its firewall to Deny with its callers' addresses or networks listed first (az cognitiveservices account network-rule add), then adopt it",
    );
  if (facts.auth === "key" && a.disableLocalAuth)
    add(
      configKey("azure", "auth"),
      "key",
      "needs key auth, which the adopted account has disabled",
      "set azure.auth: entra",
    );
  if (facts.auth === "entra" && !a.disableLocalAuth)
    add(
      configKey("azure", "auth"),
      "entra",
      "turns key auth off on the account, and the adopted account allows it: its other users' keys would stop working",
      "disable local auth on the account once its users have moved to Entra ID, or use azure.auth: key",
    );
  return problems;
}
