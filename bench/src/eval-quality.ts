// `pnpm eval quality`: what the face-quality measures read on genuine photos, and how far recognition drifts when
// a genuine photo is degraded (blur, small face, dark, overexposed, glare, heavy JPEG). The limits of a quality gate
// come from the drift (where a degraded genuine pair stops matching), and are then checked against the share of
// genuine photos they would refuse (target ≤ 1 %, issue 16). Genuine pairs: every same-person pair of the fixture
// identities and of the real-photo development set (../shared/realworld-dev) when it is there.
import * as fs from 'node:fs';
import sharp from 'sharp';
import { calibration, type Engine } from '@deepface/engine';
import { people, realWorldSet } from '@deepface/fixtures';
import { fmt, percentile } from './metrics';

interface Measured {
  facePx: number;
  eyePx: number;
  sharpness: number;
  brightness: number;
  glare: number;
  rollDeg: number;
  yawDeg: number;
  /** Nose tip between the eye line (0) and the mouth (1): ~0.5 frontal, lower when the head tips back. */
  pitchRatio: number;
}

interface Photo {
  who: string;
  set: 'fixtures' | 'real';
  bytes: Buffer;
  descriptor: Float32Array;
  box: { x: number; y: number; w: number; h: number };
  measured: Measured;
}

type Pt = { x: number; y: number };
const mean = (ps: Pt[]): Pt => ({
  x: ps.reduce((s, p) => s + p.x, 0) / ps.length,
  y: ps.reduce((s, p) => s + p.y, 0) / ps.length,
});
const DEG = 180 / Math.PI;

/** Pose from the 68 landmarks, in the frame of the eye line (roll removed). */
function pose(lm: Pt[]): { rollDeg: number; yawDeg: number; pitchRatio: number; eyePx: number } {
  const right = mean(lm.slice(36, 42));
  const left = mean(lm.slice(42, 48));
  const roll = Math.atan2(left.y - right.y, left.x - right.x);
  const c = Math.cos(-roll);
  const s = Math.sin(-roll);
  const r = (p: Pt): Pt => ({ x: p.x * c - p.y * s, y: p.x * s + p.y * c });
  const jawL = r(lm[0]!);
  const jawR = r(lm[16]!);
  const nose = r(lm[30]!);
  const eyes = r(mean([right, left]));
  const mouth = r(mean([lm[48]!, lm[54]!]));
  const half = (jawR.x - jawL.x) / 2;
  const offset = (nose.x - (jawL.x + half)) / Math.max(1, half);
  return {
    rollDeg: roll * DEG,
    yawDeg: Math.asin(Math.max(-1, Math.min(1, offset))) * DEG,
    pitchRatio: (nose.y - eyes.y) / Math.max(1, mouth.y - eyes.y),
    eyePx: Math.hypot(left.x - right.x, left.y - right.y),
  };
}

async function measure(
  engine: Engine,
  bytes: Buffer,
): Promise<{ descriptor: Float32Array; box: Photo['box']; measured: Measured } | undefined> {
  const image = new Uint8Array(bytes);
  const det = await engine.run({ op: 'detect', image, skipLandmarks: false });
  const rep = await engine.run({ op: 'represent', image, allFaces: false });
  if (!det.ok || !rep.ok) return undefined;
  const emb = rep.value.faces?.[0]?.embedding;
  const area = rep.value.faces?.[0]?.area;
  if (!emb || !area) return undefined;
  // The detected face that is Represent's face (largest overlap with its box).
  const face = [...(det.value.faces ?? [])].sort((a, b) => overlap(b.area, area) - overlap(a.area, area))[0];
  const lm = face?.landmarks?.map((p) => ({ x: Number(p.x), y: Number(p.y) }));
  if (!face?.quality || !lm || lm.length !== 68) return undefined;
  const q = face.quality;
  return {
    descriptor: Float32Array.from(emb.map(Number)),
    box: { x: Number(area.x), y: Number(area.y), w: Number(area.w), h: Number(area.h) },
    measured: {
      facePx: Number(q.face_px),
      sharpness: Number(q.sharpness),
      brightness: Number(q.brightness),
      glare: Number(q.glare),
      ...pose(lm),
    },
  };
}

function overlap(
  a: { x?: number; y?: number; w?: number; h?: number } | null | undefined,
  b: { x?: number; y?: number; w?: number; h?: number },
): number {
  if (!a) return 0;
  const x0 = Math.max(Number(a.x), Number(b.x));
  const y0 = Math.max(Number(a.y), Number(b.y));
  const x1 = Math.min(Number(a.x) + Number(a.w), Number(b.x) + Number(b.w));
  const y1 = Math.min(Number(a.y) + Number(a.h), Number(b.y) + Number(b.h));
  return Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
}

const distance = (a: Float32Array, b: Float32Array): number =>
  Math.hypot(...a.map((v, i) => v - (b[i] ?? 0)));

/** Degradations of a genuine photo, each at three strengths, scaled to the face so they mean the same everywhere. */
const DEGRADATIONS: Record<string, (img: Buffer, box: Photo['box'], level: number) => Promise<Buffer>> = {
  // Gaussian blur, sigma 2 %, 4 %, 8 % of the face height.
  blur: (img, box, level) =>
    sharp(img)
      .blur(Math.max(0.3, [0.02, 0.04, 0.08][level]! * box.h))
      .jpeg({ quality: 92 })
      .toBuffer(),
  // The whole photo downscaled until the face is 64, 40, 24 px tall.
  small: async (img, box, level) => {
    const meta = await sharp(img).metadata();
    const k = Math.min(1, [64, 40, 24][level]! / box.h);
    return sharp(img)
      .resize(Math.max(8, Math.round((meta.width ?? 1) * k)))
      .jpeg({ quality: 92 })
      .toBuffer();
  },
  // Underexposed: intensities × 0.35, 0.2, 0.1.
  dark: (img, _box, level) => sharp(img).linear([0.35, 0.2, 0.1][level], 0).jpeg({ quality: 92 }).toBuffer(),
  // Overexposed: intensities × 1.6, 2.2, 3 (clipping the highlights).
  bright: (img, _box, level) => sharp(img).linear([1.6, 2.2, 3][level], 0).jpeg({ quality: 92 }).toBuffer(),
  // A specular patch over 15 %, 30 %, 50 % of the face (a lamp reflected on a phone screen or a laminate).
  glare: async (img, box, level) => {
    const r = Math.sqrt([0.15, 0.3, 0.5][level]!) * box.w * 0.56;
    const cx = box.x + box.w * 0.4;
    const cy = box.y + box.h * 0.4;
    const meta = await sharp(img).metadata();
    const svg = `<svg width="${meta.width}" height="${meta.height}"><defs><radialGradient id="g"><stop offset="0.6" stop-color="white" stop-opacity="1"/><stop offset="1" stop-color="white" stop-opacity="0"/></radialGradient></defs><ellipse cx="${cx}" cy="${cy}" rx="${r}" ry="${r * 0.8}" fill="url(#g)"/></svg>`;
    return sharp(img)
      .composite([{ input: Buffer.from(svg) }])
      .jpeg({ quality: 92 })
      .toBuffer();
  },
  // Heavy compression: JPEG quality 10, 5, 2.
  jpeg: (img, _box, level) =>
    sharp(img)
      .jpeg({ quality: [10, 5, 2][level]! })
      .toBuffer(),
};

const KEYS: (keyof Measured)[] = [
  'facePx',
  'eyePx',
  'sharpness',
  'brightness',
  'glare',
  'rollDeg',
  'yawDeg',
  'pitchRatio',
];

function summary(ms: Measured[]): string {
  return KEYS.map((k) => {
    const v = ms.map((m) => m[k]);
    return `${k} p1 ${fmt(percentile(v, 1), 1)} p50 ${fmt(percentile(v, 50), 1)} p99 ${fmt(percentile(v, 99), 1)}`;
  }).join('\n  ');
}

export async function evalQuality(engine: Engine): Promise<void> {
  const photos: Photo[] = [];
  const add = async (who: string, set: Photo['set'], bytes: Buffer): Promise<void> => {
    const m = await measure(engine, bytes);
    if (m) photos.push({ who, set, bytes, ...m });
  };
  for (const p of people()) for (const file of p.paths) await add(p.name, 'fixtures', fs.readFileSync(file));
  const real = realWorldSet();
  if (!('missing' in real))
    for (const i of real.images)
      if (i.category === 'people' && i.identity) await add(i.identity, 'real', fs.readFileSync(i.path));
  console.log(
    `\n## Face quality (${photos.length} genuine photos: ${photos.filter((p) => p.set === 'real').length} real, ` +
      `${photos.filter((p) => p.set === 'fixtures').length} fixture identities)`,
  );
  console.log(`genuine photos:\n  ${summary(photos.map((p) => p.measured))}`);

  const pairs: [Photo, Photo][] = [];
  for (let i = 0; i < photos.length; i++)
    for (let j = i + 1; j < photos.length; j++)
      if (photos[i]!.who === photos[j]!.who && photos[i]!.set === photos[j]!.set)
        pairs.push([photos[i]!, photos[j]!]);
  const base = pairs.map(([a, b]) => distance(a.descriptor, b.descriptor));
  const t = calibration.THRESHOLD;
  console.log(
    `genuine pairs: ${pairs.length}; distance p50 ${fmt(percentile(base, 50))} p95 ${fmt(percentile(base, 95))}; ` +
      `matching at ${t}: ${base.filter((d) => d < t).length}/${pairs.length}`,
  );

  // Degrade the second photo of each pair; one photo is degraded once per level however many pairs hold it.
  for (const [name, degrade] of Object.entries(DEGRADATIONS)) {
    for (let level = 0; level < 3; level++) {
      const cache = new Map<Photo, Awaited<ReturnType<typeof measure>> | null>();
      const dists: number[] = [];
      const ms: Measured[] = [];
      let lost = 0;
      for (const [a, b] of pairs) {
        if (!cache.has(b))
          cache.set(b, (await measure(engine, await degrade(b.bytes, b.box, level))) ?? null);
        const m = cache.get(b);
        if (!m) {
          lost++;
          continue;
        }
        dists.push(distance(a.descriptor, m.descriptor));
      }
      for (const m of cache.values()) if (m) ms.push(m.measured);
      const still = dists.filter((d) => d < t).length;
      console.log(
        `${name.padEnd(6)} level ${level + 1}: no face ${lost}/${pairs.length}; distance p50 ${fmt(percentile(dists, 50))}; ` +
          `still matching ${still}/${pairs.length}; measures p50: ${KEYS.map(
            (k) =>
              `${k} ${fmt(
                percentile(
                  ms.map((x) => x[k]),
                  50,
                ),
                1,
              )}`,
          ).join(', ')}`,
      );
    }
  }
}
