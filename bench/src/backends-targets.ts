// Issue 15's targets for the onnx backend, judged on one bench:backends run: each target, the value measured and
// whether it is met. A figure whose section did not run (or ran too short to judge) is "not measured", never met.
import { analyzePerFace, rssPerWorker, scaling, type Figures } from './backends-figures';
import { fmt } from './metrics';
import type { PlainFigures } from './plain-face-api';

/** RSS counts as flat when it grows by at most this share between 10 % and 100 % of the calls. */
export const FLAT_GROWTH = 0.05;
const RSS_TARGET_CALLS = 3000;

interface Row {
  target: string;
  measured: string;
  /** undefined: not measured (or informational). */
  met: boolean | undefined;
  /** The verdict when `met` is undefined. */
  otherwise?: string;
}

const unit = (v: number, digits: number, suffix: string): string =>
  Number.isFinite(v) ? `${fmt(v, digits)}${suffix}` : 'n/a';
const atLeast = (v: number, goal: number): boolean | undefined =>
  Number.isFinite(v) ? v >= goal : undefined;
const atMost = (v: number, goal: number): boolean | undefined => (Number.isFinite(v) ? v <= goal : undefined);

function rows(f: Figures | undefined, plain: PlainFigures | undefined): Row[] {
  const v = (get: (f: Figures) => number): number => (f ? get(f) : NaN);
  const grpcRate = v((x) => x.verifyPerSecond);
  const httpRate = v((x) => x.httpVerifyPerSecond);
  const httpP50 = v((x) => x.httpVerifyP50);
  const lookalikeP50 = v((x) => x.httpLookalikeP50);
  const perFace = v(analyzePerFace);
  const perWorker = v(rssPerWorker);
  const twoOverOne = v(scaling);
  const rss = f?.rss;
  const growth = rss ? rss.growth / rss.at10 : NaN;
  const longEnough = (rss?.calls ?? 0) >= RSS_TARGET_CALLS;
  const baseline = plain?.p50 ?? NaN;
  return [
    {
      target: 'Verify/s through gRPC, 2 workers, 4 in flight ≥ 25',
      measured: unit(grpcRate, 2, ''),
      met: atLeast(grpcRate, 25),
    },
    {
      target: 'Verify/s through the gateway, 4 in flight ≥ 22',
      measured: unit(httpRate, 2, ''),
      met: atLeast(httpRate, 22),
    },
    {
      target: 'Verify p50 over HTTP, one call at a time ≤ 70 ms',
      measured: unit(httpP50, 0, ' ms'),
      met: atMost(httpP50, 70),
    },
    {
      target: 'Analyze per face ≤ 40 ms (group photo, whole call ÷ faces)',
      measured: unit(perFace, 1, ' ms'),
      met: atMost(perFace, 40),
    },
    {
      target: 'RSS per worker ≤ 300 MB (2-worker engine at the end − 1-worker engine)',
      measured: unit(perWorker, 0, ' MB'),
      met: atMost(perWorker, 300),
    },
    {
      target: `RSS flat over ${RSS_TARGET_CALLS.toLocaleString('en')} calls (growth 10 %→100 % ≤ ${FLAT_GROWTH * 100} %)`,
      measured: rss
        ? `${fmt(rss.growth, 0)} MB (${fmt(growth * 100, 1)} %) over ${rss.calls.toLocaleString('en')} calls`
        : 'n/a',
      met: longEnough ? atMost(growth, FLAT_GROWTH) : undefined,
      otherwise: rss && !longEnough ? 'not measured (short run)' : undefined,
    },
    {
      target: 'two workers ≥ 1.8× one pinned worker (Verify/s)',
      measured: unit(twoOverOne, 2, '×'),
      met: atLeast(twoOverOne, 1.8),
    },
    {
      target: 'plain face-api per pair ÷ our Verify p50 over HTTP (no target)',
      measured: unit(baseline / httpP50, 1, '×'),
      met: undefined,
      otherwise: '—',
    },
    {
      target: 'plain face-api per pair ÷ our /v1/lookalike p50 (no target)',
      measured: unit(baseline / lookalikeP50, 1, '×'),
      met: undefined,
      otherwise: '—',
    },
  ];
}

export function printTargets(all: Figures[], plain: PlainFigures | undefined): void {
  const onnx = all.find((f) => f.backend === 'onnx');
  console.log(`\n## Issue 15's targets (onnx${onnx ? '' : ': not in this run'})`);
  // Every figure here moves with this machine's speed, which moves by tens of per cent from hour to hour: the
  // baseline (the same code in every run) says how fast it was, and the engine's CPU per Verify what the
  // throughput targets ask of two cores.
  if (plain)
    console.log(
      `machine speed: the plain face-api baseline took ${fmt(plain.p50, 0)} ms per pair in this run`,
    );
  if (onnx && Number.isFinite(onnx.verifyCpuMs))
    console.log(
      `engine CPU per Verify, 2 workers, 4 in flight: ${fmt(onnx.verifyCpuMs, 0)} ms (on 2 cores, 25 Verify/s leaves ≤ 80 ms per Verify for everything on the machine, 22/s ≤ 91 ms with the gateway and database)`,
    );
  const list = rows(onnx, plain);
  const width = Math.max(...list.map((r) => r.target.length)) + 2;
  console.log(`${'target'.padEnd(width)}${'measured'.padEnd(34)}met`);
  for (const r of list) {
    const verdict = r.met === undefined ? (r.otherwise ?? 'not measured') : r.met ? 'met' : 'NOT MET';
    console.log(`${r.target.padEnd(width)}${r.measured.padEnd(34)}${verdict}`);
  }
}
