import * as assert from "assert";
import fc from "fast-check";
import { toIpRules } from "../azure/ipRules";

describe("Azure IP rules", () => {
  it("are bare addresses, sorted numerically and de-duplicated", () => {
    assert.deepStrictEqual(
      toIpRules(["203.0.113.10", "20.1.0.0/24", "203.0.113.9/32", "203.0.113.10"]).map((r) => r.value),
      ["20.1.0.0/24", "203.0.113.9", "203.0.113.10"],
    );
  });

  it("give the same list whatever the order of the pool (no flapping previews)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 254 }), { minLength: 1, maxLength: 100 }), (lastOctets) => {
        const ips = lastOctets.map((o) => `203.0.113.${o}`);
        return JSON.stringify(toIpRules(ips)) === JSON.stringify(toIpRules([...ips].reverse()));
      }),
    );
  });
});
