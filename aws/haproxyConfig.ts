/**
 * The proxy's HAProxy configuration, rendered from plain values (no Pulumi here: the launch
 * template calls this inside an `apply`, the tests run the real `haproxy -c` and real HAProxy on
 * what it returns). Measured behaviour behind each choice: docs/haproxy.md.
 */
import { isIPv4 } from "node:net";
import {
  HEALTH_CHECK_PATH,
  LONGEST_STREAM_SECONDS,
  PROXY_MAXCONN,
  PROXY_PORTS,
  STREAM_IDLE_TIMEOUT_SECONDS,
  UPSTREAM_CONNECT_TIMEOUT_SECONDS,
} from "./constants";
import { isDnsName } from "../net/dnsName";
import { formatCidr, parseCidr } from "../net/ipv4";
import { optionChecks, type OptionChecks } from "../net/optionError";

const checks: OptionChecks = optionChecks("HAProxy config");

/** The three ports one proxy listens on. */
export interface ProxyPorts {
  /** TLS passthrough listener (the NLB listener's target port). */
  readonly tls: number;
  /** HTTP health endpoint the NLB target group checks. */
  readonly health: number;
  /** Prometheus exporter and stats page, VPC only. */
  readonly metrics: number;
}

/**
 * Where HAProxy sends its runtime DNS queries: the VPC resolver read from /etc/resolv.conf
 * (production), or explicit `ip:port` name servers (tests, with a DNS server on loopback).
 */
export type HaproxyResolvers = "parse-resolv-conf" | { readonly nameservers: readonly string[] };

export interface HaproxyConfigOptions {
  /**
   * Azure OpenAI FQDNs (`<account>.openai.azure.com`): the SNI allow list, and one backend per
   * name whose server is that name. Case-insensitive; at least one; each once.
   */
  readonly allowedFqdns: readonly string[];
  /** IPv4 CIDR of the VPC: the only addresses (with 127.0.0.1) that may read the metrics port. */
  readonly vpcCidr: string;
  /**
   * Listening ports; missing ones take the default.
   * @default PROXY_PORTS
   */
  readonly ports?: Partial<ProxyPorts>;
  /**
   * IPv4 address the three listeners bind to; "" means every address of the instance.
   * @default ""
   */
  readonly bindAddress?: string;
  /**
   * Port of the Azure OpenAI endpoint.
   * @default 443
   */
  readonly upstreamPort?: number;
  /**
   * Runtime DNS for the backend servers.
   * @default "parse-resolv-conf"
   */
  readonly resolvers?: HaproxyResolvers;
  /**
   * Longest silence of an established stream (`timeout tunnel`); the NLB idle timeout must be at least this.
   * @default STREAM_IDLE_TIMEOUT_SECONDS
   */
  readonly streamIdleTimeoutSeconds?: number;
  /**
   * How long an old worker's streams may go on after a reload (`hard-stop-after`); at least the stream idle timeout.
   * @default LONGEST_STREAM_SECONDS
   */
  readonly hardStopAfterSeconds?: number;
  /**
   * Concurrent client connections on the TLS listener (2 file descriptors each; memory: MEASURED_STREAM_COST in proxySizing.ts).
   * @default PROXY_MAXCONN
   */
  readonly maxconn?: number;
  /**
   * Admin socket (`show servers state`, `show resolvers` through SSM); created before the chroot.
   * @default "/var/lib/haproxy/stats"
   */
  readonly statsSocketPath?: string;
  /**
   * A loopback syslog listener (`127.0.0.1:PORT`) that also receives every log line, for shipping
   * off the instance (aws/proxyLogShipping.ts); absent, HAProxy logs to stdout (the journal) only.
   */
  readonly syslogTarget?: string;
}

/** Name of the HAProxy resolvers section the servers use. */
export const RESOLVERS_SECTION = "dns";

/** Backend that carries the traffic of one allowed FQDN (also its name in logs and metrics). */
export function backendName(fqdn: string): string {
  return `aoai_${fqdn.toLowerCase()}`;
}

// Health-check cadence: an unreachable Azure is noticed within inter + fall × fastinter ≈ 3 s
// (the NLB then stops sending new connections after its own thresholds), a recovery within ≈ 3 s.
const CHECK_INTERVAL = "2s";
const CHECK_FAST_INTERVAL = "1s";
const CHECK_FALL = 2;
const CHECK_RISE = 2;
// A client that has not finished its TLS ClientHello by then is not a TLS client.
const HELLO_INSPECT_DELAY = "5s";
// Before the tunnel is established (and on the HTTP ports): short, nothing legitimate waits longer.
const PRE_TUNNEL_TIMEOUT = "30s";
// Keep-alive probes every minute of silence keep the NLB, PrivateLink and Azure idle timers from
// dropping a quiet stream (probes reset the NLB idle timer but not HAProxy's own tunnel timeout).
const KEEPALIVE_IDLE = "60s";
const KEEPALIVE_INTERVAL = "15s";
const KEEPALIVE_COUNT = 4;
// The health and metrics listeners have their own small cap, kept on top of the TLS listener's
// in the global maxconn, so a full TLS listener still answers the NLB and Prometheus.
const ADMIN_FRONTEND_MAXCONN = 100;
const ADMIN_CONNECTION_RESERVE = 2 * ADMIN_FRONTEND_MAXCONN;
const DEFAULT_STATS_SOCKET = "/var/lib/haproxy/stats";

interface ResolvedOptions {
  readonly fqdns: readonly string[];
  readonly vpcCidr: string;
  readonly ports: ProxyPorts;
  readonly bindAddress: string;
  readonly upstreamPort: number;
  readonly resolvers: HaproxyResolvers;
  readonly streamIdleTimeoutSeconds: number;
  readonly hardStopAfterSeconds: number;
  readonly maxconn: number;
  readonly statsSocketPath: string;
  readonly syslogTarget?: string;
}

/** Renders the whole haproxy.cfg; throws an Error naming the option, the value and the fix on bad input. */
export function renderHaproxyConfig(options: HaproxyConfigOptions): string {
  const o = resolveOptions(options);
  const sections = [
    header(),
    globalSection(o),
    resolversSection(o),
    defaultsSection(o),
    tlsFrontend(o),
    healthFrontend(o),
    metricsFrontend(o),
    ...o.fqdns.map((fqdn) => backend(fqdn, o)),
  ];
  return sections.map((lines) => lines.join("\n")).join("\n\n") + "\n";
}

function header(): string[] {
  return [
    "# Rendered by dbx-aoai-link (aws/haproxyConfig.ts): change the program, not this file.",
    "# Layer-4 relay: TLS passes through untouched; only allow-listed SNI names reach Azure OpenAI.",
  ];
}

function globalSection(o: ResolvedOptions): string[] {
  return [
    "global",
    "    # systemd runs `haproxy -Ws` in the foreground: stdout goes to the journal with priorities,",
    '    # capped at alert so "no server available" (emerg) is not broadcast to every terminal.',
    "    log stdout format short daemon info alert",
    ...(o.syslogTarget
      ? [
          "    # The same lines to the local rsyslog, which writes them where the CloudWatch agent ships them.",
          `    log ${o.syslogTarget} len 4096 local0 info`,
        ]
      : []),
    "    user haproxy",
    "    group haproxy",
    "    chroot /var/lib/haproxy",
    `    stats socket ${o.statsSocketPath} mode 600 level admin`,
    `    maxconn ${o.maxconn + ADMIN_CONNECTION_RESERVE}`,
    "    # A reload lets the old worker's streams finish, for at most this long.",
    `    hard-stop-after ${o.hardStopAfterSeconds}s`,
  ];
}

function resolversSection(o: ResolvedOptions): string[] {
  const source =
    o.resolvers === "parse-resolv-conf"
      ? ["    parse-resolv-conf"]
      : o.resolvers.nameservers.map((ns, i) => `    nameserver ns${i + 1} ${ns}`);
  return [
    `resolvers ${RESOLVERS_SECTION}`,
    ...source,
    "    # Re-query every second; a changed address replaces the old one at once (hold obsolete 0s),",
    "    # while an NXDOMAIN, timeout or refusal keeps the last good address for 30 s before the server drops.",
    "    timeout resolve 1s",
    "    timeout retry 1s",
    "    resolve_retries 3",
    "    hold valid 10s",
    "    hold obsolete 0s",
    "    hold nx 30s",
    "    hold timeout 30s",
    "    hold refused 30s",
    "    hold other 30s",
    "    accepted_payload_size 8192",
  ];
}

function defaultsSection(o: ResolvedOptions): string[] {
  return [
    "defaults",
    "    mode tcp",
    "    log global",
    "    option dontlognull",
    `    timeout connect ${UPSTREAM_CONNECT_TIMEOUT_SECONDS}s`,
    `    timeout check ${UPSTREAM_CONNECT_TIMEOUT_SECONDS}s`,
    `    timeout client ${PRE_TUNNEL_TIMEOUT}`,
    `    timeout server ${PRE_TUNNEL_TIMEOUT}`,
    "    # Once a TCP session is established the tunnel timeout replaces client/server: a streamed",
    "    # answer may stay silent this long (slow first token, long reasoning) without being cut.",
    `    timeout tunnel ${o.streamIdleTimeoutSeconds}s`,
    `    timeout client-fin ${PRE_TUNNEL_TIMEOUT}`,
    `    timeout server-fin ${PRE_TUNNEL_TIMEOUT}`,
    "    option clitcpka",
    `    clitcpka-idle ${KEEPALIVE_IDLE}`,
    `    clitcpka-intvl ${KEEPALIVE_INTERVAL}`,
    `    clitcpka-cnt ${KEEPALIVE_COUNT}`,
    "    option srvtcpka",
    `    srvtcpka-idle ${KEEPALIVE_IDLE}`,
    `    srvtcpka-intvl ${KEEPALIVE_INTERVAL}`,
    `    srvtcpka-cnt ${KEEPALIVE_COUNT}`,
  ];
}

function tlsFrontend(o: ResolvedOptions): string[] {
  return [
    "frontend tls_in",
    `    bind ${o.bindAddress}:${o.ports.tls}`,
    `    maxconn ${o.maxconn}`,
    "    # tcplog plus bytes uploaded and the SNI the client asked for (also on rejected connections).",
    '    log-format "%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %U %ts %ac/%fc/%bc/%sc/%rc %sq/%bq sni=%{+Q}[var(sess.sni)]"',
    "    # Wait for the ClientHello (it may span several TCP segments) before deciding.",
    `    tcp-request inspect-delay ${HELLO_INSPECT_DELAY}`,
    "    acl tls_client_hello req.ssl_hello_type 1",
    `    acl sni_allowed req.ssl_sni -i ${o.fqdns.join(" ")}`,
    "    # Plain HTTP or any other non-TLS bytes: refused at once.",
    "    tcp-request content reject unless tls_client_hello",
    "    tcp-request content set-var(sess.sni) req.ssl_sni if { req.ssl_sni -m found }",
    "    # No SNI, or a name not on the allow list: refused, never forwarded.",
    "    tcp-request content reject unless sni_allowed",
    "    tcp-request content accept",
    ...o.fqdns.map((fqdn) => `    use_backend ${backendName(fqdn)} if { req.ssl_sni -i ${fqdn} }`),
  ];
}

/** Opening of the small HTTP listeners the NLB and Prometheus poll. */
function adminFrontend(name: string, port: number, o: ResolvedOptions): string[] {
  return [
    `frontend ${name}`,
    `    bind ${o.bindAddress}:${port}`,
    "    mode http",
    `    maxconn ${ADMIN_FRONTEND_MAXCONN}`,
    "    # Log failures only (a denied scrape): they are polled every few seconds. Without httplog",
    "    # HAProxy logs every connection at accept; monitor-uri answers (503 too) are never logged.",
    "    option httplog",
    "    option dontlog-normal",
    "    timeout http-request 5s",
  ];
}

function healthFrontend(o: ResolvedOptions): string[] {
  return [
    ...adminFrontend("health", o.ports.health, o),
    `    monitor-uri ${HEALTH_CHECK_PATH}`,
    "    # 503 as soon as any allowed name has no usable server (DNS unresolved, TLS check failing):",
    "    # the NLB then takes this proxy out of rotation.",
    ...o.fqdns.map((fqdn) => `    acl upstream_unusable nbsrv(${backendName(fqdn)}) lt 1`),
    "    monitor fail if upstream_unusable",
  ];
}

function metricsFrontend(o: ResolvedOptions): string[] {
  return [
    ...adminFrontend("metrics", o.ports.metrics, o),
    `    acl metrics_client src ${o.vpcCidr} 127.0.0.1`,
    "    http-request deny deny_status 403 unless metrics_client",
    "    # The exporter is a build option: a package built without it keeps the stats page only",
    "    # instead of refusing the whole configuration.",
    ".if feature(PROMEX)",
    "    http-request use-service prometheus-exporter if { path /metrics }",
    ".endif",
    "    stats enable",
    "    stats uri /stats",
    "    stats refresh 10s",
  ];
}

function backend(fqdn: string, o: ResolvedOptions): string[] {
  const server = [
    `server azure ${fqdn}:${o.upstreamPort}`,
    // Runtime DNS: follow Azure's address changes; start even while the name does not resolve.
    `resolvers ${RESOLVERS_SECTION} resolve-prefer ipv4 init-addr last,libc,none`,
    // A TLS handshake with the account's own SNI: proves route, egress address and Azure's front end.
    `check check-ssl check-sni ${fqdn} verify none`,
    `inter ${CHECK_INTERVAL} fastinter ${CHECK_FAST_INTERVAL} downinter ${CHECK_INTERVAL} fall ${CHECK_FALL} rise ${CHECK_RISE}`,
  ].join(" ");
  return [`backend ${backendName(fqdn)}`, "    option log-health-checks", `    ${server}`];
}

// ---------------------------------------------------------------------------------------------
// Input: defaults first, then the caller's values, then validation of the result.

function resolveOptions(options: HaproxyConfigOptions): ResolvedOptions {
  const o: ResolvedOptions = {
    fqdns: validateFqdns(options.allowedFqdns),
    vpcCidr: options.vpcCidr,
    ports: { ...PROXY_PORTS, ...options.ports },
    bindAddress: options.bindAddress ?? "",
    upstreamPort: options.upstreamPort ?? 443,
    resolvers: options.resolvers ?? "parse-resolv-conf",
    streamIdleTimeoutSeconds: options.streamIdleTimeoutSeconds ?? STREAM_IDLE_TIMEOUT_SECONDS,
    hardStopAfterSeconds: options.hardStopAfterSeconds ?? LONGEST_STREAM_SECONDS,
    maxconn: options.maxconn ?? PROXY_MAXCONN,
    statsSocketPath: options.statsSocketPath ?? DEFAULT_STATS_SOCKET,
    syslogTarget: options.syslogTarget,
  };
  if (o.syslogTarget !== undefined && !/^127\.\d+\.\d+\.\d+:\d{1,5}$/.test(o.syslogTarget)) {
    checks.fail(
      "syslogTarget",
      o.syslogTarget,
      "is not a loopback address and port",
      'give one such as "127.0.0.1:514" (the log never leaves the instance over the network)',
    );
  }
  validateCidr(o.vpcCidr);
  validatePorts(o.ports);
  validatePort("upstreamPort", o.upstreamPort);
  if (o.bindAddress !== "" && !isIPv4(o.bindAddress)) {
    checks.fail(
      "bindAddress",
      o.bindAddress,
      "is not an IPv4 address",
      'give one such as "127.0.0.2", or "" for every address',
    );
  }
  validateResolvers(o.resolvers);
  checks.integer("streamIdleTimeoutSeconds", o.streamIdleTimeoutSeconds, 1, 86_400);
  checks.integer("hardStopAfterSeconds", o.hardStopAfterSeconds, 1, 86_400);
  if (o.hardStopAfterSeconds < o.streamIdleTimeoutSeconds) {
    checks.fail(
      "hardStopAfterSeconds",
      o.hardStopAfterSeconds,
      `is shorter than streamIdleTimeoutSeconds (${o.streamIdleTimeoutSeconds})`,
      `make it at least ${o.streamIdleTimeoutSeconds}, so a reload never cuts a stream the tunnel timeout would keep`,
    );
  }
  checks.integer("maxconn", o.maxconn, 1, 1_000_000);
  if (!/^\/[^\s"']+$/.test(o.statsSocketPath)) {
    checks.fail(
      "statsSocketPath",
      o.statsSocketPath,
      "is not an absolute path",
      "give an absolute path without spaces or quotes",
    );
  }
  return o;
}

function validateFqdns(fqdns: readonly string[]): string[] {
  if (!Array.isArray(fqdns) || fqdns.length === 0) {
    checks.fail(
      "allowedFqdns",
      fqdns,
      "is empty",
      'list at least one Azure OpenAI FQDN, such as "contoso-aoai-dev.openai.azure.com"',
    );
  }
  const seen = new Set<string>();
  return fqdns.map((raw, i) => {
    const fqdn = typeof raw === "string" ? raw.toLowerCase() : "";
    if (!isDnsName(fqdn)) {
      checks.fail(
        `allowedFqdns[${i}]`,
        raw,
        "is not a DNS name",
        'give a DNS name such as "contoso-aoai-dev.openai.azure.com" (no scheme, port, path, wildcard or trailing dot)',
      );
    }
    if (seen.has(fqdn))
      checks.fail(`allowedFqdns[${i}]`, raw, "is listed twice (names are case-insensitive)", "list each once");
    seen.add(fqdn);
    return fqdn;
  });
}

function validateCidr(cidr: string): void {
  const parsed = typeof cidr === "string" && cidr.includes("/") ? parseCidr(cidr) : undefined;
  if (!parsed) checks.fail("vpcCidr", cidr, "is not an IPv4 CIDR", 'give one such as "10.42.0.0/16"');
  if (parsed.hostBitsSet)
    checks.fail("vpcCidr", cidr, "has host bits set", `give the network address, "${formatCidr(parsed)}"`);
}

function validatePorts(ports: ProxyPorts): void {
  for (const key of ["tls", "health", "metrics"] as const) validatePort(`ports.${key}`, ports[key]);
  if (new Set([ports.tls, ports.health, ports.metrics]).size !== 3) {
    checks.fail(
      "ports",
      JSON.stringify(ports),
      "two listeners share a port",
      "give the TLS, health and metrics listeners three different ports",
    );
  }
}

function validatePort(name: string, port: number): void {
  checks.integer(name, port, 1, 65_535);
}

function validateResolvers(resolvers: HaproxyResolvers): void {
  if (resolvers === "parse-resolv-conf") return;
  const nameservers = resolvers?.nameservers;
  if (!Array.isArray(nameservers) || nameservers.length === 0) {
    checks.fail(
      "resolvers",
      JSON.stringify(resolvers),
      "names no name server",
      'use "parse-resolv-conf" or { nameservers: ["127.0.0.1:5353"] }',
    );
  }
  nameservers.forEach((ns, i) => {
    const [host, port, ...rest] = String(ns).split(":");
    if (rest.length > 0 || !isIPv4(host) || !/^\d+$/.test(port ?? "") || Number(port) < 1 || Number(port) > 65_535) {
      checks.fail(`resolvers.nameservers[${i}]`, ns, 'is not "ipv4:port"', 'give one such as "127.0.0.1:5353"');
    }
  });
}
