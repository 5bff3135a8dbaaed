// bench:backends' side-by-side: one row per figure, one column per backend with its ratio to the first backend,
// then the plain face-api baseline against each backend.
import { analyzePerFace, rssPerWorker, scaling, type Figures } from './backends-figures';
import { fmt } from './metrics';
import type { PlainFigures } from './plain-face-api';

/** A figure, its digits and unit, and whether more is better (the ratio is then this ÷ first, else first ÷ this). */
interface Line {
  label: string;
  value: (f: Figures) => number;
  digits: number;
  unit?: string;
  higherIsBetter?: boolean;
  /** No ratio (memory: neither faster nor slower). */
  plain?: boolean;
}

const LINES: Line[] = [
  { label: 'det+lm+desc per image, 1 pinned core, 1 thread', value: (f) => f.netsMs, digits: 1, unit: 'ms' },
  { label: 'Verify p50, gRPC, one at a time, 2 workers', value: (f) => f.verifyP50, digits: 0, unit: 'ms' },
  { label: 'Verify p95, same', value: (f) => f.verifyP95, digits: 0, unit: 'ms' },
  { label: 'Verify p50, HTTP through the gateway', value: (f) => f.httpVerifyP50, digits: 0, unit: 'ms' },
  { label: '/v1/lookalike p50, HTTP', value: (f) => f.httpLookalikeP50, digits: 0, unit: 'ms' },
  {
    label: 'Represent images/s, 2 workers, 4 in flight',
    value: (f) => f.imagesPerSecond,
    digits: 2,
    higherIsBetter: true,
  },
  {
    label: 'Verify/s, gRPC, 2 workers, 4 in flight',
    value: (f) => f.verifyPerSecond,
    digits: 2,
    higherIsBetter: true,
  },
  {
    label: 'Verify/s, HTTP through the gateway, 4 in flight',
    value: (f) => f.httpVerifyPerSecond,
    digits: 2,
    higherIsBetter: true,
  },
  {
    label: 'Verify/s, gRPC, 1 worker pinned to 1 CPU',
    value: (f) => f.pinnedVerifyPerSecond,
    digits: 2,
    higherIsBetter: true,
  },
  { label: '  engine CPU ms per Verify, 2 workers', value: (f) => f.verifyCpuMs, digits: 0, unit: 'ms' },
  {
    label: '  engine CPU ms per Verify, 1 pinned worker',
    value: (f) => f.pinnedVerifyCpuMs,
    digits: 0,
    unit: 'ms',
  },
  { label: 'scaling: 2 workers ÷ 1 pinned worker', value: scaling, digits: 2, unit: '×', plain: true },
  { label: 'Analyze p50, selfie (1 face), gRPC', value: (f) => f.analyzeSelfieMs, digits: 0, unit: 'ms' },
  { label: 'Analyze p50, group photo, gRPC', value: (f) => f.analyzeGroupMs, digits: 0, unit: 'ms' },
  { label: '  faces in the group photo', value: (f) => f.analyzeGroupFaces, digits: 0, plain: true },
  { label: '  per face (whole call ÷ faces)', value: analyzePerFace, digits: 1, unit: 'ms' },
  { label: '  attributes stage per face', value: (f) => f.analyzeAttributesPerFace, digits: 1, unit: 'ms' },
  {
    label: 'RSS 1-worker pinned engine, after warm-up',
    value: (f) => f.oneWorkerRss,
    digits: 0,
    unit: 'MB',
    plain: true,
  },
  {
    label: 'RSS 2-worker engine, after warm-up',
    value: (f) => f.rss?.start ?? NaN,
    digits: 0,
    unit: 'MB',
    plain: true,
  },
  { label: '  at 10 % of the calls', value: (f) => f.rss?.at10 ?? NaN, digits: 0, unit: 'MB', plain: true },
  { label: '  at 50 %', value: (f) => f.rss?.at50 ?? NaN, digits: 0, unit: 'MB', plain: true },
  { label: '  at 100 %', value: (f) => f.rss?.at100 ?? NaN, digits: 0, unit: 'MB', plain: true },
  { label: '  growth 10 % → 100 %', value: (f) => f.rss?.growth ?? NaN, digits: 0, unit: 'MB', plain: true },
  { label: '  trend per 1,000 calls', value: (f) => f.rss?.trend ?? NaN, digits: 1, unit: 'MB', plain: true },
  { label: '  mixed calls in the run', value: (f) => f.rss?.calls ?? NaN, digits: 0, plain: true },
  {
    label: 'RSS per worker (2-worker end − 1-worker)',
    value: rssPerWorker,
    digits: 0,
    unit: 'MB',
    plain: true,
  },
];

const COLUMN = 22;

export function printSideBySide(all: Figures[], plain: PlainFigures | undefined): void {
  const base = all[0];
  if (!base) return;
  const width = Math.max(...LINES.map((l) => l.label.length)) + 2;
  console.log(
    `\n## Backends side by side${all.length > 1 ? ` (ratios: times faster or more than ${base.backend})` : ''}`,
  );
  console.log('figure'.padEnd(width) + all.map((f) => f.backend.padEnd(COLUMN)).join(''));
  for (const line of LINES) {
    const cells = all.map((f) => {
      const v = line.value(f);
      if (!Number.isFinite(v)) return '—'.padEnd(COLUMN);
      const b = line.value(base);
      const ratio = line.higherIsBetter ? v / b : b / v;
      const shown = f !== base && !line.plain && Number.isFinite(ratio) ? ` (${fmt(ratio, 2)}×)` : '';
      const unit = !line.unit ? '' : line.unit === '×' ? '×' : ` ${line.unit}`;
      return `${fmt(v, line.digits)}${unit}${shown}`.padEnd(COLUMN);
    });
    console.log(line.label.padEnd(width) + cells.join(''));
  }
  if (!plain) return;
  console.log(
    `\n## Plain face-api baseline: @vladmandic/face-api on tfjs-wasm (SIMD ${plain.simd ? 'on' : 'off'}, one thread), ` +
      'SSD + 68 landmarks + descriptor, in process',
  );
  console.log(
    `per pair (document + selfie, decoding included): p50 ${fmt(plain.p50, 0)} ms, p95 ${fmt(plain.p95, 0)} ms ` +
      `over ${plain.pairs} pairs (decoding ${fmt(plain.decodeP50, 0)} ms of it); faces found ` +
      `${plain.faces.map((x) => (x ? 'yes' : 'no')).join('/')}, distance ${fmt(plain.distance, 3)}`,
  );
  for (const f of all) {
    const ratio = (ours: number) => `${fmt(ours, 0)} ms → ${fmt(plain.p50 / ours, 1)}× faster`;
    console.log(
      `${f.backend.padEnd(11)}Verify p50 gRPC ${ratio(f.verifyP50)}; HTTP ${ratio(f.httpVerifyP50)}; ` +
        `/v1/lookalike HTTP ${ratio(f.httpLookalikeP50)}`,
    );
  }
}
