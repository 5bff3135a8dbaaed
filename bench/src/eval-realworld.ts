// `pnpm eval realworld`: Verify's roles and decisions on the real-photo development set (../shared/realworld-dev:
// real specimen documents, real photos of people and groups). Each image is examined once, as a worker examines
// one image of a split Verify; pairs are then decided by the same code (verifyPair), and a sample of pairs is
// checked against whole Verify calls.
import * as fs from 'node:fs';
import type { Engine, ImageEvidence } from '@deepface/engine';
import {
  calibration,
  documentSignals,
  evidenceAs,
  isDocument,
  verifyPair,
  type RoleFeatures,
} from '@deepface/engine';
import { realWorldSet, type RealImage } from '@deepface/fixtures';
import { fmt, pct, percentile } from './metrics';

interface Examined {
  image: RealImage;
  bytes: Uint8Array;
  evidence: ImageEvidence;
}

type Outcome =
  { ok: true; verified: boolean; swapped: boolean; distance: number } | { ok: false; reason: string };

function decide(a: Examined, b: Examined): Outcome {
  try {
    const r = verifyPair(evidenceAs(a.evidence, 'IMG1'), evidenceAs(b.evidence, 'IMG2'));
    return { ok: true, verified: !!r.verified, swapped: !!r.roles_swapped, distance: Number(r.distance) };
  } catch (error) {
    const reason = (error as { reason?: string }).reason;
    if (!reason) throw error;
    return { ok: false, reason };
  }
}

const label = (o: Outcome): string =>
  o.ok ? `${o.verified ? 'verified' : 'not_verified'}${o.swapped ? ' (swapped)' : ''}` : o.reason;

function describe(x: Examined): string {
  const r = x.evidence.roles?.features;
  if (x.evidence.failure) return `${x.image.file}: ${x.evidence.failure.error.reason}`;
  if (!r) return `${x.image.file}: no role features`;
  return (
    `${x.image.file} [${x.image.tags.join(' ')}]: text ${r.textLines} fields ${r.fieldLines} column ${r.column}` +
    ` mrz ${r.mrz} card ${r.card} faces ${r.faces} clear ${x.evidence.roles?.clearFaces ?? '-'} faceRatio ${fmt(r.faceRatio)}`
  );
}

class Tally {
  right = 0;
  total = 0;
  readonly wrong: string[] = [];
  add(ok: boolean, what: () => string): void {
    this.total++;
    if (ok) this.right++;
    else this.wrong.push(what());
  }
  get ratio(): string {
    return `${this.right}/${this.total}`;
  }
}

export async function evalRealWorld(engine: Engine): Promise<void> {
  const set = realWorldSet();
  if ('missing' in set) {
    console.log(`\n## Real-world development set: skipped — ${set.missing}`);
    return;
  }
  const examined: Examined[] = [];
  for (const image of set.images) {
    const bytes = new Uint8Array(fs.readFileSync(image.path));
    const out = await engine.run({ op: 'evidence', image: bytes, ref: 'IMG1', roles: true, quality: true });
    if (!out.ok) throw new Error(`${image.file}: ${out.error.reason}`);
    examined.push({ image, bytes, evidence: out.value });
  }
  const docs = examined.filter((x) => x.image.category === 'docs');
  const people = examined.filter((x) => x.image.category === 'people');
  const groups = examined.filter((x) => x.image.category === 'groups');
  const isDoc = (x: Examined): boolean => !!x.evidence.roles && isDocument(x.evidence.roles.features);
  console.log(
    `\n## Real-world development set (${set.dir}): ${docs.length} documents, ${people.length} photos of ` +
      `${new Set(people.map((p) => p.image.identity)).size} people, ${groups.length} group photos`,
  );

  // Each image on its own.
  const docRoles = new Tally();
  for (const d of docs) {
    if (d.image.portraitObscured)
      docRoles.add(d.evidence.failure?.error.reason === 'NO_FACE' || isDoc(d), () => describe(d));
    else docRoles.add(!d.evidence.failure && isDoc(d), () => describe(d));
  }
  const selfieRoles = new Tally();
  for (const p of people) selfieRoles.add(!p.evidence.failure && !isDoc(p), () => describe(p));
  const feats = (xs: Examined[]) => xs.flatMap((x) => (x.evidence.roles ? [x.evidence.roles.features] : []));
  const stat = (xs: Examined[], pick: (f: RoleFeatures) => number): string => {
    const v = feats(xs).map(pick);
    return `min ${Math.min(...v)} p50 ${percentile(v, 50)} max ${Math.max(...v)}`;
  };
  const signals = (xs: Examined[]): string =>
    (['mrz', 'fields', 'card'] as const)
      .map((k) => `${k} ${feats(xs).filter((f) => documentSignals(f).includes(k)).length}`)
      .join(', ');
  for (const [name, xs] of [
    ['documents', docs],
    ['people', people],
    ['groups', groups],
  ] as const)
    console.log(
      `  ${name.padEnd(9)} signals: ${signals(xs)};  field column ${stat(xs, (f) => f.column)};  field lines ${stat(xs, (f) => f.fieldLines)}`,
    );
  console.log(`documents recognised as documents: ${docRoles.ratio}`);
  for (const w of docRoles.wrong) console.log(`  missed: ${w}`);
  console.log(`single-person photos recognised as selfies: ${selfieRoles.ratio}`);
  for (const w of selfieRoles.wrong) console.log(`  taken for a document: ${w}`);
  const byTag = new Map<string, Tally>();
  for (const p of people)
    for (const t of p.image.tags.length ? p.image.tags : ['(no tag)']) {
      const tally = byTag.get(t) ?? new Tally();
      tally.add(!p.evidence.failure && !isDoc(p), () => p.image.file);
      byTag.set(t, tally);
    }
  console.log(`  by tag: ${[...byTag].map(([t, k]) => `${t} ${k.ratio}`).join(', ')}`);

  // Pairs, decided as Verify decides them.
  const overall = new Tally();
  const withSelfie = new Tally();
  const impostors = new Tally();
  for (const d of docs.filter((x) => !x.image.portraitObscured))
    for (const p of people)
      for (const [a, b] of [
        [d, p],
        [p, d],
      ] as const) {
        const o = decide(a, b);
        const roles = o.ok && o.swapped === (a === p);
        withSelfie.add(roles, () => `${a.image.file} + ${b.image.file}: ${label(o)}`);
        overall.add(roles && o.ok && !o.verified, () => `${a.image.file} + ${b.image.file}: ${label(o)}`);
        if (o.ok)
          impostors.add(!o.verified, () => `${a.image.file} + ${b.image.file}: distance ${fmt(o.distance)}`);
      }
  const twoDocs = new Tally();
  for (let i = 0; i < docs.length; i++)
    for (let j = i + 1; j < docs.length; j++) {
      const [a, b] = [docs[i]!, docs[j]!];
      if (a.image.portraitObscured || b.image.portraitObscured) continue;
      const o = decide(a, b);
      twoDocs.add(
        !o.ok && o.reason === 'SELFIE_REQUIRED',
        () => `${a.image.file} + ${b.image.file}: ${label(o)}`,
      );
      overall.add(
        !o.ok && o.reason === 'SELFIE_REQUIRED',
        () => `${a.image.file} + ${b.image.file}: ${label(o)}`,
      );
    }
  const twoSelfies = new Tally();
  let selfiesVerified = 0;
  for (let i = 0; i < people.length; i++)
    for (let j = 0; j < people.length; j++) {
      if (i === j) continue;
      const [a, b] = [people[i]!, people[j]!];
      const o = decide(a, b);
      if (o.ok && o.verified) selfiesVerified++;
      twoSelfies.add(
        !o.ok && o.reason === 'ID_REQUIRED',
        () => `${a.image.file} + ${b.image.file}: ${label(o)}`,
      );
      overall.add(
        !o.ok && o.reason === 'ID_REQUIRED',
        () => `${a.image.file} + ${b.image.file}: ${label(o)}`,
      );
    }
  const groupSelfie = new Tally();
  for (const g of groups)
    for (const d of docs.filter((x) => !x.image.portraitObscured)) {
      const o = decide(d, g);
      const right = !o.ok && o.reason === 'MULTIPLE_FACES';
      groupSelfie.add(right, () => `${d.image.file} + ${g.image.file}: ${label(o)}`);
      overall.add(right, () => `${d.image.file} + ${g.image.file}: ${label(o)}`);
    }
  console.log(
    `document + selfie (both orders): roles right ${withSelfie.ratio}; impostor pairs not verified ${impostors.ratio}`,
  );
  for (const w of [...withSelfie.wrong, ...impostors.wrong].slice(0, 12)) console.log(`  wrong: ${w}`);
  console.log(`document + another document → selfie_required: ${twoDocs.ratio}`);
  for (const w of twoDocs.wrong.slice(0, 12)) console.log(`  wrong: ${w}`);
  console.log(`two single-person photos (both orders) → id_required: ${twoSelfies.ratio}`);
  for (const w of twoSelfies.wrong.slice(0, 12)) console.log(`  wrong: ${w}`);
  console.log(`group photo as the selfie (with each document) → invalid_image: ${groupSelfie.ratio}`);
  for (const w of groupSelfie.wrong.slice(0, 12)) console.log(`  wrong: ${w}`);

  // Genuine pairs: the same person's photos compared by face alone (the set holds no document of these people).
  const same: number[] = [];
  const diff: number[] = [];
  for (let i = 0; i < people.length; i++)
    for (let j = i + 1; j < people.length; j++) {
      const [a, b] = [people[i]!, people[j]!];
      const fa = a.evidence.face?.descriptor;
      const fb = b.evidence.face?.descriptor;
      if (!fa || !fb) continue;
      let s = 0;
      for (let k = 0; k < fa.length; k++) s += (fa[k]! - fb[k]!) ** 2;
      (a.image.identity === b.image.identity ? same : diff).push(Math.sqrt(s));
    }
  const t = calibration.THRESHOLD;
  console.log(
    `faces alone (people's photos, threshold ${t}): same person ${same.filter((d) => d <= t).length}/${same.length} match` +
      ` (max distance ${fmt(Math.max(...same))}), different people ${diff.filter((d) => d > t).length}/${diff.length} apart` +
      ` (min distance ${fmt(Math.min(...diff))})`,
  );

  // Whole Verify calls on a sample of the pairs: the same answers as deciding from per-image evidence.
  const sample: [Examined, Examined][] = [];
  for (let k = 0; k < 24; k++) {
    const pool = [docs, people, groups];
    const a = pool[k % 3]![(k * 7) % pool[k % 3]!.length]!;
    const b = pool[(k + 1) % 3]![(k * 5 + 3) % pool[(k + 1) % 3]!.length]!;
    sample.push([a, b]);
  }
  let agree = 0;
  for (const [a, b] of sample) {
    const whole = await engine.run({ op: 'verify', img1: a.bytes, img2: b.bytes });
    const split = decide(a, b);
    const w = whole.ok
      ? label({
          ok: true,
          verified: !!whole.value.verified,
          swapped: !!whole.value.roles_swapped,
          distance: 0,
        })
      : whole.error.reason;
    if (w === label(split)) agree++;
    else console.log(`  whole Verify differs: ${a.image.file} + ${b.image.file}: ${w} vs ${label(split)}`);
  }
  console.log(`whole Verify calls agreeing with the per-image decision: ${agree}/${sample.length}`);
  console.log(`selfie pairs answered verified: ${selfiesVerified} (must be 0)`);
  console.log(
    `overall: ${overall.ratio} pair decisions right (${pct(overall.right / Math.max(1, overall.total))})`,
  );
}
