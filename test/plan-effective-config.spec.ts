/**
 * The effective configuration says whether scaling is on (and so whether desiredCapacity still
 * matters) and how long a proxy lives. The scaling-on case runs through the CLI in plan-diff.spec.ts;
 * here the program under the recording mocks with scaling and the lifetime off.
 */
import * as assert from "assert";
import { evaluate, stackConfig } from "./support/program";
import { effectiveConfigSection } from "../plan/sections/effectiveConfig";
import type { Plan } from "../plan/run";

describe("plan: effective configuration, scaling and lifetime off", () => {
  let text: string;
  before(async () => {
    const config = stackConfig("dev", (raw) => {
      Object.assign(raw["dbx-aoai-link:proxy"], {
        minSize: 2,
        desiredCapacity: 2,
        maxSize: 2,
        maxInstanceLifetimeDays: 0,
      });
    });
    const e = await evaluate(config);
    text = effectiveConfigSection({ recorded: e.resources, config: e.config } as unknown as Plan);
  });

  it("says there is no scaling policy and how many proxies run", () => {
    assert.match(text, /autoscaling +off \(minSize = maxSize\): the group runs 2\n/);
  });

  it("says proxies are not replaced by age", () => {
    assert.match(text, /proxy lifetime +unlimited \(no replacement by age\)\n/);
  });
});
