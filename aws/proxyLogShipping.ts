/**
 * HAProxy's log, shipped off the proxy so it outlives the instance: what the proxy runs to ship it
 * (rendered into the user data), the metric filter on refused TLS connections, and a minimal matcher
 * of CloudWatch filter-pattern terms so tests can hold the pattern against a real HAProxy log line.
 * Pure.
 *
 * How the log leaves the instance, and why this way (read 2026-12-01):
 * - Amazon Linux 2023 logs to systemd-journald only; rsyslog is not installed by default but is in
 *   its repositories (aws/amazon-cloudwatch-agent issue #382: "AL3 which uses only default journald";
 *   Elastic Beanstalk's AL2023 images install rsyslog to keep file logs).
 * - The CloudWatch agent (package `amazon-cloudwatch-agent`, in AL2023's repositories since
 *   amazonlinux/amazon-linux-2023 issue #335) tails files. Reading the journal came only with
 *   aws/amazon-cloudwatch-agent PR #2121 (2026-05); AL2023 repositories are locked to the AMI's
 *   release, so an agent that reads journald cannot be counted on.
 * So HAProxy sends its log to a local rsyslog over UDP on loopback (HAProxy's own syslog client; it
 * cannot write files), rsyslog writes the bare message to one file through a ruleset bound to that
 * input only (independent of the distribution's rsyslog.conf), logrotate bounds the file, and the
 * agent ships it. The journal keeps HAProxy's stdout copy as before, for SSM sessions.
 */

/** The loopback syslog port rsyslog listens on for HAProxy (UDP, 127.0.0.1 only). */
export const PROXY_SYSLOG_PORT = 514;
/** HAProxy's `log` target for shipping. */
export const PROXY_SYSLOG_TARGET = `127.0.0.1:${PROXY_SYSLOG_PORT}`;
/** Where rsyslog writes HAProxy's messages and the agent reads them. */
export const HAPROXY_LOG_FILE = "/var/log/haproxy/haproxy.log";
export const RSYSLOG_CONFIG_PATH = "/etc/rsyslog.d/10-dbx-aoai-link-haproxy.conf";
export const LOGROTATE_CONFIG_PATH = "/etc/logrotate.d/dbx-aoai-link-haproxy";
/** Packages the proxy installs to ship its log (with haproxy, in the same retried `dnf install`). */
export const LOG_SHIPPING_PACKAGES: readonly string[] = ["rsyslog", "amazon-cloudwatch-agent"];

/** The HAProxy frontend that takes the consumers' TLS (aws/haproxyConfig.ts). */
export const TLS_FRONTEND = "tls_in";

/**
 * A connection the TLS frontend refused (a name off the allow list, no SNI, not TLS at all) is logged
 * with no backend chosen: `tls_in tls_in/<NOSRV> … sni="<name>"`. Allowed traffic names its backend
 * (`tls_in be_…/azure`), so the frontend's own name before `/<NOSRV>` marks a refusal only.
 * CloudWatch filter syntax: a term in double quotes matches that exact text, case-sensitively
 * (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
 */
export const REFUSED_TLS_FILTER_PATTERN = `"${TLS_FRONTEND}/<NOSRV>"`;

/** The custom metric the filter counts into (one per refused connection). */
export const REFUSED_TLS_METRIC = { namespace: "dbx-aoai-link/Proxy", name: "RefusedTlsConnections" } as const;

/** What a test may move of the rsyslog configuration; an instance always takes the defaults. */
export interface RsyslogConfigOptions {
  /** The loopback UDP port (514 needs root). @default PROXY_SYSLOG_PORT */
  readonly port?: number;
  /** The file HAProxy's messages go to. @default HAPROXY_LOG_FILE */
  readonly logFile?: string;
}

/**
 * rsyslog: a UDP input on loopback bound to a ruleset that writes the bare message and stops there.
 * HAProxy sends RFC 3164 (`<PRI>Mmm dd hh:mm:ss haproxy[PID]: MESSAGE`) and rsyslog keeps the space
 * after the tag as the message's first character; the ruleset's own parser drops it
 * (pmrfc3164 `remove.msgFirstSpace`, rsyslog.com/doc/configuration/modules/pmrfc3164.html; added in
 * 8.25, rsyslog/rsyslog tests/pmrfc3164-msgFirstSpace.sh, so in any rsyslog AL2023 carries), and each
 * line starts with HAProxy's text. Seen with real rsyslogd 8.2302: test/proxy-log-shipping-integration.spec.ts.
 *
 * Installing rsyslog also brings the distribution's rsyslog.conf: imjournal feeds the default ruleset
 * from the journal, which holds HAProxy's stdout copy, and `*.info;… /var/log/messages` would write that
 * a third time, rotated weekly with no size bound, on the 8 GiB root volume. The RPM-family file includes
 * /etc/rsyslog.d/*.conf before its `#### RULES ####` (rsyslog/rsyslog platform/redhat/rsyslog.conf; the
 * RHEL 8 / Fedora form with imjournal and `include(… mode="optional")`: RedHatInsights/insights-core
 * insights/parsers/tests/test_rsyslog_conf.py), so a top-level `stop` here, in the default ruleset, ends
 * HAProxy's messages before those rules; the shipping input's own ruleset never passes through it.
 */
export function renderRsyslogConfig({
  port = PROXY_SYSLOG_PORT,
  logFile = HAPROXY_LOG_FILE,
}: RsyslogConfigOptions = {}): string {
  return `# Rendered by dbx-aoai-link (aws/proxyLogShipping.ts): HAProxy's log, one message per line, for the CloudWatch agent.
module(load="imudp")
parser(name="dbx_aoai_link_haproxy.rfc3164" type="pmrfc3164" remove.msgFirstSpace="on")
template(name="DbxAoaiLinkHaproxyMessage" type="string" string="%msg:::drop-last-lf%\\n")
ruleset(name="dbx_aoai_link_haproxy" parser="dbx_aoai_link_haproxy.rfc3164") {
  action(type="omfile" file="${logFile}" template="DbxAoaiLinkHaproxyMessage")
  stop
}
input(type="imudp" address="127.0.0.1" port="${port}" ruleset="dbx_aoai_link_haproxy")
# HAProxy's journal copy (imjournal, default ruleset) is not written again to /var/log/messages.
if $programname == "haproxy" then stop
`;
}

/** logrotate: the file never fills the disk; the agent follows rotated files. */
export function renderLogrotateConfig(): string {
  return `${HAPROXY_LOG_FILE} {
    hourly
    maxsize 100M
    rotate 4
    missingok
    notifempty
    compress
    delaycompress
    postrotate
        /usr/bin/systemctl kill -s HUP rsyslog.service >/dev/null 2>&1 || true
    endscript
}
`;
}

/** The agent's configuration: this one file into the given log group, one stream per instance. */
export function renderCloudWatchAgentConfig(logGroupName: string): string {
  if (!/^[\w#/.-]{1,512}$/.test(logGroupName)) {
    throw new Error(
      `logGroupName = ${JSON.stringify(logGroupName)}: not a CloudWatch log group name. Fix: use 1-512 letters, digits, '_', '-', '/', '.', '#'.`,
    );
  }
  const config = {
    agent: { run_as_user: "root", logfile: "/opt/aws/amazon-cloudwatch-agent/logs/amazon-cloudwatch-agent.log" },
    logs: {
      logs_collected: {
        files: {
          collect_list: [
            {
              file_path: HAPROXY_LOG_FILE,
              log_group_name: logGroupName,
              // The group exists (the program creates it with its retention): no retention here, so the
              // agent never calls PutRetentionPolicy and the instance role needs no such right.
              log_stream_name: "{instance_id}",
            },
          ],
        },
      },
    },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Whether a log event matches a CloudWatch filter pattern made of terms (the unstructured-log
 * syntax; JSON, space-delimited `[...]` and `%regex%` patterns are not modelled and throw).
 * Semantics (FilterAndPatternSyntax.html, "Matching terms in unstructured log events"): terms
 * separated by spaces must all appear (AND); a term in double quotes is one exact phrase; terms
 * prefixed `?` match when any of them appears (OR); a term prefixed `-` must not appear; matching is
 * case-sensitive; the empty pattern matches every event.
 */
export function matchesTermPattern(pattern: string, event: string): boolean {
  const trimmed = pattern.trim();
  if (/^[{[%]/.test(trimmed)) throw new Error(`only term patterns are modelled, not ${JSON.stringify(pattern)}`);
  const terms = [...trimmed.matchAll(/([?-]?)(?:"([^"]*)"|(\S+))/g)].map((m) => ({
    op: m[1],
    text: m[2] ?? m[3],
  }));
  if (terms.length === 0) return true;
  const any = terms.filter((t) => t.op === "?");
  if (any.length > 0) return any.some((t) => event.includes(t.text));
  return terms.every((t) => (t.op === "-" ? !event.includes(t.text) : event.includes(t.text)));
}
