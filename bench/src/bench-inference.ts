// `pnpm --filter @deepface/bench bench:inference [seconds]`: how the engine's inference scales with threads when
// nothing else competes for the cores. Each thread loads its own tfjs instance and models (as a pool worker does),
// decodes the benchmark's document and selfie once, then examines them in a loop exactly as a Verify does (cascade
// detection, role evidence, landmarks, descriptor), without libvips decoding or gRPC. Compare with `pnpm bench
// throughput`, whose 1- vs 2-worker ratio also carries the decoding that runs outside the workers.
import * as os from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createEngine, decodedEvidence, decodeImage } from '@deepface/engine';
import { inProcessEngine } from './in-process';
import { inputs } from './engine-process';
import { fmt } from './metrics';

const { init: INIT, limits: LIMITS } = inProcessEngine(
  process.env.ENGINE_BACKEND === 'onnx' ? 'onnx' : 'wasm',
);

interface Job {
  seconds: number;
}

/** One thread: verifications (two examinations) per second. */
async function thread({ seconds }: Job): Promise<number> {
  const engine = await createEngine(INIT);
  const ctx = engine.context;
  const i = await inputs();
  const [document, selfie] = await Promise.all([
    decodeImage(i.document, LIMITS),
    decodeImage(i.selfie, LIMITS),
  ]);
  const verifyOnce = async (): Promise<void> => {
    await decodedEvidence(ctx, { ref: 'IMG1', roles: true, quality: true }, document);
    await decodedEvidence(ctx, { ref: 'IMG2', roles: true, quality: true }, selfie);
  };
  for (let k = 0; k < 3; k++) await verifyOnce();
  parentPort?.postMessage('ready');
  await new Promise((resolve) => parentPort?.once('message', resolve));
  const end = performance.now() + seconds * 1000;
  let done = 0;
  while (performance.now() < end) {
    await verifyOnce();
    done++;
  }
  return done / seconds;
}

async function run(threads: number, seconds: number): Promise<number[]> {
  const workers = Array.from(
    { length: threads },
    // This file is TypeScript: the thread registers tsx's require hook before loading it.
    () =>
      new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, {
        eval: true,
        workerData: { seconds } satisfies Job,
      }),
  );
  const ready = workers.map((w) => new Promise((resolve) => w.once('message', resolve)));
  await Promise.all(ready);
  const rates = workers.map(
    (w) =>
      new Promise<number>((resolve, reject) => {
        w.once('message', (rate: number) => resolve(rate));
        w.once('error', reject);
      }),
  );
  for (const w of workers) w.postMessage('go');
  const result = await Promise.all(rates);
  await Promise.all(workers.map((w) => w.terminate()));
  return result;
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 20);
  const max = Math.min(2, os.availableParallelism());
  console.log(
    `# Inference alone (${INIT.backend}): Verify's examinations on pre-decoded images, ${seconds} s per run`,
  );
  const one = await run(1, seconds);
  const total1 = one.reduce((a, b) => a + b, 0);
  console.log(`1 thread   ${fmt(total1, 2)} verifications/s`);
  if (max < 2) return;
  const two = await run(2, seconds);
  const total2 = two.reduce((a, b) => a + b, 0);
  console.log(
    `2 threads  ${fmt(total2, 2)} verifications/s (${two.map((r) => fmt(r, 2)).join(' + ')}; ${fmt(total2 / total1, 2)}× one)`,
  );
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  thread(workerData as Job).then(
    (rate) => parentPort?.postMessage(rate),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
