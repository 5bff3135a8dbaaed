// `pnpm --filter @deepface/bench bench:backends [wasm onnx ...]`: the engine's backends compared in one run on this
// machine, over gRPC against real engine processes (built dist/, started as the README says), with the ratios:
// - detection + landmarks + descriptor per image on one core (1 worker, 1 onnxruntime thread, the whole engine
//   process pinned to one CPU with taskset), from the stage timings of Represent on the selfie and the document;
// - Verify latency, one call at a time (BENCH_LATENCY_CALLS, 100), 2 workers (the default on 2 cores): the engine
//   then runs the two images side by side on both workers; over gRPC and over HTTP through the gateway (its own
//   database and Redis prefix, as bench:load does; needs the gateway built);
// - throughput with the worker pool on 2 cores: Represent images/s and Verify/s, 4 calls in flight;
// - RSS of the 2-worker engine over BENCH_CALLS (1,000) mixed calls after 100 warm-up calls.
// Figures only: nothing here fails a build. Other CPU-heavy work on the machine makes them noisy.
import type { Timings__Output } from '@deepface/proto';
import { call, inputs, rssMb, startEngine, type Engine, type Inputs, type Unary } from './engine-process';
import { createBacking, createCustomer, startGateway } from './load-stack';
import { fmt, percentile } from './metrics';

const CALLS = Number(process.env.BENCH_CALLS ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
// Calls per latency figure (after 3 warm-up calls): enough for a steady p50 on a machine with other work.
const LATENCY_CALLS = Number(process.env.BENCH_LATENCY_CALLS ?? 100);

type Method = Unary<object, { timings?: Timings__Output | null }>;
const method = (e: Engine, op: 'Verify' | 'Represent' | 'Analyze' | 'Detect' | 'Compare'): Method =>
  (e.client[op] as Method).bind(e.client);

/** p50 of detect + landmarks + descriptor (ms) per image, from Represent's stage timings. */
async function netsPerImage(e: Engine, images: Buffer[]): Promise<number> {
  const sums: number[] = [];
  for (let k = 0; k < 33; k++) {
    for (const image of images) {
      const res = await call(method(e, 'Represent'), e.client, { image, all_faces: false });
      const t = res.timings;
      if (k >= 3 && t) sums.push(Number(t.detect_ms) + Number(t.landmarks_ms) + Number(t.descriptor_ms));
    }
  }
  return percentile(sums, 50);
}

/** POST /v1/verify through a real gateway in front of `e`, one call at a time: p50 in ms. */
async function httpVerifyP50(e: Engine & { port: number }, i: Inputs): Promise<number> {
  const backing = await createBacking();
  try {
    const customer = await createCustomer(backing, 'bench-backends', 100_000);
    const gateway = await startGateway(backing, {
      ENGINE_ADDRESS: `127.0.0.1:${e.port}`,
      RATE_LIMIT_POINTS: '1000000',
      RATE_LIMIT_WINDOW_S: '60',
    });
    try {
      const body = JSON.stringify({ img1: i.document.toString('base64'), img2: i.selfie.toString('base64') });
      const wall: number[] = [];
      for (let k = 0; k < LATENCY_CALLS + 3; k++) {
        const t0 = performance.now();
        const res = await fetch(`${gateway.url}/v1/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': customer.apiKey },
          body,
        });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`POST /v1/verify: HTTP ${res.status}`);
        if (k >= 3) wall.push(performance.now() - t0);
      }
      return percentile(wall, 50);
    } finally {
      await gateway.stop();
    }
  } finally {
    await backing.drop();
  }
}

async function verifyLatency(e: Engine, i: Inputs): Promise<{ p50: number; p95: number }> {
  const wall: number[] = [];
  for (let k = 0; k < LATENCY_CALLS + 3; k++) {
    const t0 = performance.now();
    await call(method(e, 'Verify'), e.client, { img1: i.document, img2: i.selfie });
    if (k >= 3) wall.push(performance.now() - t0);
  }
  return { p50: percentile(wall, 50), p95: percentile(wall, 95) };
}

/** Calls per second with 4 in flight for `seconds`. */
async function rate(e: Engine, next: (n: number) => Promise<unknown>, seconds: number): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (performance.now() < end) await next(done++);
    }),
  );
  return done / seconds;
}

async function memory(e: Engine, i: Inputs): Promise<{ before: number; after: number; trend: number }> {
  const requests: [Parameters<typeof method>[1], object][] = [
    ['Verify', { img1: i.document, img2: i.selfie }],
    ['Represent', { image: i.selfie, all_faces: false }],
    ['Detect', { image: i.scene, skip_landmarks: false }],
    ['Compare', { img1: i.selfie, img2: i.document }],
    ['Analyze', { image: i.scene, actions: ['AGE', 'GENDER', 'RACE', 'EMOTION'] }],
  ];
  const run = async (calls: number, onProgress?: (n: number) => Promise<void>): Promise<void> => {
    let n = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (n < calls) {
          const [op, req] = requests[n++ % requests.length] as [Parameters<typeof method>[1], object];
          await call(method(e, op), e.client, req);
          if (onProgress && n % 50 === 0) await onProgress(n);
        }
      }),
    );
  };
  await run(100);
  const before = await rssMb(e.child.pid);
  const samples: [number, number][] = [[0, before]];
  await run(CALLS, async (n) => {
    samples.push([n, await rssMb(e.child.pid)]);
  });
  const after = await rssMb(e.child.pid);
  const mx = samples.reduce((a, [x]) => a + x, 0) / samples.length;
  const my = samples.reduce((a, [, y]) => a + y, 0) / samples.length;
  const slope =
    samples.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) /
    samples.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return { before, after, trend: slope * 1000 };
}

interface Figures {
  backend: string;
  netsMs: number;
  verifyP50: number;
  verifyP95: number;
  httpVerifyP50: number;
  imagesPerSecond: number;
  verifyPerSecond: number;
  rss?: { before: number; after: number; trend: number };
}

async function measure(backend: string, i: Inputs, sections: Set<string>): Promise<Figures> {
  const f: Figures = {
    backend,
    netsMs: NaN,
    verifyP50: NaN,
    verifyP95: NaN,
    httpVerifyP50: NaN,
    imagesPerSecond: NaN,
    verifyPerSecond: NaN,
  };
  if (sections.has('core')) {
    const one = await startEngine({ backend, workers: 1, onnxThreads: 1, cpus: '1' });
    f.backend = one.backend;
    f.netsMs = await netsPerImage(one, [i.selfie, i.document]);
    await one.stop();
  }
  const two = await startEngine({ backend, workers: 2 });
  f.backend = two.backend;
  if (sections.has('latency')) ({ p50: f.verifyP50, p95: f.verifyP95 } = await verifyLatency(two, i));
  if (sections.has('http')) f.httpVerifyP50 = await httpVerifyP50(two, i);
  if (sections.has('throughput')) {
    const images = [i.selfie, i.document];
    const represent = (n: number) =>
      call(method(two, 'Represent'), two.client, { image: images[n % 2], all_faces: false });
    await rate(two, represent, 2);
    f.imagesPerSecond = await rate(two, represent, SECONDS);
    f.verifyPerSecond = await rate(
      two,
      () => call(method(two, 'Verify'), two.client, { img1: i.document, img2: i.selfie }),
      SECONDS,
    );
  }
  if (sections.has('memory')) f.rss = await memory(two, i);
  await two.stop();
  return f;
}

function report(all: Figures[]): void {
  const base = all[0] as Figures;
  const cell = (v: number, digits: number, ratio: number): string =>
    `${fmt(v, digits)}${all.length > 1 && Number.isFinite(ratio) ? ` (${fmt(ratio, 2)}×)` : ''}`.padEnd(20);
  console.log(`\n## Backends (ratios against ${base.backend})`);
  console.log(
    `${'backend'.padEnd(11)}${'det+lm+desc ms/img'.padEnd(20)}${'Verify p50 ms'.padEnd(20)}${'Verify p95 ms'.padEnd(20)}${'HTTP Verify p50'.padEnd(20)}${'images/s (2 cores)'.padEnd(20)}${'Verify/s (2 cores)'.padEnd(20)}RSS over ${CALLS} calls`,
  );
  for (const f of all) {
    const rss = f.rss
      ? `${fmt(f.rss.before, 0)} → ${fmt(f.rss.after, 0)} MB, trend ${fmt(f.rss.trend, 1)} MB/1,000 calls`
      : '—';
    console.log(
      f.backend.padEnd(11) +
        cell(f.netsMs, 1, base.netsMs / f.netsMs) +
        cell(f.verifyP50, 0, base.verifyP50 / f.verifyP50) +
        cell(f.verifyP95, 0, base.verifyP95 / f.verifyP95) +
        cell(f.httpVerifyP50, 0, base.httpVerifyP50 / f.httpVerifyP50) +
        cell(f.imagesPerSecond, 2, f.imagesPerSecond / base.imagesPerSecond) +
        cell(f.verifyPerSecond, 2, f.verifyPerSecond / base.verifyPerSecond) +
        rss,
    );
  }
  console.log(
    '(ratios: how many times faster / more than the first backend; det+lm+desc on one pinned core)',
  );
}

async function main(): Promise<void> {
  // Arguments: backends (default wasm onnx) and sections (default all): core latency http throughput memory.
  const args = process.argv.slice(2);
  const SECTIONS = ['core', 'latency', 'http', 'throughput', 'memory'];
  const backends = args.filter((a) => !SECTIONS.includes(a));
  const wanted = args.filter((a) => SECTIONS.includes(a));
  const sections = new Set(wanted.length > 0 ? wanted : SECTIONS);
  const i = await inputs();
  console.log('# DeepFace engine: backends compared');
  const all: Figures[] = [];
  for (const backend of backends.length > 0 ? backends : ['wasm', 'onnx']) {
    const f = await measure(backend, i, sections);
    console.log(JSON.stringify(f));
    all.push(f);
  }
  report(all);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
