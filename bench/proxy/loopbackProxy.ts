/**
 * Our HAProxy on loopback, as an instance runs it: the configuration rendered by the program's own
 * function (only addresses and ports moved to 127.0.0.x), embedded in the user data and taken back
 * out, so the bytes under test are the bytes an instance would run. Shared by the integration tests
 * and `npm run bench:proxy`.
 */
import { join } from "node:path";
import { renderHaproxyConfig, type HaproxyConfigOptions, type ProxyPorts } from "../../aws/haproxyConfig";
import { extractHaproxyConfig, renderUserData } from "../../aws/userData";
import { freePort, startHaproxy, type RunningHaproxy } from "./haproxy";

export interface LoopbackProxyOptions {
  /** Loopback address the proxy binds, e.g. 127.0.0.2. */
  readonly host: string;
  readonly allowedFqdns: readonly string[];
  /** Sources the metrics port accepts (the "VPC"). */
  readonly vpcCidr: string;
  readonly upstreamPort: number;
  /** The test DNS server standing in for the VPC resolver. */
  readonly nameserver: string;
  /** A scratch folder for the stats socket. */
  readonly stateDir: string;
  /** Lower than PROXY_MAXCONN where the machine's file-descriptor limit needs it. */
  readonly maxconn?: number;
  /** Anything else of the rendered configuration to change. */
  readonly overrides?: Partial<HaproxyConfigOptions>;
  /** Keep HAProxy's log lines for the caller. @default true */
  readonly captureLogs?: boolean;
}

/** Starts the proxy on three free ports of `host` and resolves once it listens on the health port. */
export async function startLoopbackProxy(
  o: LoopbackProxyOptions,
): Promise<{ readonly ports: ProxyPorts; readonly haproxy: RunningHaproxy }> {
  const ports = { tls: await freePort(o.host), health: await freePort(o.host), metrics: await freePort(o.host) };
  const haproxyConfig = renderHaproxyConfig({
    allowedFqdns: o.allowedFqdns,
    vpcCidr: o.vpcCidr,
    bindAddress: o.host,
    ports,
    upstreamPort: o.upstreamPort,
    resolvers: { nameservers: [o.nameserver] },
    statsSocketPath: join(o.stateDir, `stats-${ports.tls}.sock`),
    ...(o.maxconn ? { maxconn: o.maxconn } : {}),
    ...o.overrides,
  });
  const config = extractHaproxyConfig(renderUserData({ haproxyConfig }));
  const haproxy = await startHaproxy(config, {
    readyOn: { host: o.host, port: ports.health },
    captureLogs: o.captureLogs ?? true,
  });
  return { ports, haproxy };
}
