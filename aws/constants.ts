/**
 * Port numbers and timeouts of the proxy tier: the one home for each, shared by the HAProxy
 * configuration, the security group, the NLB listener and target group health check.
 */
export const PROXY_PORTS = {
  /** TLS passthrough listener (NLB listener and HAProxy frontend). */
  tls: 443,
  /** HTTP health endpoint: 200 while an upstream server is usable, 503 otherwise (NLB health check). */
  health: 8404,
  /** Prometheus metrics endpoint, reachable from inside the VPC only. */
  metrics: 8405,
} as const;

/** Path the NLB target group checks on the health port. */
export const HEALTH_CHECK_PATH = "/healthz";

/**
 * Longest silence a stream may have (slow first token, long reasoning) before it is cut.
 * HAProxy's `timeout tunnel` uses it and the NLB TCP idle timeout is set to it, so neither
 * hop cuts a stream the other would keep.
 */
export const STREAM_IDLE_TIMEOUT_SECONDS = 900;

/**
 * Longest a single stream may last. HAProxy's `hard-stop-after` lets the streams of an old worker
 * finish for this long after a reload (the instance stays). A proxy leaving the group gets only
 * CONNECTION_DRAIN_SECONDS, not this: see there for the trade-off.
 */
export const LONGEST_STREAM_SECONDS = 3600;

/**
 * Concurrent client connections one proxy accepts (HAProxy maxconn): a ceiling, not a reservation.
 * What a stream costs in memory is measured (MEASURED_STREAM_COST in aws/proxySizing.ts); the plan
 * prints what each instance type holds and warns when it holds fewer than this.
 */
export const PROXY_MAXCONN = 20000;

/** Budget for a TCP connect to Azure, and for one TLS health check of it. */
export const UPSTREAM_CONNECT_TIMEOUT_SECONDS = 5;

/** Default of how long a launch may wait in Pending:Wait for its EIP (proxy.launchHookHeartbeatSeconds): event delivery, cold start and Lambda's async retries fit well inside. */
export const LIFECYCLE_HEARTBEAT_SECONDS = 600;

/** Boot, package install (worst case: every dnf retry, ~6 min) and first healthy check: the group's health check grace period and the scaling policy's warm-up (a refresh waits longer: REFRESH_WARMUP_SECONDS). */
export const PROXY_WARMUP_SECONDS = 420;

/**
 * NLB deregistration delay: in-flight connections may finish this long while a proxy leaves rotation.
 * Deliberately shorter than LONGEST_STREAM_SECONDS: a stream still open after 5 min is cut whenever its
 * proxy leaves (scale-in, instance refresh, maximum lifetime, replacement), because a 1 h drain would hold
 * every refresh and lifetime rotation for an hour per batch, and the leaving proxy's pool address with it.
 */
export const CONNECTION_DRAIN_SECONDS = 300;

/** CloudWatch Logs retention of everything the program creates. */
export const LOG_RETENTION_DAYS = 90;

/**
 * The on-instance watchdog (aws/userData.ts): how often it looks for faults local to the proxy, and
 * how many checks in a row must fail before it marks the instance unhealthy for the group to replace.
 * 3 × 10 s rides out a HAProxy restart (systemd restarts it within 2 s).
 */
export const WATCHDOG_INTERVAL_SECONDS = 10;
export const WATCHDOG_FAILURES_BEFORE_UNHEALTHY = 3;

/**
 * Instance-refresh warm-up: how long after InService a refresh waits before it counts a new proxy ready
 * and terminates an old one. The watchdog's SetInstanceHealth verdict is ignored during the grace period,
 * so it must outlast grace + the watchdog's decision time, plus slack for the group to act on the verdict:
 * 420 s (PROXY_WARMUP_SECONDS) + 10 s × 3 (WATCHDOG_INTERVAL_SECONDS × WATCHDOG_FAILURES_BEFORE_UNHEALTHY)
 * + 60 s = 510 s. Equal to the grace, a refresh could retire a healthy proxy for one about to be replaced.
 */
export const REFRESH_WARMUP_SECONDS =
  PROXY_WARMUP_SECONDS + WATCHDOG_INTERVAL_SECONDS * WATCHDOG_FAILURES_BEFORE_UNHEALTHY + 60;

/**
 * How long `pulumi up` waits for the group's capacity and healthy targets: one launch abandoned at the
 * heartbeat and its relaunch (heartbeat, boot and grace), twice over. Shorter, and a slow first address
 * fails the update even though the group heals itself; the provider's default (10 min) equals the heartbeat.
 */
export function capacityWaitSeconds(heartbeatSeconds: number): number {
  return 2 * (heartbeatSeconds + PROXY_WARMUP_SECONDS);
}
/** The capacity wait at the default heartbeat. */
export const CAPACITY_WAIT_SECONDS = capacityWaitSeconds(LIFECYCLE_HEARTBEAT_SECONDS);
