// `pnpm eval quality`: the face quality gate (services/engine/src/inference/quality.ts). What its measures read on
// genuine photos, how far recognition drifts when a genuine photo is degraded (blur, small face, dark, overexposed,
// glare, heavy JPEG, roll), and what the gate does with both: the share of genuine photos and pairs it refuses per
// set (target ≤ 1 %, issue 16) and the share of degraded photos it catches per kind and level. Measures come from
// the engine's own evidence (one image of a split Verify), so they are exactly what the gate judges.
//
// Sets: fixture identities and ../shared/realworld-dev people (selfies; genuine pairs are same-person pairs),
// realworld-dev documents (document role), and synthetic KYC pairs (document and selfie of the same person).
import * as fs from 'node:fs';
import sharp from 'sharp';
import {
  calibration,
  isDocument,
  limitsFor,
  qualityIssues,
  type Engine,
  type FaceMeasures,
} from '@deepface/engine';
import { people, realWorldSet, verificationPairs } from '@deepface/fixtures';
import { fmt, pct, percentile } from './metrics';

type Role = 'DOCUMENT' | 'SELFIE';

interface Photo {
  who: string;
  set: string;
  role: Role;
  bytes: Buffer;
  descriptor: Float32Array;
  /** Face box in pixels of the image as sent. */
  box: { x: number; y: number; w: number; h: number };
  q: FaceMeasures;
}

async function measure(
  engine: Engine,
  bytes: Buffer,
): Promise<{ descriptor: Float32Array; box: Photo['box']; q: FaceMeasures; document: boolean } | undefined> {
  const out = await engine.run({
    op: 'evidence',
    image: new Uint8Array(bytes),
    ref: 'IMG2',
    roles: true,
    quality: true,
  });
  if (!out.ok) throw new Error(out.error.message);
  const e = out.value;
  if (!e.face || !e.quality) return undefined;
  qualityMs.push(Number(e.timings.quality_ms ?? 0));
  const a = e.face.area;
  return {
    descriptor: e.face.descriptor,
    box: { x: Number(a.x), y: Number(a.y), w: Number(a.w), h: Number(a.h) },
    q: e.quality,
    document: e.roles ? isDocument(e.roles.features) : false,
  };
}

/** Milliseconds the quality measures took per image (timings.quality_ms of each examination). */
const qualityMs: number[] = [];

const distance = (a: Float32Array, b: Float32Array): number =>
  Math.hypot(...a.map((v, i) => v - (b[i] ?? 0)));

const issuesOf = (q: FaceMeasures, role: Role): string[] => qualityIssues(q, limitsFor(role));

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
  // The head tilted in the image plane by 20°, 35°, 50° (roll; yaw and pitch cannot be made from one photo).
  roll: (img, _box, level) =>
    sharp(img).rotate([20, 35, 50][level], { background: '#808080' }).jpeg({ quality: 92 }).toBuffer(),
};

const KEYS = [
  ['facePx', (q: FaceMeasures) => q.facePx],
  ['eyePx', (q: FaceMeasures) => q.eyePx ?? NaN],
  ['sharpness', (q: FaceMeasures) => q.sharpness],
  ['laplacian', (q: FaceMeasures) => q.laplacian],
  ['brightness', (q: FaceMeasures) => q.brightness],
  ['glare', (q: FaceMeasures) => q.glare],
  ['yaw', (q: FaceMeasures) => Math.abs(q.yaw ?? 0)],
  ['pitch', (q: FaceMeasures) => q.pitch ?? 0],
  ['roll', (q: FaceMeasures) => Math.abs(q.roll ?? 0)],
] as const;

function summary(qs: FaceMeasures[]): string {
  return KEYS.map(([k, f]) => {
    const v = qs.map(f).filter((x) => Number.isFinite(x));
    return `${k} min ${fmt(Math.min(...v), 3)} p1 ${fmt(percentile(v, 1), 3)} p50 ${fmt(percentile(v, 50), 3)} max ${fmt(Math.max(...v), 3)}`;
  }).join('\n    ');
}

function refusals(photos: Photo[]): string {
  const refused = photos.filter((p) => issuesOf(p.q, p.role).length > 0);
  const detail = refused.map((p) => `${p.who}: ${issuesOf(p.q, p.role).join('+')}`).join('; ');
  return `refused ${refused.length}/${photos.length} (${pct(refused.length / Math.max(1, photos.length))})${detail ? ` — ${detail}` : ''}`;
}

export async function evalQuality(engine: Engine, kycPairs = 40): Promise<void> {
  const photos: Photo[] = [];
  const add = async (who: string, set: string, role: Role, bytes: Buffer): Promise<Photo | undefined> => {
    const m = await measure(engine, bytes);
    if (!m) return undefined;
    const photo = { who, set, role, bytes, ...m };
    photos.push(photo);
    return photo;
  };
  for (const p of people())
    for (const file of p.paths) await add(p.name, 'fixtures', 'SELFIE', fs.readFileSync(file));
  const real = realWorldSet();
  if ('missing' in real) console.log(`(real-world set skipped: ${real.missing})`);
  else
    for (const i of real.images) {
      if (i.category === 'people' && i.identity)
        await add(i.identity, 'real people', 'SELFIE', fs.readFileSync(i.path));
      if (i.category === 'docs') await add(i.file, 'real docs', 'DOCUMENT', fs.readFileSync(i.path));
    }
  // Synthetic KYC pairs of the same person: the document portrait and the selfie.
  const kyc: [Photo, Photo][] = [];
  for (const [i, pair] of (await verificationPairs(kycPairs * 2, 23)).entries()) {
    if (!pair.samePerson) continue;
    const d = await add(`kyc${i}-doc`, 'kyc docs', 'DOCUMENT', pair.document.buffer);
    const s = await add(`kyc${i}-selfie`, 'kyc selfies', 'SELFIE', pair.selfie.buffer);
    if (d && s) kyc.push([d, s]);
  }
  // QUALITY_DUMP=file.json: every measure, to try other limits without measuring again.
  const dump: { genuine: unknown[]; degraded: unknown[] } = {
    genuine: photos.map((p) => ({ set: p.set, who: p.who, role: p.role, q: p.q })),
    degraded: [],
  };
  const sets = [...new Set(photos.map((p) => p.set))];
  console.log(`\n## Face quality gate (${photos.length} genuine photos with a face)`);
  for (const set of sets) {
    const ps = photos.filter((p) => p.set === set);
    console.log(`${set} (${ps.length}, as ${ps[0]?.role.toLowerCase()}): ${refusals(ps)}`);
    console.log(`    ${summary(ps.map((p) => p.q))}`);
  }

  const pairs: [Photo, Photo][] = [];
  for (let i = 0; i < photos.length; i++)
    for (let j = i + 1; j < photos.length; j++)
      if (
        photos[i]!.role === 'SELFIE' &&
        photos[i]!.who === photos[j]!.who &&
        photos[i]!.set === photos[j]!.set
      )
        pairs.push([photos[i]!, photos[j]!]);
  const t = calibration.THRESHOLD;
  const pairRefused = (ps: [Photo, Photo][]): string => {
    const n = ps.filter(([a, b]) => issuesOf(a.q, a.role).length + issuesOf(b.q, b.role).length > 0).length;
    return `${n}/${ps.length} (${pct(n / Math.max(1, ps.length))})`;
  };
  for (const set of ['fixtures', 'real people'])
    console.log(`genuine ${set} pairs refused: ${pairRefused(pairs.filter(([a]) => a.set === set))}`);
  console.log(`genuine KYC pairs (document + selfie) refused: ${pairRefused(kyc)}`);
  const base = pairs.map(([a, b]) => distance(a.descriptor, b.descriptor));
  console.log(
    `selfie pairs: ${pairs.length}; distance p50 ${fmt(percentile(base, 50))}; matching at ${t}: ${base.filter((d) => d < t).length}/${pairs.length}`,
  );

  // Degrade the second photo of each selfie pair; one photo is degraded once per level however many pairs hold it.
  console.log(
    'degraded (selfie limits): found = a face found; matching = still under the threshold; caught = refused by the gate',
  );
  for (const [name, degrade] of Object.entries(DEGRADATIONS)) {
    for (let level = 0; level < 3; level++) {
      const cache = new Map<Photo, Awaited<ReturnType<typeof measure>> | null>();
      let found = 0;
      let matching = 0;
      let caught = 0;
      let lostCaught = 0;
      let matchingRefused = 0;
      const issues = new Map<string, number>();
      for (const [a, b] of pairs) {
        if (!cache.has(b))
          cache.set(b, (await measure(engine, await degrade(b.bytes, b.box, level))) ?? null);
        const m = cache.get(b);
        if (!m) continue;
        found++;
        const match = distance(a.descriptor, m.descriptor) < t;
        const refused = issuesOf(m.q, 'SELFIE');
        if (match) matching++;
        dump.degraded.push({ kind: name, level: level + 1, match, q: m.q });
        if (refused.length > 0) {
          caught++;
          if (!match) lostCaught++;
          else matchingRefused++;
          for (const i of refused) issues.set(i, (issues.get(i) ?? 0) + 1);
        }
      }
      const qs = [...cache.values()].flatMap((m) => (m ? [m.q] : []));
      const p50 = (f: (q: FaceMeasures) => number, digits = 2): string =>
        fmt(percentile(qs.map(f), 50), digits);
      console.log(
        `${name.padEnd(6)} ${level + 1}: found ${found}/${pairs.length}, matching ${matching}; caught ${caught}/${found} (${pct(caught / Math.max(1, found))}), ` +
          `of the non-matching ${lostCaught}/${found - matching}, of the matching ${matchingRefused}/${matching}` +
          ` [${[...issues].map(([k, v]) => `${k} ${v}`).join(', ')}]; p50 eye ${p50((q) => q.eyePx ?? NaN)} sharp ${p50((q) => q.sharpness, 4)} ` +
          `bright ${p50((q) => q.brightness)} glare ${p50((q) => q.glare)} roll ${p50((q) => Math.abs(q.roll ?? 0))}`,
      );
    }
  }
  console.log(
    `quality measures per image: p50 ${fmt(percentile(qualityMs, 50), 2)} ms, p95 ${fmt(percentile(qualityMs, 95), 2)} ms (${qualityMs.length} images; a Verify measures two)`,
  );
  if (process.env.QUALITY_DUMP) fs.writeFileSync(process.env.QUALITY_DUMP, JSON.stringify(dump));
}
