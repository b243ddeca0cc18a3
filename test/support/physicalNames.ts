/**
 * What an existing stack would see change if a default moved: each resource's URN (logical identity)
 * and the inputs that are names in the cloud (or tags). Used by the upgrade-gate test against a
 * snapshot taken before `namePrefix` and `tags` existed.
 */
import * as fs from "fs";
import * as path from "path";
import { evaluate, stackConfig, type TestResource } from "./program";

/** Inputs that carry a physical name somewhere (or the tags, which must not change by default). */
const NAME_INPUTS = [
  "name",
  "namePrefix",
  "accountName",
  "resourceGroupName",
  "deploymentName",
  "networkPolicyId",
  "scope",
  "key",
  "tags",
];

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

/**
 * Rewrites the snapshots: `node -r ts-node/register test/support/physicalNames.ts dev prod`. Only for a
 * change that renames on purpose (with `aliases`, or a documented replacement); run it on the code
 * *before* such a change, never to make the upgrade-gate test pass.
 */
if (require.main === module) {
  void (async () => {
    for (const stack of process.argv.slice(2)) {
      const file = path.join(__dirname, "..", "fixtures", `physical-names-${stack}.json`);
      fs.writeFileSync(
        file,
        JSON.stringify(physicalNames((await evaluate(stackConfig(stack))).resources), null, 1) + "\n",
      );
    }
  })();
}
