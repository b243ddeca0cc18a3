import { strict as assert } from "node:assert";
import { judge, parseRecordedIds } from "../lambda-connections/decisions";
import { REJECTION_TIMING } from "../lambda-connections/contract";

const NOW = new Date("2026-12-01T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const OURS = "vpce-0aaaaaaaaaaaaaaaa";
const FOREIGN = "vpce-0bbbbbbbbbbbbbbbb";

describe("connection rejecter decisions", () => {
  it("keeps our recorded endpoint whatever its age", () => {
    assert.deepEqual(
      judge({ vpcEndpointId: OURS, createdAt: minutesAgo(60 * 24 * 30) }, new Set([OURS]), NOW, REJECTION_TIMING),
      { action: "keep", reason: "ours" },
    );
  });

  it("rejects another endpoint once it has waited longer than the settle window while ours is recorded", () => {
    const settle = REJECTION_TIMING.settleSeconds / 60;
    assert.equal(
      judge({ vpcEndpointId: FOREIGN, createdAt: minutesAgo(settle + 1) }, new Set([OURS]), NOW, REJECTION_TIMING)
        .action,
      "reject",
    );
    const young = judge(
      { vpcEndpointId: FOREIGN, createdAt: minutesAgo(settle - 1) },
      new Set([OURS]),
      NOW,
      REJECTION_TIMING,
    );
    assert.equal(young.action, "wait");
    assert.equal(young.action === "wait" && young.reason, "settling");
  });

  it("waits the whole grace period when no id is recorded, then rejects", () => {
    const grace = REJECTION_TIMING.graceSeconds / 60;
    assert.equal(
      judge({ vpcEndpointId: FOREIGN, createdAt: minutesAgo(grace - 1) }, new Set(), NOW, REJECTION_TIMING).action,
      "wait",
    );
    assert.deepEqual(
      judge({ vpcEndpointId: FOREIGN, createdAt: minutesAgo(grace + 1) }, new Set(), NOW, REJECTION_TIMING),
      { action: "reject", reason: "none-recorded-past-grace" },
    );
  });

  it("never rejects a request whose creation time is unknown (treated as just now)", () => {
    assert.equal(judge({ vpcEndpointId: FOREIGN }, new Set([OURS]), NOW, REJECTION_TIMING).action, "wait");
  });

  it("reads one id or a comma-separated list, ignoring blanks and anything not an endpoint id", () => {
    assert.deepEqual([...parseRecordedIds(` ${OURS} , ,${FOREIGN},pending`)], [OURS, FOREIGN]);
    assert.equal(parseRecordedIds(undefined).size, 0);
    assert.equal(parseRecordedIds("").size, 0);
  });
});
