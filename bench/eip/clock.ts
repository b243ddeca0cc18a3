import { performance } from "node:perf_hooks";

/** Where simulated API latency and the handler's backoff waits come from. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Real time: for the benchmark, which reports what the run really took. */
export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface Timer {
  at: number;
  seq: number;
  wake: () => void;
}

/**
 * Simulated time for tests: a sleep resolves only when `run` advances the clock, and the clock advances
 * only once every task is blocked on it. Timers fire in (time, creation) order, so a run with seeded
 * latencies interleaves the same way every time, and 50 launches with 80 ms calls take no real time.
 */
export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private timers: Timer[] = [];

  now = (): number => this.time;

  sleep = (ms: number): Promise<void> =>
    new Promise((wake) => {
      this.timers.push({ at: this.time + Math.max(0, ms), seq: this.seq++, wake });
    });

  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const done = work.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let idleTurns = 0; !settled;) {
      // setImmediate runs after the microtask queue is drained: every task has reached its next sleep.
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) break;
      const next = this.takeEarliest();
      if (next) {
        idleTurns = 0;
        this.time = next.at;
        next.wake();
      } else if (++idleTurns > 1000) {
        throw new Error("VirtualClock: work is pending but nothing sleeps on the clock (a real timer or I/O?)");
      }
    }
    await done;
    return work;
  }

  private takeEarliest(): Timer | undefined {
    if (this.timers.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < this.timers.length; i++) {
      const [a, b] = [this.timers[i], this.timers[best]];
      if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) best = i;
    }
    return this.timers.splice(best, 1)[0];
  }
}
