// `pnpm bench`: the engine's speed, measured on this machine over gRPC against real engine processes.
// Prints per-stage times, p50/p95 per RPC, throughput with 1 and 2 workers, and RSS over 1,000 calls.
// Figures only: nothing here fails a build.
import type { Timings__Output } from '@deepface/proto';
import { call, inputs, rssMb, startEngine, type Engine, type Inputs, type Unary } from './engine-process';
import { fmt, percentile } from './metrics';

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
    'rpc        p50 ms  p95 ms   decode  detect  landmarks  descriptor  attributes  classify   (stage p50, ms)',
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
      `${op.padEnd(10)} ${fmt(percentile(wall, 50), 0).padStart(6)}  ${fmt(percentile(wall, 95), 0).padStart(6)}  ${s('decode_ms')}${s('detect_ms')}${s('landmarks_ms').padStart(11)}${s('descriptor_ms').padStart(12)}${s('attributes_ms').padStart(12)}${s('classify_ms').padStart(10)}`,
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

  let t1 = 0;
  if (want('latency') || want('throughput')) {
    const one = await startEngine(1);
    if (want('latency')) await latency(one, i);
    if (want('throughput')) {
      await throughput(one, i, 2, 3);
      t1 = await throughput(one, i, 4, 20);
    }
    await one.stop();
  }
  if (want('throughput') || want('memory')) {
    const two = await startEngine(2);
    if (want('throughput')) {
      await throughput(two, i, 4, 3);
      const t2 = await throughput(two, i, 4, 20);
      console.log('\n## Throughput, Verify (two 1–2 MP photos), 4 calls in flight');
      console.log(`1 worker  ${fmt(t1, 2)} verifications/s`);
      console.log(`2 workers ${fmt(t2, 2)} verifications/s   (${fmt(t2 / t1, 2)}× one worker)`);
    }
    if (want('memory')) await memory(two, i);
    await two.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
