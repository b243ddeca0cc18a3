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
import { type AzureAuth, PROJECT } from "../config/types";
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
    {
      invoke: "azure-native:authorization:getClientToken",
      permission: "(the Azure login of the deployment)",
      what: "a Resource Manager token for the deployments list",
    },
    {
      invoke: "ARM GET accounts/{accountName}/deployments",
      permission: "Microsoft.CognitiveServices/accounts/deployments/read",
      what: "the adopted account's deployments, so a configured name it already has stops at preview",
    },
  ],
};

/** A deployment the adopted account has: its name, and its tags (ours carry the project and stack). */
export interface ExistingDeployment {
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Whether this stack created the deployment: the program tags the deployments it makes on an adopted
 * account with the common tags (config/tags.ts), and nobody else's carry this project and stack.
 */
export function isStacksDeployment(d: ExistingDeployment, stack: string): boolean {
  return d.tags.project === PROJECT && d.tags.stack === stack;
}

/** The account as read (absent when it could not be read). */
export interface ReadAccount extends AdoptedAccountState {
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
  readonly stack: string;
  /** Where the primary's deployments are configured (`azure.deployments` or `azure.accounts[0].deployments`). */
  readonly deploymentsKey: string;
  /** The configured deployment names, in config order. */
  readonly deploymentNames: readonly string[];
  /** The account's deployments (absent: not read, e.g. offline without a Resource Manager token). */
  readonly existingDeployments?: readonly ExistingDeployment[];
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
      "name an account of kind OpenAI or AIServices (Foundry)",
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
  facts.deploymentNames.forEach((name, i) => {
    const theirs = facts.existingDeployments?.find((d) => d.name.toLowerCase() === name.toLowerCase());
    if (theirs && !isStacksDeployment(theirs, facts.stack))
      add(
        `${facts.deploymentsKey}[${i}].name`,
        name,
        "the adopted account already has a deployment of that name that this stack did not create (creating it would fail after the AWS half is built)",
        `choose a different name, or, if this stack should own theirs, import it (pulumi import azure-native:cognitiveservices:Deployment <name> ${facts.id}/deployments/${theirs.name}); if this stack created it before its deployments were tagged, tag it project=${PROJECT} stack=${facts.stack}`,
      );
  });
  return problems;
}
