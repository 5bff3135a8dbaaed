// Where a real engine's CPU per Verify goes, by thread (issue 15): `pnpm --filter @deepface/bench bench:cpu
// [rounds] [workers]`. Starts the built engine (dist/, 2 workers by default, as bench:backends) and, `rounds` times,
// runs Verify 4 in flight and then one call at a time (the split path), printing the engine's CPU ms per Verify
// from /proc per thread group (main thread, inference workers, libvips, libuv, V8 platform, other), beside the
// wall figures, and at the end each busy thread of the last 4-in-flight window. It explains the scaling figure:
// what runs outside the inference workers competes with them for the same cores. Compare with profile-verify's
// in-process CPU per Verify (one thread, no gRPC, no pool).
// ENGINE_MAIN_FLAGS adds node flags to the engine (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
import { inputs, preEncoded, startEngine, type Engine, type Inputs } from './engine-process';
import { fmt, percentile } from './metrics';
import { inFlightWindow } from './rate';
import { cpuPerUnit, threadTicks, type ThreadCpu } from './thread-cpu';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CALLS = Number(process.env.BENCH_LATENCY_CALLS ?? 30);

// Encoded once, as bench:backends sends it (the load generator's CPU is the engine's loss here).
const verify = (e: Engine, i: Inputs) => preEncoded(e.client, 'Verify', { img1: i.document, img2: i.selfie });

/** Thread groups by /proc comm name; the inference workers are the busiest threads named like the main one. */
function groups(rows: ThreadCpu[], pid: number, workerCount: number): Record<string, number> {
  const out: Record<string, number> = {};
  const main = rows.find((r) => r.tid === String(pid));
  const workers = rows
    .filter((r) => r.tid !== String(pid) && r.name === main?.name)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, workerCount);
  for (const r of rows) {
    const key =
      r === main ? 'main' : workers.includes(r) ? 'workers' : r.name.replace(/[-_ ]?\d+$/, '') || '?';
    out[key] = (out[key] ?? 0) + r.ms;
  }
  out.total = rows.reduce((a, r) => a + r.ms, 0);
  return out;
}

function line(label: string, g: Record<string, number>, extra: string): void {
  const parts = Object.entries(g)
    .filter(([k, v]) => k === 'total' || v >= 0.5)
    .sort((a, b) => (a[0] === 'total' ? -1 : b[0] === 'total' ? 1 : b[1] - a[1]))
    .map(([k, v]) => `${k} ${fmt(v, 1)}`);
  console.log(`${label}: ${extra}; CPU ms per Verify: ${parts.join(', ')}`);
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 2);
  const workers = Number(process.argv[3] ?? 2);
  const i = await inputs();
  const nodeFlags = (process.env.ENGINE_MAIN_FLAGS ?? '').split(' ').filter(Boolean);
  const e = await startEngine({ workers, nodeFlags });
  const pid = e.child.pid ?? 0;
  let lastLoaded: ThreadCpu[] = [];
  const next = verify(e, i);
  try {
    for (let k = 0; k < 20; k++) await next();
    for (let r = 0; r < rounds; r++) {
      let before = threadTicks(pid);
      const w = await inFlightWindow(next, SECONDS);
      lastLoaded = cpuPerUnit(before, threadTicks(pid), w.calls);
      line(
        `round ${r + 1} 4 in flight`,
        groups(lastLoaded, pid, workers),
        `${fmt(w.calls / w.seconds, 2)} Verify/s`,
      );
      before = threadTicks(pid);
      const wall: number[] = [];
      for (let c = 0; c < CALLS; c++) {
        const t0 = performance.now();
        await next();
        wall.push(performance.now() - t0);
      }
      line(
        `round ${r + 1} one at a time`,
        groups(cpuPerUnit(before, threadTicks(pid), CALLS), pid, workers),
        `p50 ${fmt(percentile(wall, 50), 1)} ms`,
      );
    }
    console.log(`# each thread's CPU ms per Verify, last 4-in-flight window (${workers} worker(s))`);
    for (const t of lastLoaded.filter((x) => x.ms >= 0.5))
      console.log(`${t.name.padEnd(16)} #${t.tid.padEnd(8)} ${fmt(t.ms, 1).padStart(6)} ms`);
  } finally {
    await e.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
