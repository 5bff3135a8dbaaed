// CPU time per thread of a process from /proc (Linux), to split an engine's work between its inference workers
// and everything else (gRPC main thread, libuv, libvips decoding, V8).
import * as fs from 'node:fs';

export type ThreadTicks = Map<string, { name: string; ticks: number }>;

/** CPU ticks (1/100 s, user + system) per thread of a process, by thread id. */
export function threadTicks(pid: number): ThreadTicks {
  const out: ThreadTicks = new Map();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, { name, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

export interface ThreadCpu {
  tid: string;
  name: string;
  /** CPU milliseconds per unit of work (e.g. per verification). */
  ms: number;
}

/** Each thread's CPU between two readings, per unit of work, busiest first. */
export function cpuPerUnit(before: ThreadTicks, after: ThreadTicks, units: number): ThreadCpu[] {
  return [...after]
    .map(([tid, a]) => ({ tid, name: a.name, ms: ((a.ticks - (before.get(tid)?.ticks ?? 0)) * 10) / units }))
    .sort((a, b) => b.ms - a.ms);
}

/**
 * The inference workers' share and the rest, per unit. The workers are the `workers` busiest threads: each runs
 * the models for its tasks, far more CPU than any other thread of the engine.
 */
export function splitCpu(threads: ThreadCpu[], workers: number): { inference: number; other: number } {
  const inference = threads.slice(0, workers).reduce((a, t) => a + t.ms, 0);
  const total = threads.reduce((a, t) => a + t.ms, 0);
  return { inference, other: total - inference };
}
