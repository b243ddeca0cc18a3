/**
 * wrk runs for the proxy benchmarks (Debian package `wrk`). wrk takes the SNI and Host from the URL's
 * name; the Lua script makes it connect to a loopback address instead and prints one RESULT line.
 * Latency starts when the request is written: in the new-connection mode the handshake shows in
 * requests/s, not in p50/p99.
 */
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export const MODES = ["keep-alive", "new connection"] as const;
export type Mode = (typeof MODES)[number];

export interface WrkSample {
  readonly requests: number;
  readonly rps: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly errors: number;
}

const WRK_SCRIPT = `
local target = os.getenv("WRK_CONNECT_TO")
function wrk.resolve(host, service)
  wrk.addrs = wrk.lookup(target, service)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\\nRESULT {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
`;

/** Throws an Error with the apt-get line when `command` is not installed. */
export function requireTool(command: string, args: string[], pkg: string): void {
  if (spawnSync(command, args, { encoding: "utf8" }).error)
    throw new Error(`${command} not found: apt-get install -y ${pkg}`);
}

/** Writes the Lua script into `dir`; returns its path for runWrk. */
export function writeWrkScript(dir: string): string {
  const file = join(dir, "sni.lua");
  writeFileSync(file, WRK_SCRIPT);
  return file;
}

export interface WrkRun {
  readonly script: string;
  /** Name in the URL: SNI and Host. */
  readonly fqdn: string;
  readonly path: string;
  readonly connectTo: string;
  readonly port: number;
  readonly mode: Mode;
  readonly connections: number;
  readonly seconds: number;
}

/** Runs wrk asynchronously (an upstream may share this process's event loop) and parses its RESULT line. */
export function runWrk(run: WrkRun): Promise<WrkSample> {
  const args = [
    `-t${Math.min(run.connections, 2)}`,
    `-c${run.connections}`,
    `-d${run.seconds}s`,
    "--timeout",
    "10s",
    "-s",
    run.script,
  ];
  if (run.mode === "new connection") args.push("-H", "Connection: close");
  args.push(`https://${run.fqdn}:${run.port}${run.path}`);
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, {
      env: { ...process.env, WRK_CONNECT_TO: run.connectTo },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (out += d));
    const killer = setTimeout(() => child.kill("SIGKILL"), (run.seconds + 30) * 1000);
    child.once("exit", () => {
      clearTimeout(killer);
      const line = /^RESULT (.*)$/m.exec(out);
      if (!line) return reject(new Error(`wrk gave no result:\n${out}`));
      const r = JSON.parse(line[1]) as {
        requests: number;
        durationUs: number;
        p50Us: number;
        p99Us: number;
        errors: number;
      };
      resolve({
        requests: r.requests,
        rps: r.requests / (r.durationUs / 1e6),
        p50Us: r.p50Us,
        p99Us: r.p99Us,
        errors: r.errors,
      });
    });
  });
}
