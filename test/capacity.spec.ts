import * as assert from "assert";
import fc from "fast-check";
import { poolHeadroom, refreshMaxHealthyPercentage } from "../aws/capacity";

describe("capacity arithmetic", () => {
  it("an instance refresh never needs more addresses than the pool holds (any size)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 99 }), (maxSize, extra) => {
        const pool = maxSize + poolHeadroom(maxSize) + extra;
        const percent = refreshMaxHealthyPercentage(maxSize, pool);
        return percent >= 100 && percent <= 200 && Math.ceil((maxSize * percent) / 100) <= pool;
      }),
    );
  });

  it("the headroom covers AZ rebalancing (10 % or one instance over maxSize)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99 }),
        (maxSize) => poolHeadroom(maxSize) >= Math.max(1, Math.ceil(maxSize * 0.1)),
      ),
    );
  });

  it("refuses a pool with no spare address", () => {
    assert.throws(() => refreshMaxHealthyPercentage(4, 4), /no spare address/);
  });
});
