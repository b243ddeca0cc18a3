import { strict as assert } from "node:assert";
import fc from "fast-check";
import {
  ASSIGNMENT_POLICY,
  type PoolAddress,
  addressHeldBy,
  backoffMs,
  classifyAssociateError,
  isActionAlreadyCompleted,
  orderCandidates,
} from "../lambda/decisions";
import { autoScalingError, ec2Error, noActiveLifecycleAction } from "../bench/eip/awsErrors";

const instanceIds = (count: number) => Array.from({ length: count }, (_, i) => `i-${i.toString(16).padStart(17, "0")}`);
const freePool = (count: number): PoolAddress[] =>
  Array.from({ length: count }, (_, i) => ({ allocationId: `eipalloc-${i.toString(16).padStart(17, "0")}` }));

const poolArbitrary = fc.uniqueArray(
  fc.record({
    allocationId: fc.stringMatching(/^eipalloc-[0-9a-f]{8}$/),
    associationId: fc.option(fc.constant("eipassoc-1"), { nil: undefined }),
    instanceId: fc.option(fc.constantFrom("i-a", "i-b"), { nil: undefined }),
  }),
  { selector: (address) => address.allocationId },
);

describe("EIP assignment decisions", () => {
  it("offers exactly the addresses without an AssociationId, each once", () => {
    fc.assert(
      fc.property(poolArbitrary, fc.stringMatching(/^i-[0-9a-f]{8}$/), (pool, instanceId) => {
        const offered = orderCandidates(pool, instanceId).map((address) => address.allocationId);
        const free = pool.filter((address) => !address.associationId).map((address) => address.allocationId);
        assert.deepEqual([...offered].sort(), [...free].sort());
      }),
    );
  });

  it("gives a retried event of the same instance the same order", () => {
    const pool = freePool(20);
    assert.deepEqual(orderCandidates(pool, "i-0abc"), orderCandidates([...pool].reverse(), "i-0abc"));
  });

  it("spreads the first choices of launches that list the pool at the same moment", () => {
    const pool = freePool(50);
    const firstChoices = new Set(
      instanceIds(50).map((instanceId) => orderCandidates(pool, instanceId)[0].allocationId),
    );
    // Independent uniform picks give ~50·(1−1/e) ≈ 32 distinct first choices; "first free" gives 1.
    assert.ok(firstChoices.size >= 25, `only ${firstChoices.size} distinct first choices`);
  });

  it("recognizes the instance's own address only when it is associated with that instance", () => {
    const pool: PoolAddress[] = [
      { allocationId: "eipalloc-other", associationId: "eipassoc-1", instanceId: "i-other" },
      { allocationId: "eipalloc-mine", associationId: "eipassoc-2", instanceId: "i-mine" },
    ];
    assert.equal(addressHeldBy(pool, "i-mine")?.allocationId, "eipalloc-mine");
    assert.equal(addressHeldBy(pool, "i-new"), undefined);
  });

  it("classifies AssociateAddress errors into taken, not ready, not found and fatal", () => {
    const cases: Array<[string, ReturnType<typeof classifyAssociateError>]> = [
      ["Resource.AlreadyAssociated", "address-taken"],
      ["InvalidAllocationID.NotFound", "address-taken"],
      ["IncorrectInstanceState", "instance-not-ready"],
      ["InvalidInstanceID", "instance-not-ready"],
      ["InvalidInstanceID.NotFound", "instance-not-found"],
      ["RequestLimitExceeded", "fatal"],
      ["UnauthorizedOperation", "fatal"],
      ["AuthFailure", "fatal"],
    ];
    for (const [code, expected] of cases) assert.equal(classifyAssociateError(ec2Error(code)), expected, code);
    assert.equal(classifyAssociateError("not an error"), "fatal");
  });

  it("treats only 'No active Lifecycle Action found' as an action already completed", () => {
    assert.equal(isActionAlreadyCompleted(noActiveLifecycleAction("i-1")), true);
    assert.equal(isActionAlreadyCompleted(autoScalingError("ValidationError", "Invalid LifecycleActionResult")), false);
    assert.equal(isActionAlreadyCompleted(autoScalingError("Throttling", "No active Lifecycle Action found")), false);
  });

  it("backs off exponentially, capped, never with a zero wait", () => {
    fc.assert(
      fc.property(fc.nat(20), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (retry, random) => {
        const wait = backoffMs(retry, random, ASSIGNMENT_POLICY);
        const step = Math.min(ASSIGNMENT_POLICY.backoffCapMs, ASSIGNMENT_POLICY.backoffBaseMs * 2 ** retry);
        assert.ok(wait >= step / 2 && wait <= step, `retry ${retry}: ${wait}`);
      }),
    );
  });
});
