// `pnpm eval mrz`: the MRZ reader (issue 16, item 1) on the real specimen documents of ../shared/realworld-dev,
// against zones transcribed by eye (@deepface/fixtures REALWORLD_MRZ), and on real photos of people (which have
// no zone: any reading there is a false one). Synthetic documents are listed for their reading rate only: their
// zones are drawn in DejaVu Sans Mono, not OCR-B, so they measure robustness to a foreign font, not accuracy.
import * as fs from 'node:fs';
import { checkMrz, decodeImage, readDocumentMrz, type MrzOutcome } from '@deepface/engine';
import { documentSet, realWorldSet, REALWORLD_MRZ } from '@deepface/fixtures';
import { fmt, percentile } from './metrics';

const LIMITS = { maxPixels: 40e6, workMaxSide: 1600 };

async function read(bytes: Uint8Array): Promise<{ outcome: MrzOutcome; ms: number }> {
  const image = await decodeImage(bytes, LIMITS);
  const t0 = performance.now();
  const outcome = readDocumentMrz(image);
  return { outcome, ms: performance.now() - t0 };
}

const CHECKED = ['documentNumber', 'birthDate', 'expiryDate'] as const;

export async function evalMrz(): Promise<void> {
  console.log('\n## MRZ reading (OCR-B glyph models, check digits by the `mrz` package)');
  const set = realWorldSet();
  if ('missing' in set) {
    console.log(`skipped: ${set.missing}`);
    return;
  }
  const times: number[] = [];
  let printedValid = 0;
  let readValid = 0;
  let readable = 0;
  let readableValid = 0;
  let exact = 0;
  let falseValid = 0;
  for (const image of set.images.filter((i) => i.category === 'docs')) {
    const truth = REALWORLD_MRZ[image.file];
    const truthCheck = truth && checkMrz([...truth]);
    if (truthCheck?.checkDigitsValid) printedValid++;
    const { outcome, ms } = await read(new Uint8Array(fs.readFileSync(image.path)));
    times.push(ms);
    if (outcome.status !== 'too_small') readable++;
    let line = `${image.file}: ${outcome.status}`;
    if (outcome.status === 'too_small') line += ` (capitals ${fmt(outcome.capPx, 1)} px)`;
    if (outcome.status === 'read') {
      const r = outcome.reading;
      const same = truth !== undefined && r.lines.join('|') === truth.join('|');
      const wrongChecked = truthCheck ? CHECKED.filter((f) => r[f] !== truthCheck[f]) : [];
      if (same) exact++;
      if (r.checkDigitsValid) {
        readValid++;
        readableValid++;
        if (wrongChecked.length > 0) falseValid++;
      }
      line += ` ${r.format} check digits ${r.checkDigitsValid ? 'valid' : `invalid (${r.invalidFields.join(', ')})`}`;
      line += same
        ? ', exact'
        : `, ${wrongChecked.length ? `checked fields differ: ${wrongChecked.join(', ')}` : 'checked fields right'}`;
    }
    if (truthCheck && !truthCheck.checkDigitsValid) line += ' [printed zone itself fails its check digits]';
    console.log(`  ${line}, ${fmt(ms, 0)} ms`);
  }
  const docs = times.length;
  console.log(
    `real documents: read with valid check digits ${readValid}/${printedValid} of those whose printed zone is valid ` +
      `(${docs} documents); readable (capitals ≥ 10 px) ${readable}, of which valid ${readableValid}; ` +
      `exact rows ${exact}/${docs}; false "valid" (check digits pass, a checked field wrong) ${falseValid}`,
  );
  console.log(
    `cost per document (find + read): p50 ${fmt(percentile(times, 50), 0)} ms, p95 ${fmt(percentile(times, 95), 0)} ms`,
  );

  // Photos of people: no zone, so every reading is a false one.
  let peopleRead = 0;
  let peopleValid = 0;
  const people = set.images.filter((i) => i.category !== 'docs');
  for (const image of people) {
    const { outcome } = await read(new Uint8Array(fs.readFileSync(image.path)));
    if (outcome.status === 'read') {
      peopleRead++;
      if (outcome.reading.checkDigitsValid) peopleValid++;
    }
  }
  console.log(
    `real photos of people and groups: ${peopleRead}/${people.length} read a zone, ${peopleValid} with valid check digits`,
  );

  const synthetic = await documentSet(40, 11);
  const tally = new Map<string, number>();
  let syntheticValid = 0;
  for (const d of synthetic) {
    const { outcome } = await read(new Uint8Array(d.buffer));
    tally.set(outcome.status, (tally.get(outcome.status) ?? 0) + 1);
    if (outcome.status === 'read' && outcome.reading.checkDigitsValid) syntheticValid++;
  }
  console.log(
    `synthetic documents (DejaVu Sans Mono zones, not OCR-B): ${[...tally].map(([k, v]) => `${k} ${v}`).join(', ')}; valid ${syntheticValid}/${synthetic.length}`,
  );
}
