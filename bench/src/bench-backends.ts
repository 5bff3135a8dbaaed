// `pnpm --filter @deepface/bench bench:backends [wasm onnx ...] [sections ...]`: the engine's backends compared in one
// run on this machine, against real engine processes (built dist/, started as the README says) over gRPC and over
// HTTP through the real gateway, beside the plain face-api baseline, then issue 15's targets (onnx) met or not.
// Inputs: the two 1–2 MP photos of a Verify (an ID card photographed on a desk, 1600×1200; a 1080×1440 selfie) and
// a 1920-px group photo (Analyze, and the memory run's mix). Sections (default all):
// - baseline: plain @vladmandic/face-api on tfjs-wasm in a thread of this process (SSD + 68 landmarks + descriptor on
//   the document and the selfie, decoding included), per pair, one pair at a time; its ratio to our Verify and
//   /v1/lookalike p50 over HTTP;
// - core: detection + landmarks + descriptor per image, 1 worker, 1 onnxruntime thread, the whole engine process
//   pinned to one CPU with taskset (from Represent's stage timings on the selfie and the document);
// - scaling: Verify/s, 4 in flight, on that pinned 1-worker engine, against the 2-worker engine on both CPUs, with
//   each engine's CPU ms per Verify meanwhile, in alternating windows (3 of each, BENCH_SECONDS per engine in all):
//   this machine's speed moves by tens of per cent within minutes, and alternating makes both engines meet it alike;
// - latency: Verify over gRPC one call at a time, 2 workers (the two images then run side by side);
// - analyze: Analyze (all four actions) over gRPC one call at a time, 2 workers: the selfie, and the group photo
//   whose p50 ÷ its faces is the per-face figure;
// - http: through a real gateway (its own database and Redis prefix, as bench:load; needs the gateway built):
//   POST /v1/verify and /v1/lookalike p50 one call at a time, and /v1/verify per second with 4 in flight;
// - throughput: Represent images/s and Verify/s over gRPC, 4 in flight, 2 workers on both CPUs (Verify/s from the
//   scaling windows when that section runs too);
// - memory: RSS of the 1-worker pinned engine after the warm-up calls, then of the 2-worker engine over a mix of
//   every RPC (4 in flight) at 10 %, 50 % and 100 % of the calls (the 1-worker RSS gives the per-worker share).
// Run length (environment; the memory runs take most of the time; each backend's seconds print with its figures):
//   BENCH_SECONDS (15)          each 4-in-flight window (after 2 s of warm-up on each engine and on the gateway)
//   BENCH_LATENCY_CALLS (100)   calls per one-at-a-time Verify/Lookalike figure (after 3 warm-up calls)
//   BENCH_ANALYZE_CALLS (30)    Analyze calls per photo (after 3 warm-up calls)
//   BENCH_CORE_ROUNDS (30)      Represent rounds over both photos for the per-image figure (after 3 warm-up rounds)
//   BENCH_BASELINE_PAIRS (10)   plain face-api pairs (after 2 warm-up pairs)
//   BENCH_RSS_WARMUP (100)      mixed calls before the first RSS reading, on each engine
//   BENCH_RSS_CALLS (3000)      mixed calls of the onnx memory run (the targets' "flat over 3,000 calls")
//   BENCH_CALLS (1000)          mixed calls of the other backends' memory runs
// The gRPC client sends each request encoded once (engine-process.ts' preEncoded): the load generator's own CPU is
// taken from the engine's two cores, where callers on other machines cost it nothing.
// Figures only: nothing here fails a build. Other CPU-heavy work on the machine makes them noisy (the load average
// is printed at the start and the end).
import * as os from 'node:os';
import sharp from 'sharp';
import { noFigures, type Figures } from './backends-figures';
import { gatewayFigures } from './backends-http';
import { rssRun, warmedRss } from './backends-memory';
import { printTargets } from './backends-targets';
import { inputs, preEncoded, startEngine, type Engine, type Inputs } from './engine-process';
import { fmt, percentile } from './metrics';
import { plainFaceApi, type PlainFigures } from './plain-face-api';
import { printSideBySide } from './backends-report';
import { callsPerSecond, inFlightWindow } from './rate';
import { threadTicks } from './thread-cpu';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const SECONDS = env('BENCH_SECONDS', 15);
const LATENCY_CALLS = env('BENCH_LATENCY_CALLS', 100);
const ANALYZE_CALLS = env('BENCH_ANALYZE_CALLS', 30);
const CORE_ROUNDS = env('BENCH_CORE_ROUNDS', 30);
const BASELINE_PAIRS = env('BENCH_BASELINE_PAIRS', 10);
const RSS_WARMUP = env('BENCH_RSS_WARMUP', 100);
const RSS_CALLS = env('BENCH_RSS_CALLS', 3000);
const CALLS = env('BENCH_CALLS', 1000);

const SECTIONS = ['baseline', 'core', 'scaling', 'latency', 'analyze', 'http', 'throughput', 'memory'];

const SCALING_WINDOWS = 3;

const verify = (e: Engine, i: Inputs) => preEncoded(e.client, 'Verify', { img1: i.document, img2: i.selfie });
const represent = (e: Engine, image: Buffer) =>
  preEncoded(e.client, 'Represent', { image, all_faces: false });

interface Rate {
  perSecond: number;
  /** The engine's CPU ms per Verify (all its threads). */
  cpuMs: number;
}

/**
 * Verify/s with 4 in flight for SECONDS on each engine, in `windows` turns of SECONDS / `windows` each (engine 1,
 * engine 2, engine 1, …), with each engine's CPU meanwhile.
 */
async function verifyRates(engines: Engine[], i: Inputs, windows: number): Promise<Rate[]> {
  const ticks = (e: Engine) => [...threadTicks(e.child.pid ?? 0).values()].reduce((a, t) => a + t.ticks, 0);
  const sums = engines.map(() => ({ calls: 0, seconds: 0, ticks: 0 }));
  for (let k = 0; k < windows; k++)
    for (const [n, e] of engines.entries()) {
      const next = verify(e, i);
      const before = ticks(e);
      const w = await inFlightWindow(next, SECONDS / windows);
      const sum = sums[n]!;
      sum.calls += w.calls;
      sum.seconds += w.seconds;
      sum.ticks += ticks(e) - before;
    }
  // Ticks are 1/100 s.
  return sums.map((s) => ({ perSecond: s.calls / s.seconds, cpuMs: (s.ticks * 10) / s.calls }));
}

/** p50 of detect + landmarks + descriptor (ms) per image, from Represent's stage timings. */
async function netsPerImage(e: Engine, images: Buffer[]): Promise<number> {
  const sums: number[] = [];
  const calls = images.map((image) => represent(e, image));
  for (let k = 0; k < CORE_ROUNDS + 3; k++) {
    for (const next of calls) {
      const res = await next();
      const t = res.timings;
      if (k >= 3 && t) sums.push(Number(t.detect_ms) + Number(t.landmarks_ms) + Number(t.descriptor_ms));
    }
  }
  return percentile(sums, 50);
}

/** Wall ms of `calls` calls one at a time (after 3 warm-up calls), with each answer. */
async function oneAtATime<T>(
  calls: number,
  next: () => Promise<T>,
): Promise<{ wall: number[]; answers: T[] }> {
  const wall: number[] = [];
  const answers: T[] = [];
  for (let k = 0; k < calls + 3; k++) {
    const t0 = performance.now();
    const answer = await next();
    if (k < 3) continue;
    wall.push(performance.now() - t0);
    answers.push(answer);
  }
  return { wall, answers };
}

async function analyze(e: Engine, i: Inputs, f: Figures): Promise<void> {
  const actions = ['AGE', 'GENDER', 'RACE', 'EMOTION'] as const;
  const run = (image: Buffer) =>
    oneAtATime(ANALYZE_CALLS, preEncoded(e.client, 'Analyze', { image, actions: [...actions] }));
  f.analyzeSelfieMs = percentile((await run(i.selfie)).wall, 50);
  const group = await run(i.scene);
  f.analyzeGroupMs = percentile(group.wall, 50);
  f.analyzeGroupFaces = group.answers[0]?.faces?.length ?? NaN;
  f.analyzeAttributesPerFace = percentile(
    group.answers.map((a) => Number(a.timings?.attributes_ms) / (a.faces?.length ?? NaN)),
    50,
  );
}

async function measure(backend: string, i: Inputs, sections: Set<string>): Promise<Figures> {
  const f = noFigures(backend);
  const one = ['core', 'scaling', 'memory'].some((s) => sections.has(s))
    ? await startEngine({ backend, workers: 1, onnxThreads: 1, cpus: '1' })
    : undefined;
  if (one && sections.has('core')) f.netsMs = await netsPerImage(one, [i.selfie, i.document]);
  const two = await startEngine({ backend, workers: 2 });
  f.backend = two.backend;
  if (one && sections.has('scaling')) {
    for (const e of [one, two]) await callsPerSecond(verify(e, i), Math.min(2, SECONDS));
    const [pinned, both] = await verifyRates([one, two], i, SCALING_WINDOWS);
    ({ perSecond: f.pinnedVerifyPerSecond, cpuMs: f.pinnedVerifyCpuMs } = pinned!);
    ({ perSecond: f.verifyPerSecond, cpuMs: f.verifyCpuMs } = both!);
  }
  if (one) {
    // Read as before the windows alternated, after a stretch of calls without a pause: an engine left idle between
    // windows can give memory back (V8's memory reducer, glibc's trim); two runs so read 415 / 434 MB against
    // 476 / 471 MB without the pauses, which would have added that much to the per-worker figure.
    if (sections.has('memory')) {
      if (sections.has('scaling')) await callsPerSecond(verify(one, i), SECONDS / SCALING_WINDOWS);
      f.oneWorkerRss = await warmedRss(one, i, RSS_WARMUP);
    }
    await one.stop();
  }
  if (sections.has('latency')) {
    const { wall } = await oneAtATime(LATENCY_CALLS, verify(two, i));
    [f.verifyP50, f.verifyP95] = [percentile(wall, 50), percentile(wall, 95)];
  }
  if (sections.has('analyze')) await analyze(two, i, f);
  if (sections.has('http')) {
    const http = await gatewayFigures(two.port, i, { latencyCalls: LATENCY_CALLS, seconds: SECONDS });
    [f.httpVerifyP50, f.httpLookalikeP50, f.httpVerifyPerSecond] = [
      http.verifyP50,
      http.lookalikeP50,
      http.verifyPerSecond,
    ];
  }
  if (sections.has('throughput')) {
    const calls = [represent(two, i.selfie), represent(two, i.document)];
    const next = (n: number) => calls[n % 2]!();
    await callsPerSecond(next, Math.min(2, SECONDS));
    f.imagesPerSecond = await callsPerSecond(next, SECONDS);
    if (!sections.has('scaling'))
      [{ perSecond: f.verifyPerSecond, cpuMs: f.verifyCpuMs }] = (await verifyRates([two], i, 1)) as [Rate];
  }
  if (sections.has('memory'))
    f.rss = await rssRun(two, i, RSS_WARMUP, f.backend === 'onnx' ? RSS_CALLS : CALLS);
  await two.stop();
  return f;
}

async function describeInputs(i: Inputs): Promise<string> {
  const size = async (b: Buffer) => {
    const m = await sharp(b).metadata();
    return `${m.width}×${m.height} (${fmt(((m.width ?? 0) * (m.height ?? 0)) / 1e6, 2)} MP, ${fmt(b.length / 1024, 0)} KB)`;
  };
  return `document ${await size(i.document)}, selfie ${await size(i.selfie)}, group photo ${await size(i.scene)}`;
}

const load = (): string =>
  os
    .loadavg()
    .map((l) => fmt(l, 2))
    .join(' ');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const backends = args.filter((a) => !SECTIONS.includes(a));
  const wanted = args.filter((a) => SECTIONS.includes(a));
  const sections = new Set(wanted.length > 0 ? wanted : SECTIONS);
  const i = await inputs();
  const t0 = performance.now();
  console.log('# DeepFace engine: backends compared, with the plain face-api baseline and issue 15 targets');
  console.log(`inputs: ${await describeInputs(i)}`);
  console.log(
    `machine: ${os.availableParallelism()} × ${os.cpus()[0]?.model ?? '?'}; load average at the start ${load()}`,
  );
  console.log(
    `run: sections ${[...sections].join(' ')}; BENCH_SECONDS=${SECONDS} BENCH_LATENCY_CALLS=${LATENCY_CALLS} ` +
      `BENCH_ANALYZE_CALLS=${ANALYZE_CALLS} BENCH_CORE_ROUNDS=${CORE_ROUNDS} BENCH_BASELINE_PAIRS=${BASELINE_PAIRS} ` +
      `BENCH_RSS_WARMUP=${RSS_WARMUP} BENCH_RSS_CALLS=${RSS_CALLS} BENCH_CALLS=${CALLS}`,
  );
  let plain: PlainFigures | undefined;
  if (sections.has('baseline')) {
    plain = await plainFaceApi(i, BASELINE_PAIRS);
    console.log(JSON.stringify({ baseline: 'plain face-api', ...plain }));
  }
  const all: Figures[] = [];
  for (const backend of backends.length > 0 ? backends : ['wasm', 'onnx']) {
    const t = performance.now();
    const f = await measure(backend, i, sections);
    console.log(JSON.stringify({ ...f, seconds: Math.round((performance.now() - t) / 1000) }));
    all.push(f);
  }
  printSideBySide(all, plain);
  printTargets(all, plain);
  console.log(
    `\n(${fmt((performance.now() - t0) / 60_000, 1)} min; load average at the end ${load()}: ` +
      'a load average well above 0 at the start means other work shared the cores)',
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
