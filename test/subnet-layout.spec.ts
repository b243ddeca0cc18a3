import * as assert from "assert";
import fc from "fast-check";
import { layoutSubnets, subnetPrefixFor, SMALLEST_SUBNET_PREFIX } from "../aws/subnetLayout";
import { cidrContains, cidrsOverlap, formatCidr, parseCidr } from "../net/ipv4";

describe("subnet layout", () => {
  it("public and private subnets lie inside the VPC, never overlap, and are at least /27", () => {
    const vpcs = fc
      .record({
        octet: fc.integer({ min: 0, max: 255 }),
        prefix: fc.integer({ min: 16, max: 24 }),
        azs: fc.integer({ min: 2, max: 6 }),
      })
      .filter((v) => subnetPrefixFor(v.prefix, v.azs) <= SMALLEST_SUBNET_PREFIX);
    fc.assert(
      fc.property(vpcs, ({ octet, prefix, azs }) => {
        const vpc = parseCidr(`10.${octet}.0.0/${prefix}`)!;
        const layout = layoutSubnets(formatCidr(vpc), azs);
        const all = [...layout.publicCidrs, ...layout.privateCidrs].map((c) => parseCidr(c)!);
        return (
          layout.publicCidrs.length === azs &&
          layout.privateCidrs.length === azs &&
          all.every((c) => cidrContains(vpc, c) && c.prefix <= SMALLEST_SUBNET_PREFIX) &&
          all.every((a, i) => all.slice(i + 1).every((b) => !cidrsOverlap(a, b)))
        );
      }),
    );
  });

  it("keeps the dev layout stable", () => {
    assert.deepStrictEqual(layoutSubnets("10.42.0.0/16", 2), {
      publicCidrs: ["10.42.0.0/18", "10.42.64.0/18"],
      privateCidrs: ["10.42.128.0/18", "10.42.192.0/18"],
    });
  });
});

describe("subnet layout when the zone count changes on an existing stack (README, docs/fleet.md)", () => {
  const vpc = "10.42.0.0/16";
  const unchanged = (from: number, to: number) =>
    [layoutSubnets(vpc, from), layoutSubnets(vpc, to)].map((l) => [
      ...l.publicCidrs.slice(0, from),
      ...l.privateCidrs.slice(0, from),
    ]);

  it("keeps every existing subnet when the count stays within the same power of two (3 → 4): the new zone is added", () => {
    const [before, after] = unchanged(3, 4);
    assert.deepStrictEqual(after, before);
  });

  it("re-carves every subnet when the count crosses a power of two (2 → 3, 4 → 5), as the docs warn", () => {
    for (const [from, to] of [
      [2, 3],
      [4, 5],
    ]) {
      const [before, after] = unchanged(from, to);
      assert.ok(
        before.every((cidr, i) => cidr !== after[i]),
        `${from} → ${to}: ${before} vs ${after}`,
      );
    }
  });
});
