/**
 * A helper process the benchmark talks to in lines: a command on stdin, one JSON line back on
 * stdout. Every child is killed when this process exits, whatever happened.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

const children = new Set<ChildProcess>();
process.once("exit", () => children.forEach((child) => child.kill("SIGKILL")));

export interface LineChild {
  readonly pid: number;
  /** The next JSON line the child prints (e.g. its greeting), within `timeoutMs`. */
  next<T>(timeoutMs?: number): Promise<T>;
  /** Sends `line`, then waits for the next JSON line. */
  ask<T>(line: string, timeoutMs?: number): Promise<T>;
  /** Closes stdin (the child's cue to exit), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function startLineChild(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): LineChild {
  const child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"] });
  children.add(child);
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let stderr = "";
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      children.delete(child);
      resolve();
    }),
  );
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString("utf8")).slice(-4000)));
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter(line);
    else lines.push(line);
  });

  const next = <T>(timeoutMs = 120_000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const take = (line: string) => {
        clearTimeout(timer);
        clearInterval(watch);
        try {
          resolve(JSON.parse(line) as T);
        } catch {
          reject(new Error(`${command} printed "${line}" instead of JSON`));
        }
      };
      const timer = setTimeout(
        () => reject(new Error(`${command} did not answer within ${timeoutMs} ms: ${stderr}`)),
        timeoutMs,
      );
      const watch = setInterval(() => {
        if (exited) {
          clearTimeout(timer);
          clearInterval(watch);
          reject(new Error(`${command} exited: ${stderr}`));
        }
      }, 200);
      const queued = lines.shift();
      if (queued !== undefined) take(queued);
      else waiters.push(take);
    });

  return {
    pid: child.pid!,
    next,
    ask: <T>(line: string, timeoutMs?: number) => {
      child.stdin!.write(`${line}\n`);
      return next<T>(timeoutMs);
    },
    stop: async (graceMs = 15_000) => {
      if (exited) return;
      child.stdin!.end();
      const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exit;
      clearTimeout(killer);
    },
  };
}
