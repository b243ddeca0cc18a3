/**
 * Azure model preflight (pure): is each configured deployment's model version and SKU offered in
 * `azure-native:location`, and does the subscription's tokens-per-minute quota there cover the
 * capacities? Without it a first `up` fails at the Deployment after the whole AWS half exists.
 *
 * Facts come from Azure Resource Manager (there is no azure-native invoke for these lists), read by
 * preflight/azureModelsFacts.ts with the token of the program's Azure credentials:
 * - `GET /subscriptions/{id}/providers/Microsoft.CognitiveServices/locations/{location}/models`: each
 *   model's versions and SKUs, and per SKU the `usageName` its capacity is counted against;
 * - `GET .../locations/{location}/usages`: `currentValue` and `limit` per usage name;
 * - `GET .../accounts/{accountName}/deployments` of our account (none yet on a new stack): capacity we
 *   hold already is counted in `currentValue` and must not be asked for twice.
 */
import { PROJECT } from "../config/types";
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

export interface AzureModelFacts {
  readonly location: string;
  readonly deployments: readonly Pick<ModelDeployment, "name" | "model" | "version" | "sku" | "capacity">[];
  readonly offered: readonly OfferedModel[];
  /** Usage name → current use and limit, in capacity units (thousands of tokens per minute). */
  readonly usages: Readonly<Record<string, { readonly current: number; readonly limit: number }>>;
  /** Our account's existing deployments: name → SKU and capacity. */
  readonly existing: Readonly<Record<string, { readonly sku: string; readonly capacity: number }>>;
}

const key = (i: number, field: string) => `${PROJECT}:azure.deployments[${i}].${field}`;

export function checkAzureModels(facts: AzureModelFacts): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  const wanted = new Map<string, { capacity: number; held: number; entries: number[] }>();
  facts.deployments.forEach((d, i) => {
    const versions = facts.offered.filter((m) => m.name === d.model);
    const offered = versions.find((m) => m.version === d.version);
    if (!offered) {
      problems.push({
        key: key(i, versions.length ? "version" : "model"),
        value: versions.length ? d.version : d.model,
        problem: versions.length
          ? `${d.model} ${d.version} is not offered in ${facts.location} to this subscription`
          : `${d.model} is not offered in ${facts.location} to this subscription`,
        fix: versions.length
          ? `use one of the versions offered there (${versions
              .map((m) => m.version)
              .sort()
              .join(", ")}), or another azure-native:location`
          : "choose another azure-native:location where the model is offered, or another model (azure/models.ts lists current ones)",
      });
      return;
    }
    const usage = offered.skus[d.sku];
    if (!usage) {
      problems.push({
        key: key(i, "sku"),
        value: d.sku,
        problem: `${d.model} ${d.version} is not offered as ${d.sku} in ${facts.location}`,
        fix: `use one of ${Object.keys(offered.skus).sort().join(", ")}`,
      });
      return;
    }
    const group = wanted.get(usage) ?? { capacity: 0, held: 0, entries: [] };
    const held = facts.existing[d.name]?.sku === d.sku ? facts.existing[d.name].capacity : 0;
    wanted.set(usage, {
      capacity: group.capacity + d.capacity,
      held: group.held + held,
      entries: [...group.entries, i],
    });
  });
  for (const [usage, group] of wanted) {
    const quota = facts.usages[usage];
    if (!quota) continue; // No usage entry: nothing to compare against; Azure decides at create.
    const free = quota.limit - quota.current + group.held;
    if (group.capacity <= free) continue;
    const first = group.entries[0];
    problems.push({
      key: key(first, "capacity"),
      value: facts.deployments[first].capacity,
      problem:
        `${group.entries.map((i) => facts.deployments[i].name).join(" + ")} ask${group.entries.length === 1 ? "s" : ""} for ${group.capacity}K tokens/min of ${usage} in ` +
        `${facts.location}, but the subscription's quota is ${quota.limit}K with ${quota.current - group.held}K used elsewhere (${free}K free): the Deployment would fail after the AWS half is created`,
      fix: `lower the capacities to ${free}K in total, free quota from other deployments, or request more quota for ${usage} in ${facts.location} (Azure AI Foundry portal → Quotas)`,
    });
  }
  return problems;
}
