/**
 * What a proxy costs, read from the kernel: resident memory and CPU time of a process and its
 * children (HAProxy is one process with threads; nginx a master and its workers), and the socket
 * buffers the kernel holds for given TCP connections (`ss -tm`).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const CLOCK_TICKS_PER_SECOND = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined; // exited meanwhile
  }
}

/** `pid` and all its descendants alive now. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = Number(statFields(Number(entry))?.[1]); // field 4: ppid
    if (parent) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const visit = (p: number) => {
    tree.push(p);
    (children.get(p) ?? []).forEach(visit);
  };
  visit(pid);
  return tree;
}

/** Sum of VmRSS (kB) of the processes. */
export function rssKiB(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      total += m ? Number(m[1]) : 0;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/** User + system CPU seconds the processes have used so far (all their threads). */
export function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const f = statFields(pid);
    if (f) ticks += Number(f[11]) + Number(f[12]); // fields 14, 15: utime, stime
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/**
 * Bytes the kernel holds for the established TCP sockets `ss` selects with `filter` (e.g.
 * "sport = :443"): receive queue + send queue + reserved (skmem r + w + f), and how many sockets.
 */
export function socketMemory(filter: string): { bytes: number; sockets: number } {
  const out =
    spawnSync("ss", ["-tmnH", "state", "established", filter], { encoding: "utf8", maxBuffer: 64 << 20 }).stdout ?? "";
  let bytes = 0;
  let sockets = 0;
  for (const m of out.matchAll(/skmem:\(r(\d+),rb\d+,t\d+,tb\d+,f(\d+),w(\d+)/g)) {
    bytes += Number(m[1]) + Number(m[2]) + Number(m[3]);
    sockets++;
  }
  return { bytes, sockets };
}

/** Kernel slab memory of the whole machine (kB, /proc/meminfo): where socket structures live. */
export function slabKiB(): number {
  const m = /^Slab:\s+(\d+) kB$/m.exec(readFileSync("/proc/meminfo", "utf8"));
  return m ? Number(m[1]) : 0;
}
