/**
 * AZs by zone id (preflight/availabilityZones.ts): the choice reproduces the first-N-names choice where
 * the instance type is offered everywhere, skips zones that do not offer it, stops with a config-style
 * message when too few qualify, and honours pinned ids; then the program under mocks.
 */
import * as assert from "assert";
import { checkZones, chooseZones, zoneWarnings, type ZoneFacts } from "../preflight/availabilityZones";
import { evaluate, stackConfig } from "./support/program";
import { RecordingMocks } from "../plan/mocks";
import { ConfigError } from "../config/issues";
import { TYPES as T } from "../plan/resourceTypes";

// An account where names and ids do not line up in order (as AWS shuffles them per account).
const ZONES = [
  { name: "us-east-1c", id: "use1-az1" },
  { name: "us-east-1a", id: "use1-az4" },
  { name: "us-east-1b", id: "use1-az6" },
  { name: "us-east-1d", id: "use1-az2" },
];
const facts = (over: Partial<ZoneFacts> = {}): ZoneFacts => ({
  region: "us-east-1",
  instanceType: "c7g.large",
  wanted: 2,
  zones: ZONES,
  offeredIds: ZONES.map((z) => z.id),
  ...over,
});

describe("AZ choice by zone id (pure)", () => {
  it("takes the first zones in name order when the type is offered everywhere: the choice existing stacks were made with", () => {
    assert.deepStrictEqual(checkZones(facts()), []);
    assert.deepStrictEqual(chooseZones(facts()), [
      { name: "us-east-1a", id: "use1-az4" },
      { name: "us-east-1b", id: "use1-az6" },
    ]);
  });

  it("skips a zone that does not offer the instance type", () => {
    const f = facts({ offeredIds: ["use1-az1", "use1-az4", "use1-az2"] });
    assert.deepStrictEqual(checkZones(f), []);
    assert.deepStrictEqual(
      chooseZones(f).map((z) => z.id),
      ["use1-az4", "use1-az1"],
    );
  });

  it("stops when fewer zones than proxy.availabilityZones offer the type, naming the key, the ids and the fix", () => {
    const [problem, ...rest] = checkZones(facts({ wanted: 3, offeredIds: ["use1-az1", "use1-az4"] }));
    assert.strictEqual(rest.length, 0);
    assert.strictEqual(problem.key, "dbx-aoai-link:proxy.availabilityZones");
    assert.strictEqual(problem.value, 3);
    assert.match(
      problem.problem,
      /only 2 of us-east-1's 4 zones offer proxy\.instanceType c7g\.large \(use1-az4, use1-az1; not offered in use1-az6, use1-az2\)/,
    );
    assert.match(problem.fix, /set it to 2 or fewer, or choose an instance type offered in more zones/);
    assert.match(checkZones(facts({ wanted: 5 }))[0].problem, /has only 4 regular availability zones/);
  });

  it("uses pinned ids in their order, refuses an id the region lacks, and warns where the type is not offered", () => {
    const pinned = facts({ pinnedIds: ["use1-az2", "use1-az4"], offeredIds: ["use1-az4"] });
    assert.deepStrictEqual(checkZones(pinned), []);
    assert.deepStrictEqual(
      chooseZones(pinned).map((z) => z.name),
      ["us-east-1d", "us-east-1a"],
    );
    assert.match(zoneWarnings(pinned)[0], /proxy\.availabilityZoneIds: c7g\.large is not offered in use1-az2/);
    const [problem] = checkZones(facts({ pinnedIds: ["use1-az4", "usw2-az1"] }));
    assert.strictEqual(problem.key, "dbx-aoai-link:proxy.availabilityZoneIds");
    assert.match(
      problem.problem,
      /usw2-az1 is not a regular zone id of us-east-1 \(it has use1-az4, use1-az6, use1-az1, use1-az2\)/,
    );
  });
});

describe("proxy.availabilityZoneIds (config)", () => {
  const set = (proxy: Record<string, unknown>) => (raw: Record<string, any>) =>
    Object.assign(raw["dbx-aoai-link:proxy"], proxy);
  const fails = (proxy: Record<string, unknown>, pattern: RegExp) =>
    assert.throws(
      () => stackConfig("dev", set(proxy)),
      (e: unknown) => e instanceof ConfigError && pattern.test(e.message),
    );

  it("is absent by default, and availabilityZones follows a pinned list", () => {
    assert.strictEqual(stackConfig("dev").proxy.availabilityZoneIds, undefined);
    const pinned = stackConfig("dev", (raw) => {
      delete raw["dbx-aoai-link:proxy"].availabilityZones;
      raw["dbx-aoai-link:proxy"].availabilityZoneIds = ["use1-az4", "use1-az6", "use1-az1"];
    }).proxy;
    assert.deepStrictEqual(
      [pinned.availabilityZones, pinned.availabilityZoneIds],
      [3, ["use1-az4", "use1-az6", "use1-az1"]],
    );
  });

  it("refuses names, duplicates, a single zone and a count availabilityZones contradicts", () => {
    fails(
      { availabilityZoneIds: ["us-east-1a", "use1-az1"] },
      /proxy\.availabilityZoneIds\[0\] = "us-east-1a": is not an availability zone id\. Fix: write ids such as use1-az1/,
    );
    fails(
      { availabilityZoneIds: ["use1-az1", "use1-az1"] },
      /proxy\.availabilityZoneIds\[1\] = "use1-az1": is listed twice/,
    );
    fails(
      { availabilityZones: 2, availabilityZoneIds: ["use1-az1"] },
      /proxy\.availabilityZoneIds = \["use1-az1"\]: lists 1 zones\. Fix: list 2 to 6/,
    );
    fails(
      { availabilityZones: 2, availabilityZoneIds: ["use1-az1", "use1-az2", "use1-az3"] },
      /proxy\.availabilityZones = 2: disagrees with proxy\.availabilityZoneIds, which lists 3 zones\. Fix: remove availabilityZones/,
    );
  });
});

/** The shared mocks, with an account where the type is not offered in use1-az2 (us-east-1b). */
class NoOfferingInB extends RecordingMocks {
  override invoke(args: { token: string; inputs: Record<string, any> }): Record<string, unknown> {
    const result = super.invoke(args);
    if (args.token !== "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings") return result;
    const locations = (result.locations as string[]).filter((id) => id !== "use1-az2");
    return { ...result, locations, instanceTypes: locations.map(() => "t3.small") };
  }
}

describe("AZ choice in the program (under mocks)", function () {
  this.timeout(120_000);

  it("reads the type's offerings by zone id at preview (an invoke) and keeps today's zones where it is offered", async () => {
    const dev = await evaluate(stackConfig("dev"));
    const offerings = dev.invokes.filter(
      (i) => i.token === "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings",
    );
    assert.deepStrictEqual(
      offerings.map((i) => [i.inputs.locationType, i.inputs.filters]),
      [["availability-zone-id", [{ name: "instance-type", values: ["t3.small"] }]]],
    );
    assert.deepStrictEqual(
      dev.all(T.subnet).map((s) => s.inputs.availabilityZone),
      ["us-east-1a", "us-east-1b", "us-east-1a", "us-east-1b"],
    );
  });

  it("places the subnets (by name) only in zones that offer the type", async () => {
    const config = stackConfig("dev");
    const dev = await evaluate(config, new NoOfferingInB({ awsRegion: config.awsRegion }));
    assert.deepStrictEqual(
      dev.all(T.subnet).map((s) => s.inputs.availabilityZone),
      ["us-east-1a", "us-east-1c", "us-east-1a", "us-east-1c"],
    );
    assert.strictEqual(
      dev.all(T.subnet).some((s) => "availabilityZoneId" in s.inputs),
      false,
    );
  });
});
