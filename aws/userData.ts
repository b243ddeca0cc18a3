/**
 * The proxy instance's user data: a bash script for Amazon Linux 2023 that installs HAProxy,
 * writes the rendered configuration verbatim, validates it and runs HAProxy under systemd.
 * Pure: the launch template base64-encodes what this returns; tests read the config back out.
 */
import { optionChecks, type OptionChecks } from "../net/optionError";
import { WATCHDOG_FAILURES_BEFORE_UNHEALTHY, WATCHDOG_INTERVAL_SECONDS } from "./constants";
import {
  LOG_SHIPPING_PACKAGES,
  LOGROTATE_CONFIG_PATH,
  RSYSLOG_CONFIG_PATH,
  renderCloudWatchAgentConfig,
  renderLogrotateConfig,
  renderRsyslogConfig,
} from "./proxyLogShipping";

const checks: OptionChecks = optionChecks("User data");

export interface UserDataOptions {
  /** The HAProxy configuration (renderHaproxyConfig's output), written byte for byte; ends with a newline. */
  readonly haproxyConfig: string;
  /**
   * `dnf install` attempts before the script gives up (the instance then fails its health check and is replaced).
   * @default 10
   */
  readonly installAttempts?: number;
  /**
   * Longest pause between two attempts; pauses double from 5 s up to this.
   * @default 60
   */
  readonly maxBackoffSeconds?: number;
  /**
   * Open-files limit of the haproxy service: at least 2 per connection (see PROXY_MAXCONN).
   * @default 262144
   */
  readonly nofileLimit?: number;
  /**
   * The watchdog that replaces this proxy for faults local to it (HAProxy down, no pool address once in
   * service) by SetInstanceHealth on its own group; absent, nothing is installed.
   */
  readonly watchdog?: WatchdogOptions;
  /**
   * Ship HAProxy's log to this CloudWatch log group (rsyslog + the CloudWatch agent, aws/proxyLogShipping.ts);
   * the HAProxy config must then send its log to PROXY_SYSLOG_TARGET. Absent, the log stays in the journal.
   */
  readonly logShipping?: { readonly logGroupName: string };
}

export interface WatchdogOptions {
  /** HAProxy's health port: any HTTP answer (200 or 503) proves HAProxy serves. */
  readonly healthPort: number;
  /** @default WATCHDOG_INTERVAL_SECONDS */
  readonly intervalSeconds?: number;
  /** @default WATCHDOG_FAILURES_BEFORE_UNHEALTHY */
  readonly failuresBeforeUnhealthy?: number;
}

/** Where the watchdog script is written (under /etc so the tests can move it with the rest). */
export const WATCHDOG_PATH = "/etc/dbx-aoai-link/proxy-watchdog";

/** Where the CloudWatch agent's configuration is written (under /etc, beside the watchdog). */
export const CLOUDWATCH_AGENT_CONFIG_PATH = "/etc/dbx-aoai-link/amazon-cloudwatch-agent.json";
/** The agent's control script, where the amazon-cloudwatch-agent package installs it. */
export const CLOUDWATCH_AGENT_CTL = "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl";

/** Where the configuration is written on the instance. */
export const HAPROXY_CONFIG_PATH = "/etc/haproxy/haproxy.cfg";

/** Delimiter of the quoted heredoc that carries the configuration (a line of the config may not equal it). */
export const HAPROXY_CONFIG_MARKER = "DBX_AOAI_LINK_HAPROXY_CFG";

/** EC2 refuses user data above 16 KiB before base64. */
export const USER_DATA_MAX_BYTES = 16_384;

const DEFAULT_INSTALL_ATTEMPTS = 10;
const DEFAULT_MAX_BACKOFF_SECONDS = 60;
/** Open-files limit the haproxy service gets by default (LimitNOFILE): room for ~130 000 streams. */
export const PROXY_NOFILE_LIMIT = 262_144;
const FIRST_BACKOFF_SECONDS = 5;

const CONFIG_OPENING = `cat > ${HAPROXY_CONFIG_PATH} <<'${HAPROXY_CONFIG_MARKER}'`;

/** Renders the script; throws an Error naming the option, the value and the fix on bad input. */
export function renderUserData(options: UserDataOptions): string {
  const installAttempts = options.installAttempts ?? DEFAULT_INSTALL_ATTEMPTS;
  const maxBackoff = options.maxBackoffSeconds ?? DEFAULT_MAX_BACKOFF_SECONDS;
  const nofile = options.nofileLimit ?? PROXY_NOFILE_LIMIT;
  validateConfig(options.haproxyConfig);
  checks.integer("installAttempts", installAttempts, 1, 100);
  checks.integer("maxBackoffSeconds", maxBackoff, FIRST_BACKOFF_SECONDS, 600);
  checks.integer("nofileLimit", nofile, 1024, 1_048_576);
  const packages = ["haproxy", ...(options.logShipping ? LOG_SHIPPING_PACKAGES : [])].join(" ");

  const script = `#!/bin/bash
# dbx-aoai-link proxy bootstrap (rendered by aws/userData.ts). Runs once, as root, from cloud-init;
# output in /var/log/cloud-init-output.log. Nothing here waits for a human.
set -euo pipefail

log() { echo "dbx-aoai-link bootstrap: $*"; }
${options.watchdog ? installWatchdog(options.watchdog) : ""}
# No public address yet (the launch hook attaches the pool EIP): packages come from the Amazon Linux
# repositories in S3 through the VPC's S3 gateway endpoint, which may not answer in the first moments
# after boot. Retry with a bounded, doubling pause instead of failing the boot on the first error.
install_haproxy() {
  local attempt=1 pause=${FIRST_BACKOFF_SECONDS}
  until dnf install -y --setopt=retries=3 --setopt=timeout=30 ${packages}; do
    if [ "$attempt" -ge ${installAttempts} ]; then
      log "dnf install ${packages} failed ${installAttempts} times; giving up"
      return 1
    fi
    log "dnf install ${packages} failed (attempt $attempt of ${installAttempts}); next try in \${pause}s"
    sleep "$pause"
    attempt=$((attempt + 1))
    pause=$((pause * 2 > ${maxBackoff} ? ${maxBackoff} : pause * 2))
  done
}
install_haproxy
haproxy -v

install -d -m 0755 /etc/haproxy
${CONFIG_OPENING}
${options.haproxyConfig}${HAPROXY_CONFIG_MARKER}
chmod 0644 ${HAPROXY_CONFIG_PATH}

# Never run a configuration this HAProxy version rejects: stop here, the instance fails its health
# check and the Auto Scaling group replaces it.
haproxy -c -f ${HAPROXY_CONFIG_PATH}

install -d -m 0755 /etc/systemd/system/haproxy.service.d
cat > /etc/systemd/system/haproxy.service.d/10-dbx-aoai-link.conf <<'UNIT'
[Unit]
# Restart for ever: a proxy without HAProxy only fails health checks until it is replaced.
StartLimitIntervalSec=0

[Service]
Restart=always
RestartSec=2s
# HAProxy needs about two descriptors per connection; the default limit would cap maxconn.
LimitNOFILE=${nofile}
UNIT
# TCP keep-alive timing is set per socket in haproxy.cfg (clitcpka-idle, srvtcpka-idle): no sysctl needed.
${options.logShipping ? startRsyslog() : ""}
systemctl daemon-reload
systemctl enable --now haproxy
systemctl is-active haproxy
log "HAProxy running"
${options.logShipping ? startCloudWatchAgent(options.logShipping.logGroupName) : ""}`;
  const bytes = Buffer.byteLength(script, "utf8");
  if (bytes > USER_DATA_MAX_BYTES) {
    checks.fail(
      "haproxyConfig",
      `${bytes} bytes of user data`,
      `makes the script larger than EC2's limit of ${USER_DATA_MAX_BYTES} bytes`,
      `keep the rendered script under ${USER_DATA_MAX_BYTES} bytes: allow fewer FQDNs`,
    );
  }
  return script;
}

/**
 * The watchdog's script alone (also what the tests run). It acts only on faults local to the instance,
 * never on Azure's health, which the NLB health check routes around without replacing anyone:
 * HAProxy not running or not answering on its health port, or no public (pool) address once the group
 * has put the instance in service. After `failuresBeforeUnhealthy` checks in a row it calls
 * SetInstanceHealth Unhealthy on itself (the group's grace period is respected, so a slow boot is not
 * cut short); when that call cannot get out because the pool address is missing, it powers off, which
 * the group's EC2 health check sees.
 */
export function renderWatchdog(options: WatchdogOptions): string {
  const interval = options.intervalSeconds ?? WATCHDOG_INTERVAL_SECONDS;
  const failures = options.failuresBeforeUnhealthy ?? WATCHDOG_FAILURES_BEFORE_UNHEALTHY;
  checks.integer("watchdog.intervalSeconds", interval, 1, 300);
  checks.integer("watchdog.failuresBeforeUnhealthy", failures, 1, 100);
  checks.integer("watchdog.healthPort", options.healthPort, 1, 65_535);
  return `#!/bin/bash
# dbx-aoai-link proxy watchdog (rendered by aws/userData.ts): replaces this proxy for local faults only.
set -uo pipefail
WATCHDOG_INTERVAL_SECONDS=${interval}
WATCHDOG_FAILURES_BEFORE_UNHEALTHY=${failures}
HEALTH_PORT=${options.healthPort}

imds() {
  local token
  token=$(curl -sf -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" http://169.254.169.254/latest/api/token) &&
    curl -sf -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}

# Prints the local fault, if any. Azure being unreachable is not one: /healthz then answers 503.
local_fault() {
  systemctl is-active --quiet haproxy || { echo "haproxy not running"; return; }
  curl -s -o /dev/null --max-time 3 "http://127.0.0.1:\${HEALTH_PORT}/healthz" || { echo "haproxy not answering on its health port"; return; }
  imds public-ipv4 > /dev/null || echo "no pool address"
}

failures=0
while true; do
  # Only in service: before that the launch hook is still attaching the address, or the group is done with us.
  if [ "$(imds autoscaling/target-lifecycle-state)" = "InService" ]; then
    fault=$(local_fault)
    if [ -n "$fault" ]; then failures=$((failures + 1)); else failures=0; fi
    if [ "$failures" -ge "$WATCHDOG_FAILURES_BEFORE_UNHEALTHY" ]; then
      echo "dbx-aoai-link watchdog: $fault ($failures checks in a row): marking this instance unhealthy"
      if ! aws autoscaling set-instance-health --region "$(imds placement/region)" --instance-id "$(imds instance-id)" \
          --health-status Unhealthy --should-respect-grace-period && [ "$fault" = "no pool address" ]; then
        systemctl poweroff
      fi
    fi
  fi
  sleep "$WATCHDOG_INTERVAL_SECONDS"
done
`;
}

function installWatchdog(options: WatchdogOptions): string {
  return `
# The watchdog starts first, so a bootstrap that fails below is replaced too (after the grace period).
install -d -m 0755 ${WATCHDOG_PATH.replace(/\/[^/]+$/, "")}
cat > ${WATCHDOG_PATH} <<'DBX_AOAI_LINK_WATCHDOG'
${renderWatchdog(options)}DBX_AOAI_LINK_WATCHDOG
chmod 0755 ${WATCHDOG_PATH}
cat > /etc/systemd/system/dbx-aoai-link-watchdog.service <<'UNIT'
[Unit]
Description=dbx-aoai-link proxy watchdog (local faults only)
[Service]
ExecStart=${WATCHDOG_PATH}
Restart=always
RestartSec=5s
[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now dbx-aoai-link-watchdog.service
`;
}

/** rsyslog receives HAProxy's log on loopback before HAProxy starts, so no line is lost. */
function startRsyslog(): string {
  return `
# HAProxy's log to a file (aws/proxyLogShipping.ts says why rsyslog): loopback UDP in, one file out, rotated.
install -d -m 0755 ${RSYSLOG_CONFIG_PATH.replace(/\/[^/]+$/, "")} ${LOGROTATE_CONFIG_PATH.replace(/\/[^/]+$/, "")}
cat > ${RSYSLOG_CONFIG_PATH} <<'RSYSLOG'
${renderRsyslogConfig()}RSYSLOG
cat > ${LOGROTATE_CONFIG_PATH} <<'LOGROTATE'
${renderLogrotateConfig()}LOGROTATE
systemctl enable rsyslog
systemctl restart rsyslog
`;
}

/**
 * The agent ships the file. A failure here is loud but does not stop the proxy: the data path
 * serves, the journal still holds the log, and the missing stream shows in the log group.
 */
function startCloudWatchAgent(logGroupName: string): string {
  return `
install -d -m 0755 ${CLOUDWATCH_AGENT_CONFIG_PATH.replace(/\/[^/]+$/, "")}
cat > ${CLOUDWATCH_AGENT_CONFIG_PATH} <<'CWAGENT'
${renderCloudWatchAgentConfig(logGroupName)}CWAGENT
if ${CLOUDWATCH_AGENT_CTL} -a fetch-config -m ec2 -s -c file:${CLOUDWATCH_AGENT_CONFIG_PATH}; then
  log "CloudWatch agent shipping HAProxy's log to ${logGroupName}"
else
  log "WARNING: the CloudWatch agent did not start; HAProxy's log stays on this instance only"
fi
`;
}

/** The HAProxy configuration embedded in a rendered user-data script, byte for byte; throws when absent. */
export function extractHaproxyConfig(userData: string): string {
  const lines = userData.split("\n");
  const start = lines.indexOf(CONFIG_OPENING);
  const end = start < 0 ? -1 : lines.indexOf(HAPROXY_CONFIG_MARKER, start + 1);
  if (end < 0) {
    throw new Error(
      `user data carries no HAProxy configuration: no "${CONFIG_OPENING}" … "${HAPROXY_CONFIG_MARKER}" block`,
    );
  }
  return lines
    .slice(start + 1, end)
    .map((line) => `${line}\n`)
    .join("");
}

function validateConfig(config: string): void {
  if (typeof config !== "string" || config.trim() === "") {
    checks.fail("haproxyConfig", config, "is empty", "pass renderHaproxyConfig's output");
  }
  if (!config.endsWith("\n")) {
    checks.fail(
      "haproxyConfig",
      `…${config.slice(-20)}`,
      "does not end with a newline",
      "end it with a newline (the heredoc would add one, so the file would differ)",
    );
  }
  if (config.split("\n").includes(HAPROXY_CONFIG_MARKER)) {
    checks.fail(
      "haproxyConfig",
      HAPROXY_CONFIG_MARKER,
      "contains the heredoc marker as a line",
      "remove that line: it would end the heredoc early",
    );
  }
  if (config.includes("\0") || config.includes("\r")) {
    checks.fail(
      "haproxyConfig",
      "NUL or CR character",
      "contains a NUL or CR character",
      "use plain LF-terminated text",
    );
  }
}
