// `pnpm --filter @deepface/bench exec tsx src/machine-scaling.ts [seconds]`: how much a second thread adds on
// this machine, for work of the engine's kinds, outside the engine. Each kind runs in one worker thread alone,
// then in two worker threads at once; it prints runs/s and each thread's own CPU per run. Two threads that
// shared nothing would give 2.00×; what they give here is the ceiling for issue 15's "two workers ≥ 1.8× one
// pinned worker", which the engine (with its gRPC thread, libvips and garbage collection besides) stays under.
// Runs/s also falls when other processes take the cores; each thread's CPU per run does not, so its rise from one
// thread to two is the figure that belongs to the machine.
// Kinds: a cache-resident JS loop (the cores alone), onnxruntime's recognition net and SSD detector on one
// intra-op thread each (the engine's networks, with their memory traffic). Prints figures only.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { sessionOptions } from '@deepface/engine/tools/onnx-export';

const seconds = Number(process.argv[2] ?? 8);
const models = path.join(
  path.dirname(require.resolve('@deepface/engine/package.json')),
  'dist',
  'onnx-models',
);
const model = (net: string): string => {
  const file = fs.readdirSync(models).find((f) => f.startsWith(`${net}-`) && f.endsWith('.onnx'));
  if (!file) throw new Error(`no ${net} in ${models}: build the engine first (pnpm run build)`);
  return path.join(models, file);
};

type Kind = { name: string; net?: string; size?: number };
const KINDS: Kind[] = [
  { name: 'JS loop (cache-resident)' },
  { name: 'recognition net, 150 px', net: 'faceRecognitionNet', size: 150 },
  { name: 'SSD detector, 512 px', net: 'ssdMobilenetv1', size: 512 },
];

// Plain JS so the worker needs no loader. Its own CPU comes from /proc/thread-self (Linux).
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const ticks = () => {
  const s = fs.readFileSync('/proc/thread-self/stat', 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
};
(async () => {
  const { ortPath, modelPath, size, seconds } = workerData;
  let step;
  if (modelPath) {
    const ort = require(ortPath);
    const session = await ort.InferenceSession.create(modelPath, workerData.options);
    const data = new Float32Array(size * size * 3).map((_, i) => (i * 7919) % 255);
    const feeds = { input: new ort.Tensor('float32', data, [1, size, size, 3]) };
    if (session.inputNames.includes('min_score')) {
      feeds.min_score = new ort.Tensor('float32', Float32Array.of(0.5), [1]);
      feeds.max_results = new ort.Tensor('int64', BigInt64Array.of(100n), [1]);
    }
    step = () => session.run(feeds);
  } else {
    const a = new Float64Array(4096).map((_, i) => i);
    step = async () => { let s = 0; for (let r = 0; r < 2000; r++) for (let i = 0; i < 4096; i++) s += a[i] * 1.0000001; a[0] = s % 7; };
  }
  for (let i = 0; i < 3; i++) await step();
  parentPort.postMessage('ready');
  await new Promise((r) => parentPort.once('message', r));
  const t0 = performance.now();
  const c0 = ticks();
  let runs = 0;
  while (performance.now() - t0 < seconds * 1000) { await step(); runs++; }
  parentPort.postMessage({ runs, wallMs: performance.now() - t0, cpuMs: (ticks() - c0) * 10 });
})();
`;

type Result = { runs: number; wallMs: number; cpuMs: number };

async function together(kind: Kind, threads: number): Promise<Result[]> {
  const workers = Array.from(
    { length: threads },
    () =>
      new Worker(WORKER, {
        eval: true,
        workerData: {
          ortPath: require.resolve('onnxruntime-node'),
          // The engine's own session options, on one intra-op thread.
          options: sessionOptions({ intraOpThreads: 1, preferCuda: false }, 'cpu'),
          modelPath: kind.net ? model(kind.net) : undefined,
          size: kind.size,
          seconds,
        },
      }),
  );
  // Start them at the same moment, once every one has loaded and warmed up.
  await Promise.all(workers.map((w) => new Promise((r) => w.once('message', r))));
  const done = workers.map((w) => new Promise<Result>((r) => w.once('message', r)));
  for (const w of workers) w.postMessage('go');
  const results = await Promise.all(done);
  await Promise.all(workers.map((w) => w.terminate()));
  return results;
}

async function main(): Promise<void> {
  console.log(`# this machine's scaling: one worker thread alone vs two at once, ${seconds} s each`);
  for (const kind of KINDS) {
    const [one] = await together(kind, 1);
    const two = await together(kind, 2);
    if (!one) continue;
    const rate = (r: Result): number => (r.runs * 1000) / r.wallMs;
    const cpu = (r: Result): string => (r.cpuMs / r.runs).toFixed(2);
    const both = two.reduce((s, r) => s + rate(r), 0);
    // Each thread's own CPU per run, two at once against alone: above 1, the threads slow each other down
    // (shared caches, memory bandwidth, or vCPUs that share a physical core), whatever else the machine runs.
    const slowdown = two.reduce((s, r) => s + r.cpuMs / r.runs, 0) / two.length / (one.cpuMs / one.runs);
    console.log(
      `${kind.name.padEnd(28)} one: ${rate(one).toFixed(1)} runs/s (${cpu(one)} ms CPU/run)   ` +
        `two: ${both.toFixed(1)} runs/s (${two.map(cpu).join(' / ')} ms CPU/run)   ×${(both / rate(one)).toFixed(2)} runs/s, ×${slowdown.toFixed(2)} CPU/run`,
    );
  }
}

void main();
