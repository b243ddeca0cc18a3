/**
 * What an existing stack would see change if the zone choice moved: the zone-dependent inputs of the
 * subnets, the NLB, the group and the endpoint service, as a plan document for plan/diff.ts. Snapshotted
 * in test/fixtures/zone-inputs-<stack>.json from the program *before* zones were chosen by id; the
 * upgrade test diffs today's program against it.
 */
import * as fs from "fs";
import * as path from "path";
import { evaluate, stackConfig, type TestResource } from "./program";
import type { PlanDocument } from "../../plan/diff";
import { TYPES as T } from "../../plan/resourceTypes";

/** Per type, the inputs that follow from the chosen zones (other inputs are other changes' business). */
const ZONE_INPUTS: Record<string, readonly string[]> = {
  [T.subnet]: ["availabilityZone", "availabilityZoneId", "cidrBlock", "vpcId"],
  [T.nlb]: ["subnets"],
  [T.asg]: ["vpcZoneIdentifiers"],
  [T.endpointService]: ["networkLoadBalancerArns"],
};

export function zoneInputs(stack: string, resources: readonly TestResource[]): PlanDocument {
  return {
    stack,
    resources: resources
      .filter((r) => r.type in ZONE_INPUTS)
      .map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        inputs: Object.fromEntries(
          ZONE_INPUTS[r.type].filter((k) => r.inputs[k] !== undefined).map((k) => [k, r.inputs[k]]),
        ),
      })),
    outputs: {},
  };
}

export const zoneFixtureFile = (stack: string) => path.join(__dirname, "..", "fixtures", `zone-inputs-${stack}.json`);

/** Rewrites the snapshots (`node -r ts-node/register test/support/zoneInputs.ts dev prod`): only on purpose, never to make the upgrade test pass. */
if (require.main === module) {
  void (async () => {
    for (const stack of process.argv.slice(2)) {
      const doc = zoneInputs(stack, (await evaluate(stackConfig(stack))).resources);
      fs.writeFileSync(zoneFixtureFile(stack), JSON.stringify(doc, null, 1) + "\n");
    }
  })();
}
