/**
 * What an existing stack would see change if a default moved: each resource's URN (logical identity)
 * and the inputs that are names in the cloud (or tags). Used by the upgrade-gate test against a
 * snapshot taken before `namePrefix` and `tags` existed.
 */
import type { TestResource } from "./program";

/** Inputs that carry a physical name somewhere (or the tags, which must not change by default). */
const NAME_INPUTS = ["name", "namePrefix", "accountName", "resourceGroupName", "deploymentName", "networkPolicyId", "scope", "key", "tags"];

export type PhysicalNames = Record<string, Record<string, unknown>>;

export function physicalNames(resources: readonly TestResource[]): PhysicalNames {
  const result: PhysicalNames = {};
  for (const r of resources) {
    if (!r.custom || r.type.startsWith("pulumi:providers:")) continue;
    const names: Record<string, unknown> = {};
    for (const key of NAME_INPUTS) if (r.inputs[key] !== undefined) names[key] = r.inputs[key];
    const sub = r.inputs.properties?.customSubDomainName;
    if (sub !== undefined) names.customSubDomainName = sub;
    result[r.urn] = names;
  }
  return result;
}
