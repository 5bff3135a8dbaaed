// Identity pairs: every pair of the fixture identities' photos, through the engine's Represent path.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { calibration, type Engine } from '@deepface/engine';
import { people } from '@deepface/fixtures';
import { eer, fmt, pct, percentile, ratesAt, rocAuc } from './metrics';

export interface PairDistances {
  same: number[];
  diff: number[];
}

async function descriptor(engine: Engine, file: string): Promise<Float32Array | undefined> {
  const out = await engine.run({
    op: 'represent',
    image: new Uint8Array(await fs.readFile(file)),
    allFaces: false,
  });
  if (!out.ok) return undefined;
  const emb = out.value.faces?.[0]?.embedding;
  return emb ? Float32Array.from(emb.map(Number)) : undefined;
}

const distance = (a: Float32Array, b: Float32Array): number =>
  Math.hypot(...a.map((v, i) => v - (b[i] ?? 0)));

export async function evalPairs(engine: Engine): Promise<PairDistances> {
  const items: { person: string; file: string; d: Float32Array }[] = [];
  const missing: string[] = [];
  for (const p of people()) {
    for (const file of p.paths) {
      const d = await descriptor(engine, file);
      if (d) items.push({ person: p.name, file, d });
      else missing.push(path.basename(file));
    }
  }
  const same: number[] = [];
  const diff: number[] = [];
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i];
      const b = items[j];
      if (a && b) (a.person === b.person ? same : diff).push(distance(a.d, b.d));
    }
  const t = calibration.THRESHOLD;
  const at = ratesAt(same, diff, t);
  const e = eer(same, diff);
  console.log(
    `\n## Identity pairs (${items.length} photos, ${same.length} same-person and ${diff.length} different-person pairs)`,
  );
  if (missing.length) console.log(`no face found in: ${missing.join(', ')}`);
  console.log(
    `same-person distance   p50 ${fmt(percentile(same, 50))}  p95 ${fmt(percentile(same, 95))}  max ${fmt(Math.max(...same))}`,
  );
  console.log(
    `diff-person distance   min ${fmt(Math.min(...diff))}  p1 ${fmt(percentile(diff, 1))}  p5 ${fmt(percentile(diff, 5))}  p50 ${fmt(percentile(diff, 50))}  p99 ${fmt(percentile(diff, 99))}`,
  );
  console.log(`ROC AUC ${fmt(rocAuc(same, diff), 5)}   EER ${pct(e.eer)} at ${fmt(e.threshold)}`);
  console.log(`at THRESHOLD ${t}: accuracy ${pct(at.accuracy)}  FAR ${pct(at.far)}  FRR ${pct(at.frr)}`);
  return { same, diff };
}
