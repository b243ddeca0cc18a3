/** Which pending connection requests to reject: pure, from EC2's own listing and the recorded ids. */

/** A pending request as DescribeVpcEndpointConnections reports it, reduced to what the decision reads. */
export interface PendingConnection {
  vpcEndpointId: string;
  vpcEndpointOwner?: string;
  /** When the endpoint asked to connect. Missing → treated as just now (never rejected on age). */
  createdAt?: Date;
}

export interface RejectionTiming {
  settleSeconds: number;
  graceSeconds: number;
}

export type Verdict =
  | { action: "keep"; reason: "ours" }
  | { action: "wait"; reason: "settling" | "none-recorded-within-grace"; rejectAfter: Date }
  | { action: "reject"; reason: "not-ours" | "none-recorded-past-grace" };

/**
 * `recorded` is the set of our rule's endpoint ids (empty when none is recorded yet).
 * Ours is kept, whatever its age. Another endpoint is rejected once its request is older than the
 * settle window (the time our own new endpoint may wait to be recorded); with nothing recorded at all,
 * only once it is older than the grace period.
 */
export function judge(
  connection: PendingConnection,
  recorded: ReadonlySet<string>,
  now: Date,
  timing: RejectionTiming,
): Verdict {
  if (recorded.has(connection.vpcEndpointId)) return { action: "keep", reason: "ours" };
  const created = connection.createdAt ?? now;
  const window = recorded.size > 0 ? timing.settleSeconds : timing.graceSeconds;
  const rejectAfter = new Date(created.getTime() + window * 1000);
  if (now.getTime() < rejectAfter.getTime()) {
    return { action: "wait", reason: recorded.size > 0 ? "settling" : "none-recorded-within-grace", rejectAfter };
  }
  return { action: "reject", reason: recorded.size > 0 ? "not-ours" : "none-recorded-past-grace" };
}

/** The parameter's value: one id, or several separated by commas (a StringList). Blank entries ignored. */
export function parseRecordedIds(value: string | undefined): Set<string> {
  return new Set(
    (value ?? "")
      .split(",")
      .map((id) => id.trim())
      .filter((id) => /^vpce-[0-9a-f]+$/.test(id)),
  );
}
