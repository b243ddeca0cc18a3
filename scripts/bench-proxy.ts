/**
 * npm run bench:proxy — what the proxy costs against a direct connection, on loopback.
 *
 * Targets: the HTTPS upstream directly; through HAProxy with our rendered configuration; through
 * HAProxy with the reference blog's configuration. Modes: keep-alive, and a new TCP + TLS connection
 * per request (`Connection: close`). Load generator: wrk (Debian package), because autocannon's
 * `reconnectRate` drops the response on which it reconnects, so it cannot count that mode.
 * wrk's latency starts when the request is written: in the new-connection mode the handshake shows
 * in requests/s, not in p50/p99.
 *
 * Environment: BENCH_SECONDS (per cell, default 5), BENCH_REPETITIONS (default 3),
 * BENCH_CONCURRENCY (default "1,16,64").
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HEALTH_CHECK_PATH, PROXY_MAXCONN } from "../aws/constants";
import { startDnsServer, type TestDnsServer } from "../bench/proxy/dnsServer";
import {
  freePort,
  haproxyVersion,
  maxconnFittingThisMachine,
  startHaproxy,
  type RunningHaproxy,
} from "../bench/proxy/haproxy";
import { startLoopbackProxy } from "../bench/proxy/loopbackProxy";
import { renderReferenceConfig } from "../bench/proxy/referenceConfig";
import { httpGet } from "../bench/proxy/tlsClient";
import { createTestPki, startTlsUpstream, type TlsUpstream } from "../bench/proxy/tlsUpstream";
import { waitFor } from "../bench/proxy/wait";
import { MODES, requireTool, runWrk as runWrkOnce, writeWrkScript, type Mode } from "../bench/capacity/wrk";
import { median } from "../bench/stats";

const FQDN = "contoso-aoai-bench.openai.azure.com";
const UPSTREAM_HOST = "127.0.0.10";
const OURS_HOST = "127.0.0.2";
const REFERENCE_HOST = "127.0.0.3";
const PATH = "/chat";

const SECONDS = positiveInt("BENCH_SECONDS", 5);
const REPETITIONS = positiveInt("BENCH_REPETITIONS", 3);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? "1,16,64").split(",").map(Number);
const TARGETS = ["direct", "our HAProxy", "blog's HAProxy"] as const;
type Target = (typeof TARGETS)[number];

interface Sample {
  readonly rps: number;
  /** Lowest and highest req/s of the repetitions (medianSample only): how much to trust the median. */
  readonly rpsRange?: readonly [number, number];
  readonly p50Us: number;
  readonly p99Us: number;
  readonly errors: number;
}

function positiveInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name}=${process.env[name]} is not a positive whole number`);
  return value;
}

/** Runs wrk against one target (the upstream shares this process's event loop). */
async function runWrk(
  script: string,
  connectTo: string,
  port: number,
  mode: Mode,
  connections: number,
  seconds: number,
): Promise<Sample> {
  const { rps, p50Us, p99Us, errors } = await runWrkOnce({
    script,
    fqdn: FQDN,
    path: PATH,
    connectTo,
    port,
    mode,
    connections,
    seconds,
  });
  return { rps, p50Us, p99Us, errors };
}

function medianSample(samples: Sample[]): Sample {
  return {
    rps: median(samples.map((s) => s.rps)),
    rpsRange: [Math.min(...samples.map((s) => s.rps)), Math.max(...samples.map((s) => s.rps))],
    p50Us: median(samples.map((s) => s.p50Us)),
    p99Us: median(samples.map((s) => s.p99Us)),
    errors: samples.reduce((sum, s) => sum + s.errors, 0),
  };
}

function printTable(results: Map<string, Sample[]>): void {
  const key = (m: Mode, c: number, t: Target) => `${m}|${c}|${t}`;
  const rows = [
    ["mode", "conc.", "target", "req/s", "min–max", "p50 ms", "p99 ms", "errors", "req/s ÷ direct", "p50 − direct"],
  ];
  for (const mode of MODES) {
    for (const c of CONCURRENCY) {
      const direct = medianSample(results.get(key(mode, c, "direct"))!);
      for (const target of TARGETS) {
        const s = medianSample(results.get(key(mode, c, target))!);
        rows.push([
          mode,
          String(c),
          target,
          s.rps.toFixed(0),
          s.rpsRange!.map((r) => r.toFixed(0)).join("–"),
          (s.p50Us / 1000).toFixed(2),
          (s.p99Us / 1000).toFixed(2),
          String(s.errors),
          target === "direct" ? "1.00" : (s.rps / direct.rps).toFixed(2),
          target === "direct" ? "" : `${((s.p50Us - direct.p50Us) / 1000).toFixed(2)} ms`,
        ]);
      }
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((cell, i) => cell.padEnd(widths[i])).join(" | ")} |`;
  console.log(line(rows[0]));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  rows.slice(1).forEach((r) => console.log(line(r)));
}

async function main(): Promise<void> {
  const version = haproxyVersion();
  if (!version) throw new Error("haproxy not found: apt-get install -y haproxy");
  requireTool("wrk", ["--version"], "wrk");
  const cpus = spawnSync("nproc", { encoding: "utf8" }).stdout.trim();
  console.log(
    `${version}; ${cpus} CPUs; ${SECONDS} s per cell, ${REPETITIONS} repetitions, medians; GET ${PATH} (${FQDN})`,
  );

  const workDir = mkdtempSync(join(tmpdir(), "bench-proxy-"));
  const proxies: RunningHaproxy[] = [];
  let upstream: TlsUpstream | undefined;
  let dns: TestDnsServer | undefined;
  const cleanup = async () => {
    await Promise.all(proxies.map((p) => p.stop()));
    await Promise.all([upstream?.stop(), dns?.stop()]);
    rmSync(workDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void cleanup().then(() => process.exit(130)));

  try {
    const script = writeWrkScript(workDir);
    const pki = createTestPki();
    upstream = await startTlsUpstream({ host: UPSTREAM_HOST, port: await freePort(UPSTREAM_HOST), name: "A", pki });
    dns = await startDnsServer();
    dns.set(FQDN, UPSTREAM_HOST);

    const { ports, haproxy } = await startLoopbackProxy({
      host: OURS_HOST,
      allowedFqdns: [FQDN],
      vpcCidr: "127.0.0.0/8",
      upstreamPort: upstream.port,
      nameserver: dns.address,
      stateDir: workDir,
      maxconn: maxconnFittingThisMachine(PROXY_MAXCONN),
      captureLogs: false,
    });
    proxies.push(haproxy);
    await waitFor(
      "our HAProxy to report healthy",
      async () => (await httpGet(OURS_HOST, ports.health, HEALTH_CHECK_PATH)).status === 200 || undefined,
    );
    const referencePort = await freePort(REFERENCE_HOST);
    const reference = renderReferenceConfig({
      bindAddress: REFERENCE_HOST,
      port: referencePort,
      server: `${UPSTREAM_HOST}:${upstream.port}`,
    });
    proxies.push(
      await startHaproxy(reference, { readyOn: { host: REFERENCE_HOST, port: referencePort }, captureLogs: false }),
    );

    const endpoints: Record<Target, [string, number]> = {
      direct: [UPSTREAM_HOST, upstream.port],
      "our HAProxy": [OURS_HOST, ports.tls],
      "blog's HAProxy": [REFERENCE_HOST, referencePort],
    };
    for (const target of TARGETS) await runWrk(script, ...endpoints[target], "keep-alive", 16, 1); // warm-up

    const results = new Map<string, Sample[]>();
    // Targets interleaved within each repetition, so drift on a shared machine hits all three alike.
    for (let rep = 1; rep <= REPETITIONS; rep++) {
      for (const mode of MODES) {
        for (const c of CONCURRENCY) {
          for (const target of TARGETS) {
            const sample = await runWrk(script, ...endpoints[target], mode, c, SECONDS);
            const key = `${mode}|${c}|${target}`;
            results.set(key, [...(results.get(key) ?? []), sample]);
            process.stderr.write(`rep ${rep} ${mode} c=${c} ${target}: ${sample.rps.toFixed(0)} req/s\n`);
          }
        }
      }
    }
    printTable(results);
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
