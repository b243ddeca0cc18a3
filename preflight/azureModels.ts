/**
 * Azure model preflight (pure): is each account's deployments' model version and SKU offered in that
 * account's location, and does the subscription's tokens-per-minute quota there cover the capacities
 * of every account in it? Without it a first `up` fails at the Deployment after the whole AWS half exists.
 *
 * Facts come from Azure Resource Manager (there is no azure-native invoke for these lists), read by
 * preflight/azureModelsFacts.ts with the token of the program's Azure credentials:
 * - `GET /subscriptions/{id}/providers/Microsoft.CognitiveServices/locations/{location}/models`: each
 *   model's versions and SKUs, and per SKU the `usageName` its capacity is counted against;
 * - `GET .../locations/{location}/usages`: `currentValue` and `limit` per usage name;
 * - `GET .../accounts/{accountName}/deployments` of each of our accounts (none yet on a new stack):
 *   capacity we hold already is counted in `currentValue` and must not be asked for twice.
 */
import { type AzureAccountKeys, PROJECT } from "../config/types";
import type { ModelDeployment } from "../azure/openAiAccount";
import { type PreflightDescriptor, type PreflightProblem } from "./check";

export const AZURE_ARM_API_VERSION = "2024-10-01";

export const AZURE_MODELS_PREFLIGHT: PreflightDescriptor = {
  name: "Azure models and quota",
  configKey: `${PROJECT}:azure.deployments`,
  reads: [
    {
      invoke: "azure-native:authorization:getClientToken",
      permission: "(the Azure login of the deployment)",
      what: "a Resource Manager token for the three reads below",
    },
    {
      invoke: "ARM GET locations/{location}/models",
      permission: "Microsoft.CognitiveServices/locations/models/read",
      what: "models, versions and SKUs offered in azure-native:location",
    },
    {
      invoke: "ARM GET locations/{location}/usages",
      permission: "Microsoft.CognitiveServices/locations/usages/read",
      what: "tokens-per-minute quota and use per model and SKU",
    },
    {
      invoke: "ARM GET accounts/{accountName}/deployments",
      permission: "Microsoft.CognitiveServices/accounts/deployments/read",
      what: "capacity our account already holds",
    },
  ],
};

export interface OfferedModel {
  readonly name: string;
  readonly version: string;
  /** SKU name → the usage its capacity counts against. */
  readonly skus: Readonly<Record<string, string>>;
}

/** One account's facts: its deployments, and what its location offers and has left. */
export interface AzureModelFacts {
  readonly account: string;
  /** Where the account's deployments and location are configured: what a problem names. */
  readonly keys: Pick<AzureAccountKeys, "deployments" | "location">;
  readonly location: string;
  readonly deployments: readonly Pick<ModelDeployment, "name" | "model" | "version" | "sku" | "capacity">[];
  readonly offered: readonly OfferedModel[];
  /** Usage name → current use and limit, in capacity units (thousands of tokens per minute). */
  readonly usages: Readonly<Record<string, { readonly current: number; readonly limit: number }>>;
  /** The account's existing deployments: name → SKU and capacity. */
  readonly existing: Readonly<Record<string, { readonly sku: string; readonly capacity: number }>>;
}

/** A deployment of one account, as the quota check groups them. */
interface Ask {
  readonly facts: AzureModelFacts;
  readonly index: number;
}

/**
 * Every account's deployments against what its location offers, and the capacities of all accounts
 * against each location's quota: quota belongs to the subscription and region, so two accounts in one
 * region draw on the same tokens per minute.
 */
export function checkAzureModels(facts: AzureModelFacts | readonly AzureModelFacts[]): PreflightProblem[] {
  const accounts = ([] as AzureModelFacts[]).concat(facts);
  const problems: PreflightProblem[] = [];
  // "<location> <usage>" → the deployments counted against it.
  const wanted = new Map<string, { usage: string; asks: Ask[] }>();
  for (const account of accounts) {
    account.deployments.forEach((d, index) => {
      const usage = offerProblem(account, index, problems);
      if (!usage) return;
      const group = wanted.get(`${account.location} ${usage}`) ?? { usage, asks: [] };
      wanted.set(`${account.location} ${usage}`, { usage, asks: [...group.asks, { facts: account, index }] });
    });
  }
  const label = (a: Ask) => {
    const name = a.facts.deployments[a.index].name;
    return accounts.length > 1 ? `${name} (${a.facts.account})` : name;
  };
  for (const { usage, asks } of wanted.values()) {
    const { location, usages } = asks[0].facts;
    const quota = usages[usage];
    if (!quota) continue; // No usage entry: nothing to compare against; Azure decides at create.
    const capacity = sum(asks.map((a) => a.facts.deployments[a.index].capacity));
    const held = sum(
      asks.map((a) => {
        const d = a.facts.deployments[a.index];
        const existing = a.facts.existing[d.name];
        return existing?.sku === d.sku ? existing.capacity : 0;
      }),
    );
    const free = quota.limit - quota.current + held;
    if (capacity <= free) continue;
    const first = asks[0];
    problems.push({
      key: `${first.facts.keys.deployments}[${first.index}].capacity`,
      value: first.facts.deployments[first.index].capacity,
      problem:
        `${asks.map(label).join(" + ")} ask${asks.length === 1 ? "s" : ""} for ${capacity}K tokens/min of ${usage} in ` +
        `${location}, but the subscription's quota is ${quota.limit}K with ${quota.current - held}K used elsewhere (${free}K free): the Deployment would fail after the AWS half is created`,
      fix: `lower the capacities to ${free}K in total, free quota from other deployments, or request more quota for ${usage} in ${location} (Azure AI Foundry portal → Quotas)`,
    });
  }
  return problems;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** The usage a deployment's capacity counts against, or undefined after adding why it is not offered. */
function offerProblem(facts: AzureModelFacts, i: number, problems: PreflightProblem[]): string | undefined {
  const d = facts.deployments[i];
  const key = (field: string) => `${facts.keys.deployments}[${i}].${field}`;
  const versions = facts.offered.filter((m) => m.name === d.model);
  const offered = versions.find((m) => m.version === d.version);
  if (!offered) {
    problems.push({
      key: key(versions.length ? "version" : "model"),
      value: versions.length ? d.version : d.model,
      problem: versions.length
        ? `${d.model} ${d.version} is not offered in ${facts.location} to this subscription`
        : `${d.model} is not offered in ${facts.location} to this subscription`,
      fix: versions.length
        ? `use one of the versions offered there (${versions
            .map((m) => m.version)
            .sort()
            .join(", ")}), or another ${facts.keys.location}`
        : `choose another ${facts.keys.location} where the model is offered, or another model (azure/models.ts lists current ones)`,
    });
    return undefined;
  }
  const usage = offered.skus[d.sku];
  if (!usage)
    problems.push({
      key: key("sku"),
      value: d.sku,
      problem: `${d.model} ${d.version} is not offered as ${d.sku} in ${facts.location}`,
      fix: `use one of ${Object.keys(offered.skus).sort().join(", ")}`,
    });
  return usage;
}
