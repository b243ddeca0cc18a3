/** Runs every scenario for a stack's parameters, before and after the day-2 fixes. */
import { seededRandom } from "./random";
import { type ScenarioResult, simulate } from "./fleet";
import { beforeDay2Fixes, type FleetParams } from "./params";
import { scenarios } from "./scenarios";

export interface StackSimulation {
  readonly params: FleetParams;
  readonly before: ScenarioResult[];
  readonly after: ScenarioResult[];
}

export function simulateStack(params: FleetParams): StackSimulation {
  const before = beforeDay2Fixes(params);
  return {
    params,
    before: scenarios(before).map((s) => simulate(before, s, seededRandom(s.seed))),
    after: scenarios(params).map((s) => simulate(params, s, seededRandom(s.seed))),
  };
}
