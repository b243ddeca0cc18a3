import { type PendingConnection, type RejectionTiming, type Verdict, judge, parseRecordedIds } from "./decisions";

/** What the reconciliation needs from AWS; production passes the SDK calls of aws.ts. */
export interface ReconcilePorts {
  listPending(serviceId: string): Promise<PendingConnection[]>;
  /** The parameter's raw value, undefined when it does not exist yet. */
  readRecorded(parameterName: string): Promise<string | undefined>;
  /** Rejects the given endpoints' requests; returns the ids AWS reported as not rejected, with the code. */
  reject(serviceId: string, vpcEndpointIds: string[]): Promise<Array<{ vpcEndpointId: string; code: string }>>;
  now(): Date;
}

export interface ReconcileSettings {
  serviceId: string;
  parameterName: string;
  timing: RejectionTiming;
}

export interface JudgedConnection extends PendingConnection {
  verdict: Verdict;
  /** Only for "reject" verdicts: what AWS answered. */
  rejection?: "rejected" | { notRejected: string };
}

/**
 * Judges every pending request on the service from EC2's listing, never from the notification (it may be
 * late, repeated or lost; the schedule catches up). The recorded ids are read again right before
 * rejecting, so an id the program recorded meanwhile still saves its endpoint.
 */
export async function reconcile(settings: ReconcileSettings, ports: ReconcilePorts): Promise<JudgedConnection[]> {
  const pending = await ports.listPending(settings.serviceId);
  if (pending.length === 0) return [];
  const decide = (recorded: Set<string>) =>
    pending.map((c): JudgedConnection => ({ ...c, verdict: judge(c, recorded, ports.now(), settings.timing) }));

  let judged = decide(await readRecorded(settings, ports));
  if (!judged.some((c) => c.verdict.action === "reject")) return judged;

  judged = decide(await readRecorded(settings, ports));
  const toReject = judged.filter((c) => c.verdict.action === "reject").map((c) => c.vpcEndpointId);
  if (toReject.length === 0) return judged;
  const failures = new Map((await ports.reject(settings.serviceId, toReject)).map((f) => [f.vpcEndpointId, f.code]));
  return judged.map((c) =>
    c.verdict.action !== "reject"
      ? c
      : {
          ...c,
          rejection: failures.has(c.vpcEndpointId) ? { notRejected: failures.get(c.vpcEndpointId)! } : "rejected",
        },
  );
}

async function readRecorded(settings: ReconcileSettings, ports: ReconcilePorts): Promise<Set<string>> {
  return parseRecordedIds(await ports.readRecorded(settings.parameterName));
}
