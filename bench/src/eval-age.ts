// `pnpm eval age`: what the document age check (inference/age-consistency.ts) rests on. No photo set here labels
// ages, so two things are measured instead: the estimates of people whose birth year is public, against the
// window of ages their photos can show (public-ages.ts; a lower bound on the error, and whether a genuine holder
// would be flagged), and how far one person's estimates spread across that person's photos (a floor under the
// error that leaves out any bias the network has for the person). Both must stay well inside the margin.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ageMargin, FALSE_FLAG_RATE, PUBLISHED_MAE, type Engine } from '@deepface/engine';
import { facesDir, realWorldSet } from '@deepface/fixtures';
import { fmt } from './metrics';
import { ageRange, FIXTURE_AGES, outside, REAL_WORLD_AGES, type AgeWindow } from './public-ages';

async function estimate(engine: Engine, file: string): Promise<number | undefined> {
  const out = await engine.run({
    op: 'analyze',
    image: new Uint8Array(await fs.promises.readFile(file)),
    actions: ['AGE'],
  });
  if (!out.ok || !('faces' in out.value)) return undefined;
  // The largest face: the one Verify would judge.
  const age = out.value.faces?.[0]?.age?.age;
  return age === undefined || age === null ? undefined : Number(age);
}

/** Photos by identity: the real-world people (when the set is here) and the fixtures' identities. */
function identities(): { set: string; id: string; files: string[]; window?: AgeWindow }[] {
  const out: { set: string; id: string; files: string[]; window?: AgeWindow }[] = [];
  const real = realWorldSet();
  if ('missing' in real) console.log(`real-world people skipped: ${real.missing}`);
  else {
    const byId = new Map<string, string[]>();
    for (const image of real.images)
      if (image.category === 'people' && image.identity)
        byId.set(image.identity, [...(byId.get(image.identity) ?? []), image.path]);
    for (const [id, files] of byId) out.push({ set: 'real-world', id, files, window: REAL_WORLD_AGES[id] });
  }
  const dir = path.join(facesDir(), 'people');
  for (const id of fs.readdirSync(dir).sort())
    out.push({
      set: 'fixtures',
      id,
      window: FIXTURE_AGES[id],
      files: fs
        .readdirSync(path.join(dir, id))
        .sort()
        .map((f) => path.join(dir, id, f)),
    });
  return out;
}

export async function evalAge(engine: Engine): Promise<void> {
  console.log('\n## Age check (document age vs the selfie’s estimate)');
  console.log(
    `margin in use: published MAE per band (face-api.js README) × ln(1/${FALSE_FLAG_RATE}); by document age:`,
  );
  console.log(
    '  ' +
      PUBLISHED_MAE.map((b, i) => {
        const from = i === 0 ? 0 : (PUBLISHED_MAE[i - 1]?.upTo ?? 0) + 1;
        const to = Number.isFinite(b.upTo) ? String(b.upTo) : '+';
        return `${from}–${to}: MAE ${b.mae} → ±${ageMargin(b.upTo === Infinity ? 90 : b.upTo)}`;
      }).join('  '),
  );
  let squares = 0;
  let dof = 0;
  let widest = { gap: 0, who: '' };
  let pairs = 0;
  let overMargin = 0;
  const known = {
    photos: 0,
    inside: 0,
    over: 0,
    signed: 0,
    absolute: 0,
    worst: 0,
    overMargin: 0,
    mid: 0,
    halfWidth: 0,
  };
  for (const { set, id, files, window } of identities()) {
    // One at a time: the in-process engine checks tensor leaks per call.
    const ages: number[] = [];
    for (const file of files) {
      const age = await estimate(engine, file);
      if (age !== undefined) ages.push(age);
    }
    if (ages.length === 0) continue;
    const mean = ages.reduce((a, b) => a + b, 0) / ages.length;
    let against = '';
    if (window) {
      const { lo, hi } = ageRange(window);
      against = `   true ${lo}–${hi} (born ${window.born}, photos ${window.from}–${window.to})`;
      for (const age of ages) {
        const off = outside(age, window);
        known.photos++;
        if (off === 0) known.inside++;
        known.signed += off;
        known.absolute += Math.abs(off);
        known.mid += Math.abs(age - (lo + hi) / 2);
        known.halfWidth += (hi - lo) / 2;
        if (Math.abs(off) > Math.abs(known.worst)) known.worst = off;
        // A genuine holder flagged: inconsistent at every age the window allows.
        let flagged = true;
        for (let a = lo; a <= hi; a++) if (Math.abs(Math.round(age) - a) <= ageMargin(a)) flagged = false;
        if (flagged) known.overMargin++;
      }
    }
    console.log(`${set.padEnd(10)} ${id.padEnd(20)} ${ages.map((a) => fmt(a, 1)).join(' ')}${against}`);
    if (ages.length < 2) continue;
    squares += ages.reduce((s, a) => s + (a - mean) ** 2, 0);
    dof += ages.length - 1;
    for (let i = 0; i < ages.length; i++)
      for (let j = i + 1; j < ages.length; j++) {
        const [a, b] = [ages[i] ?? 0, ages[j] ?? 0];
        const gap = Math.abs(a - b);
        pairs++;
        // One photo's estimate taken as the document's age, the other as the selfie's.
        if (gap > ageMargin(Math.round(Math.min(a, b)))) overMargin++;
        if (gap > widest.gap) widest = { gap, who: `${set} ${id}` };
      }
  }
  const sd = Math.sqrt(squares / Math.max(1, dof));
  console.log(
    `within-person spread: SD ${fmt(sd, 2)} years (pooled, ${dof} degrees of freedom) → MAE ≈ ${fmt(sd * Math.sqrt(2 / Math.PI), 2)} if normal; widest gap ${fmt(widest.gap, 1)} years (${widest.who})`,
  );
  console.log(
    `same-person photo pairs whose estimates differ by more than the margin: ${overMargin}/${pairs} (one estimate standing in for the document's age)`,
  );
  if (known.photos > 0) {
    console.log(
      `against public birth years (bench/src/public-ages.ts; true age known to a window of years): ${known.inside}/${known.photos} estimates inside their window; ` +
        `error at least ${fmt(known.absolute / known.photos, 2)} years on average (signed ${fmt(known.signed / known.photos, 2)}: negative = estimated younger), worst ${fmt(known.worst, 1)}; ` +
        `from the window's middle ${fmt(known.mid / known.photos, 2)} on average (windows ±${fmt(known.halfWidth / known.photos, 1)}); ` +
        `beyond the margin (a genuine holder flagged): ${known.overMargin}/${known.photos}`,
    );
  }
  console.log(
    'not measured here: the error against exact true ages (no age-labelled photo set); the synthetic documents’ birth dates are random, not their portraits’.',
  );
}
