// `pnpm bench`: the engine's speed, measured on this machine over gRPC against real engine processes.
// Prints per-stage times, p50/p95 per RPC, throughput with 1 and 2 workers, and RSS over 1,000 calls.
// Figures only: nothing here fails a build.
import * as os from 'node:os';
import type { Timings__Output } from '@deepface/proto';
import { call, inputs, rssMb, startEngine, type Engine, type Inputs, type Unary } from './engine-process';
import { fmt, percentile } from './metrics';
import { cpuPerUnit, splitCpu, threadTicks } from './thread-cpu';

const CALLS = Number(process.env.BENCH_CALLS ?? 1000);

type Op = 'Verify' | 'Compare' | 'Analyze' | 'Detect' | 'Represent';

function request(op: Op, i: Inputs): object {
  switch (op) {
    case 'Verify':
      return { img1: i.document, img2: i.selfie };
    case 'Compare':
      return { img1: i.selfie, img2: i.document };
    case 'Analyze':
      return { image: i.scene, actions: ['AGE', 'GENDER', 'RACE', 'EMOTION'] };
    case 'Detect':
      return { image: i.scene, skip_landmarks: false };
    case 'Represent':
      return { image: i.selfie, all_faces: false };
  }
}

async function latency(engine: Engine, i: Inputs): Promise<void> {
  console.log('\n## Latency per RPC (1 worker, one call at a time, 30 calls after 3 warm-up calls)');
  console.log(
    'rpc        p50 ms  p95 ms   decode  detect  landmarks  descriptor  attributes  classify  document   (stage p50, ms)',
  );
  for (const op of ['Verify', 'Compare', 'Analyze', 'Detect', 'Represent'] as Op[]) {
    const method = (engine.client[op] as Unary<object, { timings: Timings__Output | null }>).bind(
      engine.client,
    );
    const req = request(op, i);
    for (let k = 0; k < 3; k++) await call(method, engine.client, req);
    const wall: number[] = [];
    const stages: Timings__Output[] = [];
    for (let k = 0; k < 30; k++) {
      const t0 = performance.now();
      const res = await call(method, engine.client, req);
      wall.push(performance.now() - t0);
      if (res.timings) stages.push(res.timings);
    }
    const s = (k: keyof Timings__Output): string =>
      fmt(
        percentile(
          stages.map((t) => Number(t[k])),
          50,
        ),
        1,
      ).padStart(8);
    console.log(
      `${op.padEnd(10)} ${fmt(percentile(wall, 50), 0).padStart(6)}  ${fmt(percentile(wall, 95), 0).padStart(6)}  ${s('decode_ms')}${s('detect_ms')}${s('landmarks_ms').padStart(11)}${s('descriptor_ms').padStart(12)}${s('attributes_ms').padStart(12)}${s('classify_ms').padStart(10)}${s('document_ms').padStart(10)}`,
    );
  }
}

/** Verify calls with `concurrency` in flight for `seconds`: calls per second. */
async function throughput(engine: Engine, i: Inputs, concurrency: number, seconds: number): Promise<number> {
  const method = engine.client.Verify.bind(engine.client) as Unary<object, object>;
  const req = request('Verify', i);
  const end = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await call(method, engine.client, req);
        done++;
      }
    }),
  );
  return done / seconds;
}

interface Capacity {
  label: string;
  rate: number;
  /** CPU ms per verification in the inference workers and in all other threads of the engine. */
  inference: number;
  other: number;
}

/** Verify/s of a fresh engine, 4 calls in flight for 20 s after 3 s of warm-up, with its CPU split. */
async function capacity(i: Inputs, workers: number, label: string, cpus?: string): Promise<Capacity> {
  const engine = await startEngine({ workers, ...(cpus ? { cpus } : {}) });
  await throughput(engine, i, 4, 3);
  const pid = engine.child.pid ?? 0;
  const before = threadTicks(pid);
  const rate = await throughput(engine, i, 4, 20);
  const split = splitCpu(cpuPerUnit(before, threadTicks(pid), rate * 20), workers);
  await engine.stop();
  return { label, rate, ...split };
}

async function scaling(i: Inputs): Promise<void> {
  const cpus = os.availableParallelism();
  const runs = [await capacity(i, 1, '1 worker, every CPU')];
  // One worker on one CPU is the per-core unit the deployment scales by (k8s: ENGINE_WORKERS = CPUs requested).
  if (cpus >= 2) runs.push(await capacity(i, 1, '1 worker, one CPU (taskset)', '0'));
  const two = await capacity(i, 2, '2 workers, every CPU');
  console.log(`\n## Throughput, Verify (two 1–2 MP photos), 4 calls in flight, ${cpus} CPUs`);
  console.log(
    'engine                        verifications/s   CPU ms per verification: inference workers / other',
  );
  for (const r of [...runs, two])
    console.log(
      `${r.label.padEnd(30)}${fmt(r.rate, 2).padEnd(18)}${fmt(r.inference, 0)} / ${fmt(r.other, 0)}`,
    );
  for (const r of runs) console.log(`2 workers: ${fmt(two.rate / r.rate, 2)}× ${r.label}`);
  // With one worker the other threads run beside it on a free core; with a worker per core they share the cores.
  const ceiling = (Math.min(cpus, 2) * 1000) / (two.inference + two.other);
  console.log(
    `ceiling for 2 workers on ${Math.min(cpus, 2)} cores from their CPU per verification: ${fmt(ceiling, 2)}/s (${fmt(ceiling / (runs[0]?.rate ?? 1), 2)}× ${runs[0]?.label ?? ''})`,
  );
}

async function memory(engine: Engine, i: Inputs): Promise<void> {
  const ops: Op[] = ['Verify', 'Analyze', 'Compare', 'Detect', 'Represent'];
  const run = async (calls: number, onProgress?: (n: number) => Promise<void>): Promise<void> => {
    let n = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (n < calls) {
          const op = ops[n++ % ops.length] ?? 'Verify';
          await call(
            (engine.client[op] as Unary<object, object>).bind(engine.client),
            engine.client,
            request(op, i),
          );
          if (onProgress && n % 50 === 0) await onProgress(n);
        }
      }),
    );
  };
  await run(100); // warm-up: caches, JIT, the heap's working size
  const before = await rssMb(engine.child.pid);
  const samples: [number, number][] = [[0, before]];
  await run(CALLS, async (n) => {
    samples.push([n, await rssMb(engine.child.pid)]);
  });
  const after = await rssMb(engine.child.pid);
  // Least-squares slope: a leak grows steadily; GC timing only makes RSS wobble around a level.
  const mx = samples.reduce((a, [x]) => a + x, 0) / samples.length;
  const my = samples.reduce((a, [, y]) => a + y, 0) / samples.length;
  const slope =
    samples.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) /
    samples.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  console.log(`\n## Memory over ${CALLS} mixed calls after 100 warm-up calls (2 workers, 4 in flight)`);
  console.log(
    `RSS before ${fmt(before, 0)} MB, after ${fmt(after, 0)} MB (growth ${fmt(after - before, 1)} MB), max ${fmt(Math.max(...samples.map(([, y]) => y)), 0)} MB, trend ${fmt(slope * 1000, 1)} MB per 1,000 calls`,
  );
}

async function main(): Promise<void> {
  // Sections: latency, throughput, memory (all by default), e.g. `pnpm bench memory`.
  const only = new Set(process.argv.slice(2));
  const want = (section: string): boolean => only.size === 0 || only.has(section);
  const i = await inputs();
  console.log('# DeepFace engine benchmark');
  console.log(
    `inputs: document ${i.document.length >> 10} KiB, selfie ${i.selfie.length >> 10} KiB (1080×1440), scene ${i.scene.length >> 10} KiB`,
  );

  if (want('latency')) {
    const one = await startEngine({ workers: 1 });
    await latency(one, i);
    await one.stop();
  }
  if (want('throughput')) await scaling(i);
  if (want('memory')) {
    const two = await startEngine({ workers: 2 });
    await memory(two, i);
    await two.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
