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
import sharp from 'sharp';
import { LIVENESS_THRESHOLD, type Engine, type PresentationScores } from '@deepface/engine';
import { people, realWorldSet } from '@deepface/fixtures';
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

async function rgb(bytes: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(bytes)
    .rotate()
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const clamp = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);

/**
 * A screen replay photographed by a camera: the photo on an RGB stripe grid of a pitch a little off the camera's
 * pixels (the two beat into moiré), a little less contrast, a blue cast, a soft glare spot, a slight perspective
 * (a shear and a rotation), then the camera's resampling and JPEG.
 */
export async function screenRecapture(bytes: Buffer): Promise<Buffer> {
  const { data, width, height } = await rgb(bytes);
  const out = Buffer.alloc(data.length);
  const pitch = 3.3; // screen pixels per camera pixel along x (an RGB triad ≈ 3.3 camera pixels)
  const angle = 0.05; // the screen slightly rotated against the sensor
  const [ca, sa] = [Math.cos(angle), Math.sin(angle)];
  const glare = { x: width * 0.68, y: height * 0.3, r: Math.max(width, height) * 0.22 };
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const u = (x * ca + y * sa) / pitch;
      const v = (-x * sa + y * ca) / pitch;
      // Each channel lit only across its third of the triad; rows separated by a dark gap.
      const row = 0.88 + 0.12 * Math.cos(2 * Math.PI * v);
      const d2 = ((x - glare.x) ** 2 + (y - glare.y) ** 2) / glare.r ** 2;
      const shine = 90 * Math.exp(-d2);
      for (let c = 0; c < 3; c++) {
        const stripe = 0.72 + 0.28 * Math.cos(2 * Math.PI * (u - c / 3));
        const i = (y * width + x) * 3 + c;
        const cast = [0.93, 0.98, 1.08][c] as number;
        const base = 20 + 0.85 * (data[i] as number) * cast; // a screen's black is not black
        out[i] = clamp(base * stripe * row + shine);
      }
    }
  return sharp(out, { raw: { width, height, channels: 3 } })
    .affine(
      [
        [1, 0.04],
        [0.02, 1],
      ],
      { background: { r: 20, g: 20, b: 24 } },
    )
    .rotate(3, { background: { r: 20, g: 20, b: 24 } })
    .resize({ width: Math.round(width * 0.8) })
    .blur(0.6)
    .jpeg({ quality: 85 })
    .toBuffer();
}

/**
 * A print photographed: CMY halftone screens at their classic angles (cells ~1/180 of the image), ink on a warm
 * paper tint with lower contrast, photographed a little soft and saved as JPEG.
 */
export async function printRecapture(bytes: Buffer): Promise<Buffer> {
  const { data, width, height } = await rgb(bytes);
  const out = Buffer.alloc(data.length);
  const cell = Math.max(3, Math.min(width, height) / 180);
  const angles = [15, 75, 0].map((d) => (d * Math.PI) / 180);
  const paper = [246, 240, 226];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) {
        const i = (y * width + x) * 3 + c;
        const a = angles[c] as number;
        const u = (x * Math.cos(a) + y * Math.sin(a)) / cell;
        const v = (-x * Math.sin(a) + y * Math.cos(a)) / cell;
        const du = u - Math.floor(u) - 0.5;
        const dv = v - Math.floor(v) - 0.5;
        const ink = 1 - (data[i] as number) / 255; // coverage of this channel's ink
        // A round dot covering `ink` of its cell: radius² = ink / π (cells of side 1).
        const inside = du * du + dv * dv < ink / Math.PI;
        const p = paper[c] as number;
        out[i] = clamp(inside ? p * 0.18 + 25 : p);
      }
  return sharp(out, { raw: { width, height, channels: 3 } })
    .blur(Math.max(0.6, cell / 3))
    .linear(0.9, 12)
    .resize({ width: Math.round(width * 0.8) })
    .jpeg({ quality: 85 })
    .toBuffer();
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

export async function evalLiveness(engine: Engine): Promise<void> {
  console.log('\n## Liveness (presentation-attack signals: human-models antispoof and liveness)');
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
    for (const [kind, list] of attacks) {
      const r = rates(genuine, list, signal, LIVENESS_THRESHOLD);
      const a = list.map((s) => value(s.scores, signal));
      console.log(
        `  ${kind.padEnd(18)} ROC AUC ${fmt(r.auc)}  APCER ${pct(r.apcer)}  (attack scores p50 ${fmt(percentile(a, 50))})`,
      );
    }
  }
  console.log(
    `\ncost per face, crops included (${engine.backend.name}): liveness alone (what Verify runs) p50 ` +
      `${fmt(percentile(verifyTimes, 50), 1)} ms p90 ${fmt(percentile(verifyTimes, 90), 1)} ms; both networks p50 ` +
      `${fmt(percentile(times, 50), 1)} ms p90 ${fmt(percentile(times, 90), 1)} ms`,
  );
  console.log(
    `chosen: liveness alone at ${LIVENESS_THRESHOLD} (README "Liveness"); a weak signal: it catches some screen ` +
      'replays and few prints or document portraits, and refuses some genuine photos',
  );
}
