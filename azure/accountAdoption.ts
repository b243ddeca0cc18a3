/**
 * Adopting an existing Azure OpenAI account (`azure.existingAccount`): what of its current state the
 * program keeps when it takes the account over, so a shared account loses nothing but gains the pool.
 * Pure.
 */
import { toIpRules } from "./ipRules";

/** What the account has now (read at preview), as far as the program's inputs touch it. */
export interface AdoptedAccountState {
  /** `OpenAI`, or `AIServices` for a Foundry account (or one Microsoft upgraded): kept, never changed. */
  readonly kind: string;
  /** Its firewall's addresses and ranges. */
  readonly ipRules: readonly string[];
  readonly virtualNetworkRules: readonly { readonly id: string; readonly ignoreMissingVnetServiceEndpoint?: boolean }[];
  /** `AzureServices` or `None`. */
  readonly bypass: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly skuName: string;
}

export interface AccountAdoption<State = AdoptedAccountState> {
  /** The account's resource id: Pulumi's `import` option (a plain string: known before anything runs). */
  readonly importId: string;
  readonly existing: State;
}

/**
 * The firewall after adoption: the account's own rules plus every allowed address of ours. Nothing is
 * removed, because the program cannot tell an address it added on an earlier `up` from one the owner
 * added (docs/bring-your-own.md says how retired pool addresses leave).
 */
export function mergedIpRules(existing: readonly string[], ours: readonly string[]): { value: string }[] {
  return toIpRules([...existing, ...ours]);
}

/** The account's tags with ours on top (ours win on a clash; theirs are kept). */
export function mergedTags(
  existing: Readonly<Record<string, string>>,
  ours: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  return { ...existing, ...ours };
}
