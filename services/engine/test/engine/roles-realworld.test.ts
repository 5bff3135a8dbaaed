// Verify's roles on the real-photo development set (../shared/realworld-dev: real specimen documents, real
// photos of people and groups; never copied into the repository). Skipped, with the reason, where it is absent.
import * as fs from 'node:fs';
import { realWorldSet, type RealImage } from '@deepface/fixtures';
import { isDocument } from '../../src/inference/document/roles';
import { testEngine } from '../support/engine';
import { examine, verdict } from '../support/pairs';
import type { ImageEvidence } from '../../src/contract/evidence';

const set = realWorldSet();
const suite = 'missing' in set ? describe.skip : describe;
if ('missing' in set) console.warn(`real-world role checks skipped: ${set.missing}`);

interface Examined {
  image: RealImage;
  evidence: ImageEvidence;
}

let all: Examined[] = [];
const of = (category: RealImage['category']) => all.filter((x) => x.image.category === category);
const document = (x: Examined): boolean => !!x.evidence.roles && isDocument(x.evidence.roles.features);

suite('real documents and photos of people', () => {
  beforeAll(async () => {
    await testEngine();
    if ('missing' in set) return;
    all = [];
    for (const image of set.images)
      all.push({ image, evidence: await examine(new Uint8Array(fs.readFileSync(image.path))) });
  }, 600_000);

  it('recognises every document as one (an obscured portrait may be refused as no face)', () => {
    const missed = of('docs')
      .filter((d) => !(d.image.portraitObscured && d.evidence.failure?.error.reason === 'NO_FACE'))
      .filter((d) => d.evidence.failure || !document(d))
      .map((d) => d.image.file);
    expect(missed).toEqual([]);
  });

  it('takes no photo of a person for a document', () => {
    expect(
      of('people')
        .filter((p) => p.evidence.failure || document(p))
        .map((p) => p.image.file),
    ).toEqual([]);
  });

  it('refuses every pair of two photos of people as ID_REQUIRED: none is ever verified', () => {
    const people = of('people');
    const wrong: string[] = [];
    for (const a of people)
      for (const b of people) {
        if (a === b) continue;
        const v = verdict(a.evidence, b.evidence);
        if (v !== 'ID_REQUIRED') wrong.push(`${a.image.file} + ${b.image.file}: ${v}`);
      }
    expect(wrong).toEqual([]);
  });

  it('pairs a document with a photo of a person in either order, and refuses two documents', () => {
    const docs = of('docs').filter((d) => !d.evidence.failure);
    const wrong: string[] = [];
    for (const d of docs) {
      for (const p of of('people'))
        for (const [a, b] of [
          [d, p],
          [p, d],
        ] as const) {
          // Specimens and these people are strangers: the pair is decided, and not a match.
          const v = verdict(a.evidence, b.evidence);
          if (v !== 'not_verified') wrong.push(`${a.image.file} + ${b.image.file}: ${v}`);
        }
      for (const other of docs) {
        if (other === d) continue;
        const v = verdict(d.evidence, other.evidence);
        if (v !== 'SELFIE_REQUIRED') wrong.push(`${d.image.file} + ${other.image.file}: ${v}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a group photo as the selfie', () => {
    const wrong: string[] = [];
    for (const d of of('docs').filter((x) => !x.evidence.failure))
      for (const g of of('groups')) {
        const v = verdict(d.evidence, g.evidence);
        if (v !== 'MULTIPLE_FACES') wrong.push(`${d.image.file} + ${g.image.file}: ${v}`);
      }
    expect(wrong).toEqual([]);
  });
});
