// bench:backends' memory figures: RSS of an engine process (/proc) while it serves a mix of every RPC, 4 calls in
// flight (Verify and Compare on the document and the selfie, Represent on the selfie, Detect and Analyze on the
// group photo: the group photo's several faces size onnxruntime's arenas for batches, not only single faces).
import { call, rssMb, type Engine, type Inputs, type Unary } from './engine-process';

type Op = 'Verify' | 'Represent' | 'Detect' | 'Compare' | 'Analyze';

function mix(i: Inputs): [Op, object][] {
  return [
    ['Verify', { img1: i.document, img2: i.selfie }],
    ['Represent', { image: i.selfie, all_faces: false }],
    ['Detect', { image: i.scene, skip_landmarks: false }],
    ['Compare', { img1: i.selfie, img2: i.document }],
    ['Analyze', { image: i.scene, actions: ['AGE', 'GENDER', 'RACE', 'EMOTION'] }],
  ];
}

/** `calls` mixed calls, 4 in flight; `onDone(n)` after the n-th answer (awaited before that lane goes on). */
export async function mixedCalls(
  e: Engine,
  i: Inputs,
  calls: number,
  onDone?: (n: number) => Promise<void>,
): Promise<void> {
  const requests = mix(i);
  let started = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (started < calls) {
        const [op, req] = requests[started++ % requests.length] as [Op, object];
        await call(e.client[op].bind(e.client) as Unary<object, object>, e.client, req);
        if (onDone) await onDone(++done);
      }
    }),
  );
}

/** RSS (MB) after `warmup` mixed calls. */
export async function warmedRss(e: Engine, i: Inputs, warmup: number): Promise<number> {
  await mixedCalls(e, i, warmup);
  return rssMb(e.child.pid);
}

export interface RssRun {
  calls: number;
  /** RSS (MB) after the warm-up calls, then after 10 %, 50 % and 100 % of the calls. */
  start: number;
  at10: number;
  at50: number;
  at100: number;
  /** at100 − at10: growth once the arenas have met the mix (MB). */
  growth: number;
  /** Least-squares slope over every sample, MB per 1,000 calls. */
  trend: number;
}

export async function rssRun(e: Engine, i: Inputs, warmup: number, calls: number): Promise<RssRun> {
  const start = await warmedRss(e, i, warmup);
  const mark = (p: number): number => Math.max(1, Math.round((calls * p) / 100));
  const marks = new Set([10, 50, 100].map(mark));
  const step = Math.max(1, Math.floor(calls / 60));
  const samples: [number, number][] = [[0, start]];
  await mixedCalls(e, i, calls, async (n) => {
    if (n % step === 0 || marks.has(n)) samples.push([n, await rssMb(e.child.pid)]);
  });
  const at = (p: number): number => samples.find(([n]) => n === mark(p))?.[1] ?? NaN;
  const mx = samples.reduce((a, [x]) => a + x, 0) / samples.length;
  const my = samples.reduce((a, [, y]) => a + y, 0) / samples.length;
  const slope =
    samples.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) /
    samples.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const [at10, at50, at100] = [at(10), at(50), at(100)];
  return { calls, start, at10, at50, at100, growth: at100 - at10, trend: slope * 1000 };
}
