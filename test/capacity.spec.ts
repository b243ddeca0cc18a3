import * as assert from "assert";
import fc from "fast-check";
import { poolHeadroom, refreshMaxHealthyPercentage } from "../aws/capacity";
import { layoutSubnets, subnetPrefixFor, SMALLEST_SUBNET_PREFIX } from "../aws/subnetLayout";
import { cidrContains, cidrsOverlap, formatCidr, parseCidr } from "../net/ipv4";
import { toIpRules } from "../azure/ipRules";

describe("capacity arithmetic", () => {
  it("an instance refresh never needs more addresses than the pool holds (any size)", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 99 }), (maxSize, extra) => {
      const pool = maxSize + poolHeadroom(maxSize) + extra;
      const percent = refreshMaxHealthyPercentage(maxSize, pool);
      return percent >= 100 && percent <= 200 && Math.ceil((maxSize * percent) / 100) <= pool;
    }));
  });

  it("the headroom covers AZ rebalancing (10 % or one instance over maxSize)", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 99 }), maxSize =>
      poolHeadroom(maxSize) >= Math.max(1, Math.ceil(maxSize * 0.1))));
  });

  it("refuses a pool with no spare address", () => {
    assert.throws(() => refreshMaxHealthyPercentage(4, 4), /no spare address/);
  });
});

describe("subnet layout", () => {
  it("public and private subnets lie inside the VPC, never overlap, and are at least /27", () => {
    const vpcs = fc.record({ octet: fc.integer({ min: 0, max: 255 }), prefix: fc.integer({ min: 16, max: 24 }), azs: fc.integer({ min: 2, max: 6 }) })
      .filter(v => subnetPrefixFor(v.prefix, v.azs) <= SMALLEST_SUBNET_PREFIX);
    fc.assert(fc.property(vpcs, ({ octet, prefix, azs }) => {
      const vpc = parseCidr(`10.${octet}.0.0/${prefix}`)!;
      const layout = layoutSubnets(formatCidr(vpc), azs);
      const all = [...layout.publicCidrs, ...layout.privateCidrs].map(c => parseCidr(c)!);
      return layout.publicCidrs.length === azs && layout.privateCidrs.length === azs
        && all.every(c => cidrContains(vpc, c) && c.prefix <= SMALLEST_SUBNET_PREFIX)
        && all.every((a, i) => all.slice(i + 1).every(b => !cidrsOverlap(a, b)));
    }));
  });

  it("keeps the dev layout stable", () => {
    assert.deepStrictEqual(layoutSubnets("10.42.0.0/16", 2), {
      publicCidrs: ["10.42.0.0/18", "10.42.64.0/18"], privateCidrs: ["10.42.128.0/18", "10.42.192.0/18"],
    });
  });
});

describe("Azure IP rules", () => {
  it("are bare addresses, sorted numerically and de-duplicated", () => {
    assert.deepStrictEqual(toIpRules(["203.0.113.10", "20.1.0.0/24", "203.0.113.9/32", "203.0.113.10"]).map(r => r.value),
      ["20.1.0.0/24", "203.0.113.9", "203.0.113.10"]);
  });

  it("give the same list whatever the order of the pool (no flapping previews)", () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 254 }), { minLength: 1, maxLength: 100 }), lastOctets => {
      const ips = lastOctets.map(o => `203.0.113.${o}`);
      return JSON.stringify(toIpRules(ips)) === JSON.stringify(toIpRules([...ips].reverse()));
    }));
  });
});
