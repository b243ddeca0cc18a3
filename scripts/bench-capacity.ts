/**
 * npm run bench:capacity — what one proxy can hold and what it costs, for our HAProxy configuration
 * (aws/haproxyConfig.ts, rendered as deployed), the reference blog's HAProxy configuration and
 * nginx's stream proxy with ssl_preread and the same SNI allow list, all in one run on loopback:
 *
 * 1. Memory per established TLS stream: thousands of streams held open through the proxy (client
 *    and upstream in processes of their own: the file-descriptor limit is per process), RSS of all
 *    the proxy's processes before and at each step, the fitted kB per stream — idle streams, and
 *    slow-reader streams (the upstream sent data the client does not read, so it waits in the proxy).
 *    Also the kernel's socket buffers of the proxy's connections (not in RSS, but in the instance's memory).
 * 2. CPU per request: the proxy's user + system CPU time (/proc) ÷ requests served, keep-alive and a
 *    new connection per request, at two concurrencies: a cost, not a rate, so it holds on a shared machine.
 * 3. Added latency: wrk's p50/p99 through each proxy against the upstream directly, in the same run.
 *
 * Environment: BENCH_STREAM_STEPS (default "500,1000,2000"; "1000,4000,8000" on a quiet machine), BENCH_PENDING_KB (slow-reader data per
 * stream, default 64), BENCH_SECONDS (per wrk cell, default 3), BENCH_CONCURRENCY (default "16,64"),
 * BENCH_MAX_SECONDS (wall-time cap, default 300: phases that would pass it are skipped),
 * BENCH_OURS_TUNE (global lines added to a 4th proxy, our configuration plus these, for before/after,
 * e.g. "tune.bufsize 8192"; ";" separates lines), BENCH_TUNE_ONLY=1 (with it: only ours and the tuned one).
 * Needs haproxy, nginx-light + libnginx-mod-stream, wrk, python3, openssl, ss (iproute2).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HEALTH_CHECK_PATH, PROXY_MAXCONN } from "../aws/constants";
import { renderHaproxyConfig } from "../aws/haproxyConfig";
import { startDnsServer, type TestDnsServer } from "../bench/proxy/dnsServer";
import { freePort, haproxyVersion, maxconnFittingThisMachine, startHaproxy } from "../bench/proxy/haproxy";
import { nginxStreamAvailable, renderNginxStreamConfig, startNginx } from "../bench/proxy/nginxStream";
import { renderReferenceConfig } from "../bench/proxy/referenceConfig";
import { httpGet } from "../bench/proxy/tlsClient";
import { createTestPki, startTlsUpstream, type TestPki } from "../bench/proxy/tlsUpstream";
import { sleep, waitFor } from "../bench/proxy/wait";
import { startLineChild } from "../bench/capacity/lineChild";
import { cpuSeconds, processTree, rssKiB, slabKiB, socketMemory } from "../bench/capacity/procfs";
import { fitLine, markdownTable, ratio } from "../bench/capacity/stats";
import { MODES, requireTool, runWrk, writeWrkScript, type Mode, type WrkSample } from "../bench/capacity/wrk";

const FQDN = "contoso-aoai-bench.openai.azure.com";
const UPSTREAM_HOST = "127.0.0.10";
const PATH = "/chat";

const STEPS = intList("BENCH_STREAM_STEPS", "500,1000,2000");
const PENDING_BYTES = intList("BENCH_PENDING_KB", "64")[0] * 1024;
const CELL_SECONDS = intList("BENCH_SECONDS", "3")[0];
const CONCURRENCY = intList("BENCH_CONCURRENCY", "16,64");
const MAX_SECONDS = intList("BENCH_MAX_SECONDS", "300")[0];
const OURS_TUNE = (process.env.BENCH_OURS_TUNE ?? "")
  .split(";")
  .map((l) => l.trim())
  .filter(Boolean);
/** A slow reader's receive buffer (the kernel doubles it): what it does not read stays in the proxy. */
const SLOW_READER_RCVBUF = 4096;
/** After each step: let the proxy finish relaying what it can before reading its memory. */
const SETTLE_MS = 1000;

const OURS = "our HAProxy";
const TUNED = `our HAProxy + ${OURS_TUNE.join("; ")}`;
const TUNE_ONLY = process.env.BENCH_TUNE_ONLY === "1" && OURS_TUNE.length > 0;
const PROXIES = [OURS, ...(OURS_TUNE.length ? [TUNED] : []), ...(TUNE_ONLY ? [] : ["blog's HAProxy", "nginx stream"])];
const HOSTS: Record<string, string> = {
  [OURS]: "127.0.0.2",
  [TUNED]: "127.0.0.5",
  "blog's HAProxy": "127.0.0.3",
  "nginx stream": "127.0.0.4",
};
const KINDS = ["idle", "slow reader"] as const;
type Kind = (typeof KINDS)[number];

const started = Date.now();
const elapsed = () => (Date.now() - started) / 1000;
const progress = (text: string) => process.stderr.write(`[${elapsed().toFixed(0)} s] ${text}\n`);

function intList(name: string, fallback: string): number[] {
  const raw = process.env[name] ?? fallback;
  const values = raw.split(",").map(Number);
  if (values.some((v) => !Number.isInteger(v) || v < 1))
    throw new Error(`${name}=${raw}: give positive whole numbers separated by commas`);
  return values;
}

interface Upstream {
  readonly host: string;
  readonly port: number;
}

interface RunningProxy {
  readonly pid: number;
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Our rendered configuration with extra global lines (the tuning candidate). */
function withGlobalLines(config: string, lines: readonly string[]): string {
  return lines.length ? config.replace(/^global\n/m, `global\n${lines.map((l) => `    ${l}\n`).join("")}`) : config;
}

async function startProxy(
  name: string,
  upstream: Upstream,
  dns: TestDnsServer,
  workDir: string,
): Promise<RunningProxy> {
  const host = HOSTS[name];
  const port = await freePort(host);
  if (name === OURS || name === TUNED) {
    const ports = { tls: port, health: await freePort(host), metrics: await freePort(host) };
    const maxconn = maxconnFittingThisMachine(PROXY_MAXCONN);
    const config = renderHaproxyConfig({
      allowedFqdns: [FQDN],
      vpcCidr: "127.0.0.0/8",
      bindAddress: host,
      ports,
      upstreamPort: upstream.port,
      resolvers: { nameservers: [dns.address] },
      statsSocketPath: join(workDir, `stats-${host}.sock`),
      ...(maxconn ? { maxconn } : {}),
    });
    const proxy = await startHaproxy(withGlobalLines(config, name === TUNED ? OURS_TUNE : []), {
      readyOn: { host, port: ports.health },
      captureLogs: false,
    });
    try {
      await waitFor(
        `${name} to report healthy`,
        async () => (await httpGet(host, ports.health, HEALTH_CHECK_PATH)).status === 200 || undefined,
        { timeoutMs: 30_000 },
      );
    } catch (error) {
      await proxy.stop();
      throw error;
    }
    return { pid: proxy.pid, host, port, stop: proxy.stop };
  }
  if (name === "blog's HAProxy") {
    const proxy = await startHaproxy(
      renderReferenceConfig({ bindAddress: host, port, server: `${upstream.host}:${upstream.port}` }),
      {
        readyOn: { host, port },
        captureLogs: false,
      },
    );
    return { pid: proxy.pid, host, port, stop: proxy.stop };
  }
  const runDir = mkdtempSync(join(workDir, "nginx-"));
  const config = renderNginxStreamConfig({
    bindAddress: host,
    port,
    allowedFqdns: [FQDN],
    server: `${upstream.host}:${upstream.port}`,
    runDir,
  });
  const proxy = await startNginx(config, runDir, { host, port });
  return { pid: proxy.pid, host, port, stop: proxy.stop };
}

// ---------------------------------------------------------------------------------------------
// 1. Memory per held stream

interface MemoryResult {
  readonly proxy: string;
  readonly kind: Kind;
  /** (streams, RSS kB) from 0 streams up. */
  readonly points: { x: number; y: number }[];
  /** Kernel socket memory of the proxy's connections at the largest step, bytes per stream. */
  readonly kernelBytesPerStream: number;
  /** Machine-wide slab growth at the largest step, the proxy's half (its two of the four sockets), kB per stream. */
  readonly slabKiBPerStream: number;
  readonly failed: number;
  readonly error?: string;
}

/** The stream upstream for one kind of stream, in a child process (its own file-descriptor limit). */
async function startStreamUpstream(kind: Kind, pkiDir: string) {
  const child = startLineChild(process.execPath, [
    "-r",
    "ts-node/register",
    join(__dirname, "..", "bench", "capacity", "streamUpstream.ts"),
    JSON.stringify({
      host: UPSTREAM_HOST,
      keyFile: join(pkiDir, "server.key"),
      certFile: join(pkiDir, "server.crt"),
      pendingBytes: kind === "idle" ? 0 : PENDING_BYTES,
    }),
  ]);
  try {
    const { port } = await child.next<{ port: number }>(30_000);
    return { child, port };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

async function memoryRun(
  name: string,
  kind: Kind,
  upstreamPort: number,
  pkiDir: string,
  dns: TestDnsServer,
  workDir: string,
): Promise<MemoryResult> {
  const proxy = await startProxy(name, { host: UPSTREAM_HOST, port: upstreamPort }, dns, workDir);
  progress(`${name} started for ${kind} streams`);
  let client: ReturnType<typeof startLineChild> | undefined;
  try {
    await sleep(1000);
    const points = [{ x: 0, y: rssKiB(processTree(proxy.pid)) }];
    const slabBefore = slabKiB();
    client = startLineChild("python3", [
      join(__dirname, "..", "bench", "capacity", "hold_streams.py"),
      proxy.host,
      String(proxy.port),
      FQDN,
      join(pkiDir, "ca.crt"),
      String(kind === "idle" ? 0 : SLOW_READER_RCVBUF),
    ]);
    let failed = 0;
    let error: string | undefined;
    let kernel = { bytes: 0, sockets: 0 };
    let slab = 0;
    for (const n of STEPS) {
      const opened = await client.ask<{ established: number; failed: number; error: string | null }>(`open ${n}`);
      failed = opened.failed;
      error = opened.error ?? undefined;
      await sleep(SETTLE_MS);
      points.push({ x: opened.established, y: rssKiB(processTree(proxy.pid)) });
      kernel = socketMemory(`( sport = :${proxy.port} or dport = :${upstreamPort} )`);
      slab = slabKiB() - slabBefore;
      progress(
        `memory ${name} ${kind}: ${opened.established} streams (${opened.failed} failed), RSS ${(points.at(-1)!.y / 1024).toFixed(1)} MB`,
      );
    }
    const held = points.at(-1)!.x;
    return {
      proxy: name,
      kind,
      points,
      failed,
      error,
      kernelBytesPerStream: held ? kernel.bytes / held : 0,
      // Four sockets per stream on this machine (client, proxy ×2, upstream): the proxy's are half.
      slabKiBPerStream: held ? slab / 2 / held : 0,
    };
  } finally {
    await client?.stop();
    await proxy.stop();
  }
}

/** What one stream costs the instance through `name`: the worse kind, RSS + slab share + socket buffers. */
function sizingFigure(results: readonly MemoryResult[], name: string): string | undefined {
  const totals = results
    .filter((r) => r.proxy === name)
    .map((r) => {
      const rss = fitLine(r.points).slope;
      const buffers = r.kernelBytesPerStream / 1024;
      return { kind: r.kind, rss, slab: r.slabKiBPerStream, buffers, total: rss + r.slabKiBPerStream + buffers };
    });
  if (totals.length === 0) return undefined;
  const worst = totals.reduce((a, b) => (b.total > a.total ? b : a));
  const parts = totals.map((t) => `${t.kind} ${t.total.toFixed(1)}`).join(", ");
  return `Sizing figure, ${name}: ${worst.total.toFixed(1)} kB per stream (${parts}; worse: ${worst.kind} = RSS ${worst.rss.toFixed(1)} + slab ${worst.slab.toFixed(1)} + socket buffers ${worst.buffers.toFixed(1)})`;
}

function memoryTable(results: readonly MemoryResult[]): string {
  const oursOf = (kind: Kind) => results.find((r) => r.proxy === OURS && r.kind === kind);
  const rows = results.map((r) => {
    const fit = fitLine(r.points);
    const ours = oursOf(r.kind);
    return [
      r.proxy,
      r.kind,
      (r.points[0].y / 1024).toFixed(1),
      r.points
        .slice(1)
        .map((p) => `${(p.y / 1024).toFixed(1)} @${p.x}`)
        .join(", "),
      fit.slope.toFixed(1),
      (fit.intercept / 1024).toFixed(1),
      (r.kernelBytesPerStream / 1024).toFixed(1),
      r.slabKiBPerStream.toFixed(1),
      ratio(fit.slope, ours ? fitLine(ours.points).slope : undefined),
      r.failed ? `${r.failed} (${r.error})` : "0",
    ];
  });
  return markdownTable(
    [
      "proxy",
      "streams",
      "RSS before MB",
      "RSS MB @ streams held",
      "kB/stream (fit)",
      "fit intercept MB",
      "socket buffers kB/stream",
      "kernel slab kB/stream",
      "kB/stream ÷ ours",
      "failed",
    ],
    rows,
  );
}

// ---------------------------------------------------------------------------------------------
// 2 and 3. CPU per request and added latency

interface CpuResult {
  readonly target: string;
  readonly mode: Mode;
  readonly connections: number;
  readonly sample: WrkSample;
  /** Proxy CPU µs per request (undefined for the direct connection: no proxy). */
  readonly cpuUsPerRequest?: number;
}

async function cpuRuns(pki: TestPki, dns: TestDnsServer, workDir: string): Promise<CpuResult[]> {
  const upstream = await startTlsUpstream({ host: UPSTREAM_HOST, port: await freePort(UPSTREAM_HOST), name: "A", pki });
  const proxies = new Map<string, RunningProxy>();
  try {
    for (const name of PROXIES) proxies.set(name, await startProxy(name, upstream, dns, workDir));
    const script = writeWrkScript(workDir);
    const targets: [string, RunningProxy | undefined][] = [["direct", undefined], ...proxies];
    const run = (target: RunningProxy | undefined, mode: Mode, connections: number, seconds: number) =>
      runWrk({
        script,
        fqdn: FQDN,
        path: PATH,
        connectTo: target?.host ?? UPSTREAM_HOST,
        port: target?.port ?? upstream.port,
        mode,
        connections,
        seconds,
      });
    for (const [, target] of targets) await run(target, "keep-alive", 16, 1); // warm-up
    const results: CpuResult[] = [];
    // Targets interleaved within each cell, so drift on a shared machine hits all of them alike.
    for (const mode of MODES) {
      for (const connections of CONCURRENCY) {
        for (const [name, target] of targets) {
          const pids = target ? processTree(target.pid) : [];
          const cpuBefore = cpuSeconds(pids);
          const sample = await run(target, mode, connections, CELL_SECONDS);
          const cpu = cpuSeconds(pids) - cpuBefore;
          results.push({
            target: name,
            mode,
            connections,
            sample,
            cpuUsPerRequest: target ? (cpu / sample.requests) * 1e6 : undefined,
          });
          progress(`cpu ${mode} c=${connections} ${name}: ${sample.rps.toFixed(0)} req/s`);
        }
      }
    }
    return results;
  } finally {
    await Promise.all([...proxies.values()].map((p) => p.stop()));
    await upstream.stop();
  }
}

function cpuTable(results: readonly CpuResult[]): string {
  const ms = (us: number) => (us / 1000).toFixed(2);
  const rows = results.map((r) => {
    const same = (t: string) =>
      results.find((x) => x.target === t && x.mode === r.mode && x.connections === r.connections)!;
    const direct = same("direct").sample;
    const ours = same(OURS).cpuUsPerRequest;
    return [
      r.mode,
      String(r.connections),
      r.target,
      r.sample.rps.toFixed(0),
      r.cpuUsPerRequest?.toFixed(1) ?? "–",
      r.cpuUsPerRequest === undefined ? "–" : ratio(r.cpuUsPerRequest, ours),
      ms(r.sample.p50Us),
      ms(r.sample.p99Us),
      r.target === "direct" ? "–" : `${ms(r.sample.p50Us - direct.p50Us)} / ${ms(r.sample.p99Us - direct.p99Us)}`,
      String(r.sample.errors),
    ];
  });
  return markdownTable(
    [
      "mode",
      "conc.",
      "target",
      "req/s",
      "proxy CPU µs/req",
      "CPU ÷ ours",
      "p50 ms",
      "p99 ms",
      "added p50 / p99 ms",
      "errors",
    ],
    rows,
  );
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const version = haproxyVersion();
  if (!version) throw new Error("haproxy not found: apt-get install -y haproxy");
  if (!nginxStreamAvailable())
    throw new Error("nginx with the stream module not found: apt-get install -y nginx-light libnginx-mod-stream");
  requireTool("wrk", ["--version"], "wrk");
  requireTool("python3", ["--version"], "python3");
  requireTool("ss", ["-V"], "iproute2");
  const nginxVersion = spawnSync("nginx", ["-v"], {
    env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin` },
    encoding: "utf8",
  }).stderr.trim();
  const cpus = spawnSync("nproc", { encoding: "utf8" }).stdout.trim();
  const arch = spawnSync("uname", ["-m"], { encoding: "utf8" }).stdout.trim();
  console.log(`${version}; ${nginxVersion}; ${cpus} CPUs (${arch}); ${new Date().toISOString().slice(0, 10)}`);
  console.log(
    `streams ${STEPS.join("/")}; slow readers: ${PENDING_BYTES / 1024} kB pending each; wrk ${CELL_SECONDS} s per cell; cap ${MAX_SECONDS} s`,
  );

  const workDir = mkdtempSync(join(tmpdir(), "bench-capacity-"));
  let dns: TestDnsServer | undefined;
  const hardStop = setTimeout(
    () => {
      console.error(`wall-time cap passed by 60 s: stopping`);
      process.exit(2); // every child is SIGKILLed on exit (lineChild, haproxy and nginx helpers)
    },
    (MAX_SECONDS + 60) * 1000,
  );
  try {
    dns = await startDnsServer();
    dns.set(FQDN, UPSTREAM_HOST);
    // ECDSA: tens of thousands of handshakes stay cheap for the upstream and the clients; the proxy
    // relays them without looking past the ClientHello, so its costs do not depend on the key type.
    const ecDir = join(workDir, "ec-pki");
    const ec = createTestPki(undefined, { keyType: "ec" });
    writePki(ecDir, ec);

    const memory: MemoryResult[] = [];
    const skipped: string[] = [];
    // The wrk phase takes about this long; memory runs stop early enough to leave it room.
    const cpuPhaseSeconds = MODES.length * CONCURRENCY.length * (PROXIES.length + 1) * (CELL_SECONDS + 0.5) + 15;
    // One upstream per kind of stream, both up for the whole phase; each proxy measured on both kinds
    // in turn, so a run cut short by the cap still has every figure for the proxies it reached.
    const upstreams = new Map<Kind, Awaited<ReturnType<typeof startStreamUpstream>>>();
    try {
      for (const kind of KINDS) upstreams.set(kind, await startStreamUpstream(kind, ecDir));
      progress("stream upstreams listening");
      for (const name of PROXIES) {
        for (const kind of KINDS) {
          const perRun = memory.length ? elapsed() / memory.length : 30;
          if (elapsed() + perRun + cpuPhaseSeconds > MAX_SECONDS) {
            skipped.push(`memory ${name} ${kind}`);
            continue;
          }
          memory.push(await memoryRun(name, kind, upstreams.get(kind)!.port, ecDir, dns, workDir));
        }
      }
    } finally {
      await Promise.all([...upstreams.values()].map((u) => u.child.stop()));
    }
    const cpu = await cpuRuns(ec, dns, workDir);

    console.log("\nMemory per held TLS stream (RSS of all the proxy's processes; kernel socket buffers apart)\n");
    console.log(memoryTable(memory));
    for (const name of PROXIES) {
      const figure = sizingFigure(memory, name);
      if (figure) console.log(`\n${figure}`);
    }
    console.log("\nCPU per request (proxy user + system time ÷ requests) and latency added to the direct connection\n");
    console.log(cpuTable(cpu));
    if (skipped.length) console.log(`\nSkipped to stay under ${MAX_SECONDS} s: ${skipped.join(", ")}`);
    console.log(`\nWall time: ${elapsed().toFixed(0)} s (cap ${MAX_SECONDS} s)`);
  } finally {
    clearTimeout(hardStop);
    await dns?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The PKI as files, for the child processes. */
function writePki(dir: string, pki: TestPki): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "ca.crt"), pki.caCert);
  writeFileSync(join(dir, "server.crt"), pki.serverCert);
  writeFileSync(join(dir, "server.key"), pki.serverKey);
}

process.once("SIGINT", () => process.exit(130));
main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
