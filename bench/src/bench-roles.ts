// `pnpm --filter @deepface/bench bench:roles`: what Verify's document evidence (README "How Verify tells a document
// from a selfie") costs per image, against the rest of the image's work. Runs the engine in-process (the backend
// ENGINE_BACKEND selects, auto) on the real-photo development set when it is there and on synthetic documents,
// selfies and hard selfies; each image is examined BENCH_ROLE_RUNS times (3) after one warm-up, and the stage times
// are the median run's. The "classify" stage is the layout analysis (text lines, fields, MRZ, card edges) plus the
// person check (selfie segmentation) on the images whose only evidence would be their fields.
// Figures only; other CPU-heavy work on the machine inflates them.
import fs from 'node:fs';
import { createEngine, type Engine } from '@deepface/engine';
import { documentSet, hardSelfieSet, realWorldSet, selfieSet } from '@deepface/fixtures';
import { fmt, percentile } from './metrics';

const RUNS = Number(process.env.BENCH_ROLE_RUNS ?? 3);

interface Measure {
  classify: number;
  total: number;
  personCheck: boolean;
}

async function examine(engine: Engine, bytes: Uint8Array): Promise<Measure | undefined> {
  const runs: Measure[] = [];
  for (let k = 0; k <= RUNS; k++) {
    const out = await engine.run({ op: 'evidence', image: bytes, ref: 'IMG1', roles: true });
    if (!out.ok) throw new Error(out.error.reason);
    const e = out.value;
    if (!e.roles) return undefined; // no face: no role evidence to time
    if (k === 0) continue;
    runs.push({
      classify: Number(e.timings.classify_ms ?? 0),
      total: Number(e.timings.total_ms ?? 0),
      personCheck: e.roles.features.personOutOfFrame !== undefined,
    });
  }
  runs.sort((a, b) => a.total - b.total);
  return runs[Math.floor(runs.length / 2)];
}

function report(name: string, ms: Measure[]): void {
  if (ms.length === 0) return;
  const c = ms.map((m) => m.classify);
  const t = ms.map((m) => m.total);
  const checked = ms.filter((m) => m.personCheck);
  const share = c.reduce((s, v) => s + v, 0) / t.reduce((s, v) => s + v, 0);
  console.log(
    `${name.padEnd(28)} n=${String(ms.length).padStart(3)}  classify p50 ${fmt(percentile(c, 50), 1).padStart(5)} ms` +
      `  p95 ${fmt(percentile(c, 95), 1).padStart(5)} ms  (${(share * 100).toFixed(0)} % of the image's work, ` +
      `whole image p50 ${fmt(percentile(t, 50), 0)} ms)  person check on ${checked.length}` +
      (checked.length
        ? ` (classify p50 ${fmt(
            percentile(
              checked.map((m) => m.classify),
              50,
            ),
            1,
          )} ms)`
        : ''),
  );
}

async function main(): Promise<void> {
  const engine = await createEngine({
    backend: (process.env.ENGINE_BACKEND as 'auto' | undefined) ?? 'auto',
    maxImagePixels: 40e6,
    workMaxSide: 1600,
    logLevel: 'warn',
  });
  console.log(`# Role evidence cost per image — backend ${engine.backend.name}, median of ${RUNS} runs`);
  const sets: [string, Uint8Array[]][] = [];
  const real = realWorldSet();
  if ('missing' in real) console.log(`real-photo set skipped — ${real.missing}`);
  else
    for (const category of ['docs', 'people'] as const)
      sets.push([
        `real ${category}`,
        real.images
          .filter((i) => i.category === category)
          .map((i) => new Uint8Array(fs.readFileSync(i.path))),
      ]);
  const bytes = (items: { buffer: Buffer }[]) => items.map((i) => new Uint8Array(i.buffer));
  sets.push(['synthetic documents', bytes(await documentSet(30, 7))]);
  sets.push(['synthetic selfies', bytes(await selfieSet(20, 8))]);
  sets.push(['hard selfies (text, crowds)', bytes(await hardSelfieSet(20, 308))]);
  for (const [name, images] of sets) {
    const ms: Measure[] = [];
    for (const image of images) {
      const m = await examine(engine, image);
      if (m) ms.push(m);
    }
    report(name, ms);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
