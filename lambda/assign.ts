import {
  ASSIGNMENT_POLICY,
  type AssignmentPolicy,
  type PoolAddress,
  addressHeldBy,
  backoffMs,
  classifyAssociateError,
  orderCandidates,
} from "./decisions";

/** What the loop needs from the outside world; production passes the SDK calls of aws.ts. */
export interface AssignmentPorts {
  listPool(tagKey: string): Promise<PoolAddress[]>;
  /** AssociateAddress that fails, never steals, when the address is already associated. */
  associateAddress(allocationId: string, instanceId: string): Promise<void>;
  sleep(ms: number): Promise<void>;
  /** In [0, 1): backoff jitter. */
  random(): number;
}

/** Counters that end up in the outcome log line. */
export interface AssignmentTally {
  /** AssociateAddress calls. */
  attempts: number;
  /** DescribeAddresses calls. */
  listings: number;
  /** Addresses another launch associated between our listing and our attempt. */
  addressesTaken: number;
  /** Waits for the instance to become associable. */
  notReadyRetries: number;
  /** Total time slept in those waits, ms: bounded by the policy's wait budget. */
  waitedMs: number;
}

export type Assignment = AssignmentTally &
  (
    | { outcome: "assigned" | "already-held"; allocationId: string; publicIp?: string }
    | { outcome: "pool-exhausted" | "instance-gone" }
  );

/**
 * Thrown when the instance never became associable within the policy's retries: the invoke retries,
 * unless the launch turns out to be over already (lambda/launch.ts).
 */
export class InstanceNotReadyError extends Error {
  constructor(
    instanceId: string,
    cause: unknown,
    /** What the invocation spent before giving up. */
    readonly tally: AssignmentTally,
  ) {
    super(`instance ${instanceId} did not become associable`, { cause });
    this.name = "InstanceNotReadyError";
  }
}

/** Thrown when every listing still showed free addresses but each was taken first; the invoke retries. */
export class PoolContentionError extends Error {
  constructor(instanceId: string, listings: number) {
    super(`instance ${instanceId} lost every race for a free pool address over ${listings} listings`);
    this.name = "PoolContentionError";
  }
}

type AttemptResult = "associated" | "address-taken" | "instance-gone";

/**
 * Gives the instance one pool address without ever taking one from another instance:
 * the instance already holds one → done; otherwise try free addresses in this instance's order with
 * AllowReassociation=false, moving on when one is taken meanwhile and listing again when the listing is
 * stale. "pool-exhausted" is only concluded from a listing taken after the first, never from a stale view.
 */
export async function assignPoolAddress(
  instanceId: string,
  eipTagKey: string,
  ports: AssignmentPorts,
  policy: AssignmentPolicy = ASSIGNMENT_POLICY,
): Promise<Assignment> {
  const tally: AssignmentTally = { attempts: 0, listings: 0, addressesTaken: 0, notReadyRetries: 0, waitedMs: 0 };
  const listPool = () => {
    tally.listings++;
    return ports.listPool(eipTagKey);
  };

  for (let pool = await listPool(); ; pool = await listPool()) {
    const held = addressHeldBy(pool, instanceId);
    if (held) return { outcome: "already-held", allocationId: held.allocationId, publicIp: held.publicIp, ...tally };

    const candidates = orderCandidates(pool, instanceId);
    if (candidates.length === 0 && tally.listings > 1) return { outcome: "pool-exhausted", ...tally };

    let takenFromThisListing = 0;
    for (const candidate of candidates) {
      const result = await associateWhenReady(candidate.allocationId, instanceId, ports, policy, tally);
      if (result === "associated") {
        return { outcome: "assigned", allocationId: candidate.allocationId, publicIp: candidate.publicIp, ...tally };
      }
      if (result === "instance-gone") return { outcome: "instance-gone", ...tally };
      tally.addressesTaken++;
      if (++takenFromThisListing >= policy.takenBeforeRelisting) break;
    }
    if (tally.listings >= policy.maxListings) throw new PoolContentionError(instanceId, tally.listings);
  }
}

/** One address, retried with backoff while the instance is not yet associable. */
async function associateWhenReady(
  allocationId: string,
  instanceId: string,
  ports: AssignmentPorts,
  policy: AssignmentPolicy,
  tally: AssignmentTally,
): Promise<AttemptResult> {
  for (let retry = 0; ; retry++) {
    tally.attempts++;
    try {
      await ports.associateAddress(allocationId, instanceId);
      return "associated";
    } catch (error) {
      const failure = classifyAssociateError(error);
      if (failure === "address-taken") return "address-taken";
      if (failure === "fatal") throw error;
      const wait = backoffMs(retry, ports.random(), policy);
      const withinBudget =
        retry < policy.instanceNotReadyRetries &&
        (policy.waitBudgetMs === undefined || tally.waitedMs + wait <= policy.waitBudgetMs);
      if (!withinBudget) {
        if (failure === "instance-not-found") return "instance-gone";
        throw new InstanceNotReadyError(instanceId, error, { ...tally });
      }
      tally.notReadyRetries++;
      tally.waitedMs += wait;
      await ports.sleep(wait);
    }
  }
}
