/**
 * The proxy instance's user data: a bash script for Amazon Linux 2023 that installs HAProxy,
 * writes the rendered configuration verbatim, validates it and runs HAProxy under systemd.
 * Pure: the launch template base64-encodes what this returns; tests read the config back out.
 */
import { optionChecks, type OptionChecks } from "../net/optionError";

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
}

/** Where the configuration is written on the instance. */
export const HAPROXY_CONFIG_PATH = "/etc/haproxy/haproxy.cfg";

/** Delimiter of the quoted heredoc that carries the configuration (a line of the config may not equal it). */
export const HAPROXY_CONFIG_MARKER = "DBX_AOAI_LINK_HAPROXY_CFG";

/** EC2 refuses user data above 16 KiB before base64. */
export const USER_DATA_MAX_BYTES = 16_384;

const DEFAULT_INSTALL_ATTEMPTS = 10;
const DEFAULT_MAX_BACKOFF_SECONDS = 60;
const DEFAULT_NOFILE_LIMIT = 262_144;
const FIRST_BACKOFF_SECONDS = 5;

const CONFIG_OPENING = `cat > ${HAPROXY_CONFIG_PATH} <<'${HAPROXY_CONFIG_MARKER}'`;

/** Renders the script; throws an Error naming the option, the value and the fix on bad input. */
export function renderUserData(options: UserDataOptions): string {
  const installAttempts = options.installAttempts ?? DEFAULT_INSTALL_ATTEMPTS;
  const maxBackoff = options.maxBackoffSeconds ?? DEFAULT_MAX_BACKOFF_SECONDS;
  const nofile = options.nofileLimit ?? DEFAULT_NOFILE_LIMIT;
  validateConfig(options.haproxyConfig);
  checks.integer("installAttempts", installAttempts, 1, 100);
  checks.integer("maxBackoffSeconds", maxBackoff, FIRST_BACKOFF_SECONDS, 600);
  checks.integer("nofileLimit", nofile, 1024, 1_048_576);

  const script = `#!/bin/bash
# dbx-aoai-link proxy bootstrap (rendered by aws/userData.ts). Runs once, as root, from cloud-init;
# output in /var/log/cloud-init-output.log. Nothing here waits for a human.
set -euo pipefail

log() { echo "dbx-aoai-link bootstrap: $*"; }

# No public address yet (the launch hook attaches the pool EIP): packages come from the Amazon Linux
# repositories in S3 through the VPC's S3 gateway endpoint, which may not answer in the first moments
# after boot. Retry with a bounded, doubling pause instead of failing the boot on the first error.
install_haproxy() {
  local attempt=1 pause=${FIRST_BACKOFF_SECONDS}
  until dnf install -y --setopt=retries=3 --setopt=timeout=30 haproxy; do
    if [ "$attempt" -ge ${installAttempts} ]; then
      log "dnf install haproxy failed ${installAttempts} times; giving up"
      return 1
    fi
    log "dnf install haproxy failed (attempt $attempt of ${installAttempts}); next try in \${pause}s"
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

systemctl daemon-reload
systemctl enable --now haproxy
systemctl is-active haproxy
log "HAProxy running"
`;
  const bytes = Buffer.byteLength(script, "utf8");
  if (bytes > USER_DATA_MAX_BYTES) {
    checks.fail("haproxyConfig", `${bytes} bytes of user data`, `keep the rendered script under ${USER_DATA_MAX_BYTES} bytes (EC2's limit): allow fewer FQDNs`);
  }
  return script;
}

/** The HAProxy configuration embedded in a rendered user-data script, byte for byte; throws when absent. */
export function extractHaproxyConfig(userData: string): string {
  const lines = userData.split("\n");
  const start = lines.indexOf(CONFIG_OPENING);
  const end = start < 0 ? -1 : lines.indexOf(HAPROXY_CONFIG_MARKER, start + 1);
  if (end < 0) {
    throw new Error(`user data carries no HAProxy configuration: no "${CONFIG_OPENING}" … "${HAPROXY_CONFIG_MARKER}" block`);
  }
  return lines.slice(start + 1, end).map((line) => `${line}\n`).join("");
}

function validateConfig(config: string): void {
  if (typeof config !== "string" || config.trim() === "") {
    checks.fail("haproxyConfig", config, "pass renderHaproxyConfig's output");
  }
  if (!config.endsWith("\n")) {
    checks.fail("haproxyConfig", `…${config.slice(-20)}`, "end it with a newline (the heredoc would add one, so the file would differ)");
  }
  if (config.split("\n").includes(HAPROXY_CONFIG_MARKER)) {
    checks.fail("haproxyConfig", HAPROXY_CONFIG_MARKER, "remove that line: it would end the heredoc early");
  }
  if (config.includes("\0") || config.includes("\r")) {
    checks.fail("haproxyConfig", "NUL or CR character", "use plain LF-terminated text");
  }
}
