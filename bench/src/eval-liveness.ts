// `pnpm eval liveness`: the presentation-attack networks (human-models antispoof and liveness) on genuine photos
// of people and on attacks, with ROC AUC and ISO/IEC 30107-3 rates (APCER: attacks taken for live; BPCER: genuine
// photos taken for attacks) at the decision threshold in use, per attack kind.
//
// Genuine: the real photos of people in ../shared/realworld-dev (reported apart from the fixture photos, some of
// which are greyscale crops). Attacks: the portraits printed on the real specimen documents, and recaptures made
// here from the genuine photos, honestly and without tuning to the networks: a screen replay (the photo shown on a
// pixel grid that beats with the camera's sampling into moiré, a glare spot, a slight perspective and a blue cast)
// and a print (CMYK-like halftone dots on tinted paper, photographed slightly soft). The threshold is the
// network's own 0.5, never fitted to these files.
import { LIVENESS_THRESHOLD, type Engine, type PresentationScores } from '@deepface/engine';
import {
  makeDocument,
  makeSelfie,
  people,
  printRecapture,
  realWorldSet,
  screenRecapture,
} from '@deepface/fixtures';
import { fmt, percentile, pct, rocAuc } from './metrics';
import * as fs from 'node:fs';

type Signal = 'antispoof' | 'liveness' | 'mean';
const SIGNALS: readonly Signal[] = ['antispoof', 'liveness', 'mean'];
const value = (s: PresentationScores, signal: Signal): number => {
  const antispoof = s.antispoof ?? NaN;
  return signal === 'mean' ? (antispoof + s.liveness) / 2 : signal === 'antispoof' ? antispoof : s.liveness;
};

interface Sample {
  name: string;
  scores: PresentationScores;
}

function rates(genuine: Sample[], attacks: Sample[], signal: Signal, t: number) {
  const g = genuine.map((s) => value(s.scores, signal));
  const a = attacks.map((s) => value(s.scores, signal));
  return {
    // Genuine should score high: rocAuc counts pairs where the first list is lower, so pass attacks first.
    auc: rocAuc(a, g),
    apcer: a.filter((v) => v >= t).length / Math.max(1, a.length),
    bpcer: g.filter((v) => v < t).length / Math.max(1, g.length),
  };
}

async function score(
  engine: Engine,
  name: string,
  bytes: Buffer,
  into: Sample[],
  times: number[],
  networks: 'both' | 'liveness' = 'both',
) {
  try {
    const p = await engine.presentation(new Uint8Array(bytes), networks);
    if (p.scores) {
      into.push({ name, scores: p.scores });
      times.push(p.ms);
    }
  } catch {
    // An image the engine refuses (no face, undecodable) has no score: counted as skipped below.
  }
}

/** What liveness adds to a whole Verify: the same pair with liveness off and on (report), interleaved. */
async function verifyCost(engine: Engine, rounds = 15): Promise<void> {
  const [doc, me] = await Promise.all([
    makeDocument({
      seed: 1,
      person: 'leonard',
      photoIndex: 1,
      layout: 'id1-left-mrz',
      capture: 'scan',
      portrait: 'colour',
    }),
    makeSelfie({
      seed: 3,
      person: 'leonard',
      photoIndex: 3,
      background: 'wall',
      faceFraction: 0.45,
      rotation: 2,
    }),
  ]);
  const img1 = new Uint8Array(doc.buffer);
  const img2 = new Uint8Array(me.buffer);
  const total = { off: [] as number[], report: [] as number[] };
  const stage: number[] = [];
  for (let i = 0; i < rounds + 2; i++)
    for (const liveness of ['off', 'report'] as const) {
      const out = await engine.run({ op: 'verify', img1, img2, liveness });
      if (!out.ok || i < 2) continue; // two warm-up rounds
      total[liveness].push(Number(out.value.timings?.total_ms ?? NaN));
      if (liveness === 'report') stage.push(Number(out.value.timings?.liveness_ms ?? NaN));
    }
  const p50 = (v: number[]) => percentile(v, 50);
  console.log(
    `added cost per Verify (${engine.backend.name}, ${rounds} interleaved runs of one pair): liveness_ms p50 ` +
      `${fmt(p50(stage), 1)} ms; Verify total p50 ${fmt(p50(total.off), 1)} ms off vs ${fmt(p50(total.report), 1)} ms report`,
  );
}

export async function evalLiveness(engine: Engine): Promise<void> {
  console.log('\n## Liveness (presentation-attack signals: human-models antispoof and liveness)');
  await verifyCost(engine);
  const set = realWorldSet();
  if ('missing' in set) {
    console.log(`skipped: ${set.missing}`);
    return;
  }
  const times: number[] = [];
  const genuine: Sample[] = [];
  const fixtures: Sample[] = [];
  const docs: Sample[] = [];
  const screen: Sample[] = [];
  const print: Sample[] = [];
  const photos = set.images.filter((i) => i.category === 'people');
  // What Verify adds: the liveness network alone on the selfie's face (crop included), timed apart.
  const verifyTimes: number[] = [];
  for (const img of photos) {
    const bytes = fs.readFileSync(img.path);
    await score(engine, img.file, bytes, genuine, times);
    await score(engine, img.file, bytes, [], verifyTimes, 'liveness');
    await score(engine, img.file, await screenRecapture(bytes), screen, times);
    await score(engine, img.file, await printRecapture(bytes), print, times);
  }
  for (const img of set.images.filter((i) => i.category === 'docs' && !i.portraitObscured))
    await score(engine, img.file, fs.readFileSync(img.path), docs, times);
  for (const person of people())
    for (const [i, p] of person.paths.entries())
      await score(engine, person.files[i] ?? p, fs.readFileSync(p), fixtures, times);

  console.log(
    `data: genuine = ${genuine.length}/${photos.length} real photos of people (realworld-dev/people); ` +
      `fixture photos ${fixtures.length}; attacks = ${docs.length} document portraits (realworld-dev/docs), ` +
      `${screen.length} screen recaptures and ${print.length} print recaptures of the genuine photos`,
  );
  const attacks: [string, Sample[]][] = [
    ['document portrait', docs],
    ['screen recapture', screen],
    ['print recapture', print],
    ['all attacks', [...docs, ...screen, ...print]],
  ];
  for (const signal of SIGNALS) {
    console.log(`\n${signal} (threshold ${LIVENESS_THRESHOLD}, the network's own):`);
    const g = genuine.map((s) => value(s.scores, signal));
    console.log(
      `  genuine scores p10 ${fmt(percentile(g, 10))} p50 ${fmt(percentile(g, 50))}; ` +
        `BPCER real photos ${pct(rates(genuine, [], signal, LIVENESS_THRESHOLD).bpcer)}, ` +
        `fixture photos ${pct(rates(fixtures, [], signal, LIVENESS_THRESHOLD).bpcer)}`,
    );
    // For reference only (not used: fitted to 27 photos): the rates at the cut refusing 10 % of genuine photos.
    const p10 = percentile(g, 10);
    for (const [kind, list] of attacks) {
      const r = rates(genuine, list, signal, LIVENESS_THRESHOLD);
      const ref = rates(genuine, list, signal, p10);
      const a = list.map((s) => value(s.scores, signal));
      console.log(
        `  ${kind.padEnd(18)} ROC AUC ${fmt(r.auc)}  APCER ${pct(r.apcer)}  (attack scores p50 ${fmt(percentile(a, 50))}; ` +
          `at the genuine p10 cut ${fmt(p10)}: APCER ${pct(ref.apcer)})`,
      );
    }
  }
  console.log(
    `\ncost per face, crops included (${engine.backend.name}): liveness alone (what Verify runs) p50 ` +
      `${fmt(percentile(verifyTimes, 50), 1)} ms p90 ${fmt(percentile(verifyTimes, 90), 1)} ms; both networks p50 ` +
      `${fmt(percentile(times, 50), 1)} ms p90 ${fmt(percentile(times, 90), 1)} ms`,
  );
  console.log(
    `chosen: liveness alone at ${LIVENESS_THRESHOLD} (README "Liveness"): the only signal ranking attacks below ` +
      'genuine photos; at its own cut a weak one, letting most attacks through',
  );
}
