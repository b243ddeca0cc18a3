import { createHash } from "node:crypto";

/** One pool address as DescribeAddresses reports it, reduced to what the decisions read. */
export interface PoolAddress {
  allocationId: string;
  publicIp?: string;
  associationId?: string;
  instanceId?: string;
}

/** Bounds of the assignment loop; every wait and retry the handler does is counted against one of them. */
export interface AssignmentPolicy {
  /** Addresses found taken from one listing before listing again: past that, the listing is stale. */
  takenBeforeRelisting: number;
  /** Listings per invocation; reached only under heavy contention, and then the invocation throws. */
  maxListings: number;
  /** Retries of one AssociateAddress while the instance is not yet associable (pending, not yet visible). */
  instanceNotReadyRetries: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Total time one invocation may spend waiting for the instance; when set it bounds the retries too. */
  waitBudgetMs?: number;
  /**
   * InvalidInstanceID.NotFound (a new id not yet visible) is waited out like a pending instance, and an id
   * still unknown when the budget is spent ends the launch with ABANDON (otherwise: logged, left to the heartbeat).
   */
  waitsOutNotFound?: boolean;
}

/**
 * A new instance is usually pending for 10–40 s and its id may be unknown to EC2 for a few seconds
 * (eventual consistency): one invocation waits that out, up to 50 s of backoff (0.5 s doubling to 5 s,
 * with jitter), well inside the 90 s function timeout, instead of failing and waiting a minute for
 * Lambda's async retry. An instance still unknown after that is abandoned explicitly.
 */
export const ASSIGNMENT_POLICY: AssignmentPolicy = {
  takenBeforeRelisting: 2,
  maxListings: 8,
  instanceNotReadyRetries: 40,
  backoffBaseMs: 500,
  backoffCapMs: 5000,
  waitBudgetMs: 50_000,
  waitsOutNotFound: true,
};

/**
 * Free means "no association", read from EC2's own state. Never from a tag: a tag written at assignment
 * time stays when EC2 disassociates the address from a terminated instance.
 */
export function isFree(address: PoolAddress): boolean {
  return !address.associationId;
}

/** The pool address this instance already holds, if any: a repeated event must not take a second one. */
export function addressHeldBy(pool: readonly PoolAddress[], instanceId: string): PoolAddress | undefined {
  return pool.find((address) => address.associationId && address.instanceId === instanceId);
}

/**
 * Free addresses in the order this instance tries them. Each instance gets its own pseudo-random order
 * (rendezvous hashing of instance id and allocation id), so launches that list the pool at the same
 * moment mostly try different addresses first instead of all racing for the first one. Deterministic:
 * a retried event tries the same order.
 */
export function orderCandidates(pool: readonly PoolAddress[], instanceId: string): PoolAddress[] {
  return pool
    .filter(isFree)
    .map((address) => ({ address, score: rendezvousScore(instanceId, address.allocationId) }))
    .sort((a, b) => b.score - a.score || a.address.allocationId.localeCompare(b.address.allocationId))
    .map(({ address }) => address);
}

function rendezvousScore(instanceId: string, allocationId: string): number {
  return createHash("sha256").update(`${instanceId}\n${allocationId}`).digest().readUIntBE(0, 6);
}

/** What a failed AssociateAddress means for the loop. */
export type AssociateFailure =
  /** Someone else associated the address since we listed it (or it left the pool): try another. */
  | "address-taken"
  /** The instance exists but cannot take an address yet (still pending): wait, retry the same address. */
  | "instance-not-ready"
  /** EC2 does not know the instance: right after launch that is eventual consistency, later it is gone. */
  | "instance-not-found"
  /** Throttling after the SDK's own retries, authorization, anything unknown: the invocation fails. */
  | "fatal";

const ADDRESS_TAKEN = new Set(["Resource.AlreadyAssociated", "InvalidAllocationID.NotFound"]);
const INSTANCE_NOT_READY = new Set(["IncorrectInstanceState", "InvalidInstanceID"]);
const INSTANCE_NOT_FOUND = new Set(["InvalidInstanceID.NotFound"]);

export function classifyAssociateError(error: unknown): AssociateFailure {
  const code = errorCode(error);
  if (ADDRESS_TAKEN.has(code)) return "address-taken";
  if (INSTANCE_NOT_READY.has(code)) return "instance-not-ready";
  if (INSTANCE_NOT_FOUND.has(code)) return "instance-not-found";
  return "fatal";
}

/**
 * CompleteLifecycleAction's answer when the action is no longer open: an earlier delivery completed it,
 * or the heartbeat timed out. Either way there is nothing left to do.
 */
export function isActionAlreadyCompleted(error: unknown): boolean {
  return errorCode(error) === "ValidationError" && /no active lifecycle action found/i.test(errorMessage(error));
}

/** Exponential backoff with "equal jitter": at least half the step, so a retry never comes at once. */
export function backoffMs(retry: number, random: number, policy: AssignmentPolicy): number {
  const step = Math.min(policy.backoffCapMs, policy.backoffBaseMs * 2 ** retry);
  return step / 2 + (random * step) / 2;
}

/** The SDK v3 puts the service's error code in `name`. */
function errorCode(error: unknown): string {
  return error instanceof Error ? error.name : "";
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
