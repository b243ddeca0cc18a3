import { strict as assert } from "node:assert";
import { awsCalls } from "../lambda-connections/aws";
import { REJECTION_TIMING } from "../lambda-connections/contract";
import { type RejectionTiming } from "../lambda-connections/decisions";
import { reconcile } from "../lambda-connections/reconcile";
import { ConnectionWorld, yieldTurns } from "./support/connectionWorld";
import { seededRandom } from "../bench/eip/random";

const SERVICE = "vpce-svc-0123456789abcdef0";
const PARAMETER = "/dbx-aoai-link/test/privatelink/rule-endpoint-id";
const OLD_RULE = "vpce-0000000000000000a";
const NEW_RULE = "vpce-0000000000000000b";
const FOREIGN_EARLY = "vpce-00000000000000f01";
const FOREIGN_LATE = "vpce-00000000000000f02";
const INVOCATIONS = 40;
const T0 = new Date("2026-12-01T12:00:00Z").getTime();
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/**
 * The rule is replaced: the parameter still holds the old rule's endpoint while the new rule's endpoint
 * asks to connect. Notifications for it and for two foreign endpoints fire at random moments over the
 * 12 minutes in which the program's waiter finds the new id (after 4–10 minutes), records it and
 * accepts it. A last scheduled run comes after the settle window. Actions start in order of their
 * (virtual) time without waiting for earlier ones to finish, so reads, records and rejections overlap.
 */
async function replacementScenario(seed: number, timing: RejectionTiming) {
  const random = seededRandom(seed);
  const world = new ConnectionWorld(SERVICE, random);
  world.recorded = OLD_RULE;
  world.add(OLD_RULE, at(-60 * 24 * 7), "available");
  world.add(FOREIGN_EARLY, at(-120));
  world.add(NEW_RULE, at(0));
  world.add(FOREIGN_LATE, at(1));
  let clock = at(0);
  const ports = { ...awsCalls, now: () => clock };
  const settings = { serviceId: SERVICE, parameterName: PARAMETER, timing };
  let failures = 0;
  type Action = { minutes: number; run: () => Promise<void> };
  const actions: Action[] = [
    {
      minutes: 4 + random() * 6,
      run: async () => {
        world.recorded = NEW_RULE;
      },
    },
    ...Array.from({ length: INVOCATIONS }, (): Action => ({
      minutes: random() * 12,
      run: () =>
        reconcile(settings, ports).then(
          () => undefined,
          () => void failures++,
        ),
    })),
  ];
  const recordAt = actions[0].minutes;
  // The program accepts right after recording (the accepter depends on the same waiter output).
  actions.push({
    minutes: recordAt + 0.1,
    run: async () => {
      if (world.stateOf(NEW_RULE) === "pendingAcceptance") world.add(NEW_RULE, at(0), "available");
    },
  });
  try {
    const running: Promise<void>[] = [];
    for (const action of actions.sort((a, b) => a.minutes - b.minutes)) {
      clock = at(action.minutes);
      running.push(action.run());
      await yieldTurns(Math.floor(random() * 4));
    }
    await Promise.all(running);
    // The schedule's re-check, once the late foreign request has outlived the settle window.
    clock = at(1 + timing.settleSeconds / 60 + 1);
    await reconcile(settings, ports);
    return { world, failures };
  } finally {
    world.restore();
  }
}

describe("connection rejecter under concurrent notifications while the rule is replaced", () => {
  for (const seed of [1, 2, 3]) {
    it(`never rejects our new endpoint and rejects both foreign requests (seed ${seed})`, async () => {
      const { world, failures } = await replacementScenario(seed, REJECTION_TIMING);
      assert.equal(failures, 0);
      assert.equal(world.wasRejectionAttempted(NEW_RULE), false, "our new endpoint was named in a rejection");
      assert.equal(world.stateOf(NEW_RULE), "available");
      assert.equal(world.stateOf(OLD_RULE), "available");
      assert.equal(world.stateOf(FOREIGN_EARLY), "rejected");
      assert.equal(world.stateOf(FOREIGN_LATE), "rejected");
    });
  }

  it("catches our endpoint being rejected when the settle window is dropped, so the check can fail", async () => {
    const attempted: boolean[] = [];
    for (const seed of [1, 2, 3]) {
      const { world } = await replacementScenario(seed, { ...REJECTION_TIMING, settleSeconds: 0 });
      attempted.push(world.wasRejectionAttempted(NEW_RULE));
    }
    assert.deepEqual(attempted, [true, true, true]);
  });
});
