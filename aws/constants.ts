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
