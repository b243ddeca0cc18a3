/**
 * Real HAProxy for tests and the benchmark: `haproxy -c` on a configuration text, and HAProxy
 * processes run in the foreground on loopback, always stopped (a leftover one is killed at exit).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "./wait";

// Debian installs haproxy in /usr/sbin, which a non-login shell's PATH may lack.
const SEARCH_PATH = `${process.env.PATH ?? ""}:/usr/sbin:/usr/local/sbin`;
/** The environment the servers run in (PATH with the sbin folders). */
export const ENV = { ...process.env, PATH: SEARCH_PATH };

/** `haproxy -v`'s first line ("HAProxy version 2.6.12-1 ..."), or undefined when no haproxy is installed. */
export function haproxyVersion(): string | undefined {
  const result = spawnSync("haproxy", ["-v"], { env: ENV, encoding: "utf8", timeout: 10_000 });
  return result.status === 0 ? result.stdout.split("\n")[0] : undefined;
}

/** This process's hard limit of open files (what a HAProxy started from it may raise its own to). */
export function fdHardLimit(): number {
  const result = spawnSync("sh", ["-c", "ulimit -Hn"], { encoding: "utf8", timeout: 5000 });
  const text = result.stdout.trim();
  return text === "unlimited" ? Number.POSITIVE_INFINITY : Number(text);
}

/**
 * A maxconn this machine can run when its hard FD limit is below what `maxconn` needs (two FDs
 * per connection plus listeners, checks and resolvers), or undefined when `maxconn` fits. On an
 * instance the user data raises the limit; here (e.g. a 20 000 hard limit) only the size changes.
 */
export function maxconnFittingThisMachine(maxconn: number, reserve = 1000): number | undefined {
  const limit = fdHardLimit();
  return 2 * maxconn + reserve <= limit ? undefined : Math.floor((limit - reserve) / 2) - 500;
}

/** A TCP port free on `host` right now (the kernel picks it; the caller binds it soon after). */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves true when a TCP connection to host:port is accepted, false when refused or after 1 s. */
export function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * Whether a UDP socket is bound to host:port right now (Linux's /proc/net/udp: the local address as
 * the kernel stores it, IPv4 in host byte order, little-endian here, and the port in hex). A bound
 * socket queues datagrams even before its owner reads them, so nothing sent after this is lost.
 */
export function udpBound(host: string, port: number): boolean {
  const address = host
    .split(".")
    .reverse()
    .map((octet) => Number(octet).toString(16).padStart(2, "0"))
    .join("");
  const local = `${address}:${port.toString(16).padStart(4, "0")}`.toUpperCase();
  return readFileSync("/proc/net/udp", "utf8")
    .split("\n")
    .some((line) => line.trim().split(/\s+/)[1] === local);
}

export interface HaproxyCheckResult {
  /** `haproxy -c` exited 0. */
  readonly ok: boolean;
  /** Everything it printed (notices, warnings, alerts). */
  readonly output: string;
}

/** Runs the real `haproxy -c -f` on a configuration text. */
export function haproxyCheck(configText: string): HaproxyCheckResult {
  const dir = mkdtempSync(join(tmpdir(), "haproxy-check-"));
  try {
    const file = join(dir, "haproxy.cfg");
    writeFileSync(file, configText);
    const result = spawnSync("haproxy", ["-c", "-f", file], { env: ENV, encoding: "utf8", timeout: 20_000 });
    return {
      ok: result.status === 0,
      output: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error?.message ?? ""}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface RunningHaproxy {
  readonly pid: number;
  /** What HAProxy printed so far (its logs go to stdout), last 1 MB. */
  logs(): string;
  /** Stops HAProxy (SIGTERM, then SIGKILL after 3 s) and removes its files; safe to call twice. */
  stop(): Promise<void>;
}

export interface StartHaproxyOptions {
  /**
   * A listener of the configuration: the process counts as started once it accepts TCP there, or,
   * for `protocol: "udp"`, once a socket is bound there.
   */
  readonly readyOn: { readonly host: string; readonly port: number; readonly protocol?: "tcp" | "udp" };
  /** @default 10_000 */
  readonly timeoutMs?: number;
  /** Keep stdout for `logs()`, or send it to /dev/null (benchmarks). @default true */
  readonly captureLogs?: boolean;
}

const LOG_LIMIT = 1 << 20;
const running = new Set<ChildProcess>();
process.once("exit", () => running.forEach((child) => child.kill("SIGKILL")));

/**
 * The configuration as this user can run it: unchanged as root (this repository's CI); otherwise (a
 * developer's machine, GitHub's runner user) without the privilege drop, because `user`, `group` and
 * `chroot` are root-only operations and nothing the tests measure depends on them.
 */
export function runnableAs(configText: string, uid: number | undefined = process.getuid?.()): string {
  if (uid === undefined || uid === 0) return configText;
  return configText
    .split("\n")
    .filter((line) => !/^\s+(user|group|chroot)\s/.test(line))
    .join("\n");
}

/** Starts `haproxy -db -f <config>` (foreground, as systemd would run it) and waits until it listens. */
export async function startHaproxy(configText: string, options: StartHaproxyOptions): Promise<RunningHaproxy> {
  const dir = mkdtempSync(join(tmpdir(), "haproxy-run-"));
  const file = join(dir, "haproxy.cfg");
  writeFileSync(file, runnableAs(configText));
  return startListeningProcess("HAProxy", "haproxy", ["-db", "-f", file], { ...options, removeOnStop: dir });
}

/**
 * Runs a server in the foreground (HAProxy, nginx, rsyslog) and resolves once it accepts TCP on `readyOn`;
 * stop() ends it (SIGTERM, then SIGKILL after 3 s) and removes `removeOnStop`. Killed at exit whatever happens.
 */
export async function startListeningProcess(
  what: string,
  command: string,
  args: string[],
  options: StartHaproxyOptions & { readonly removeOnStop?: string },
): Promise<RunningHaproxy> {
  const capture = options.captureLogs ?? true;
  const child = spawn(command, args, { env: ENV, stdio: ["ignore", capture ? "pipe" : "ignore", "pipe"] });
  running.add(child);
  let output = "";
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-LOG_LIMIT);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
    running.delete(child);
  });

  const stop = async () => {
    if (!hasExited) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(killer);
    }
    if (options.removeOnStop) rmSync(options.removeOnStop, { recursive: true, force: true });
  };

  try {
    await waitFor(
      `${what} to listen on ${options.readyOn.host}:${options.readyOn.port}`,
      async () => {
        if (hasExited) throw new Error(`${what} exited during start:\n${output}`);
        const { host, port, protocol = "tcp" } = options.readyOn;
        return (protocol === "udp" ? udpBound(host, port) : await canConnect(host, port)) || undefined;
      },
      { timeoutMs: options.timeoutMs ?? 10_000, intervalMs: 50 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid!, logs: () => output, stop };
}
