// The KYC invariant: a Verify is verified only when one image carries positive evidence of being an identity
// document. Two photos of people — real photos as they are, and synthetic selfies over walls, rooms, busy
// backdrops, press walls, signs and captions, the same person or not — are refused as ID_REQUIRED, whichever way
// round, however they compare. (The real-photo development set is checked in roles-realworld.test.ts.)
import * as fs from 'node:fs';
import { emotionLabels, fixturePath, hardSelfieSet, makeSelfie, selfieSet } from '@deepface/fixtures';
import { testEngine } from '../support/engine';
import { examine, verdict } from '../support/pairs';
import type { ImageEvidence } from '../../src/contract/evidence';

const bytes = (b: Buffer): Uint8Array => new Uint8Array(b);

interface Photo {
  name: string;
  bytes: Uint8Array;
  evidence: ImageEvidence;
}

let photos: Photo[] = [];

beforeAll(async () => {
  await testEngine();
  const sources: { name: string; bytes: Uint8Array }[] = [];
  // Real single-person photos, unaltered.
  for (const label of emotionLabels())
    sources.push({
      name: `emotions/${label}`,
      bytes: bytes(fs.readFileSync(fixturePath(`emotions/${label}.jpg`))),
    });
  // Synthetic selfies: every backdrop, face sizes from 15 to 60 % of the frame.
  for (const s of await selfieSet(20, 4242))
    sources.push({ name: `${s.layout} ${s.tags.join(' ')}`, bytes: bytes(s.buffer) });
  // Hard ones: press walls and signs beside the face, captions, white studio sweeps, crowds, patterned clothes.
  for (const s of await hardSelfieSet(16, 4343))
    sources.push({ name: `${s.layout} ${s.tags.join(' ')}`, bytes: bytes(s.buffer) });
  // The same person twice: a pair that would match if it were ever compared.
  for (const photoIndex of [1, 2, 3])
    sources.push({
      name: `leonard ${photoIndex}`,
      bytes: bytes(
        (await makeSelfie({ seed: 90 + photoIndex, person: 'leonard', photoIndex, background: 'busy' }))
          .buffer,
      ),
    });
  photos = [];
  for (const s of sources) photos.push({ ...s, evidence: await examine(s.bytes) });
}, 600_000);

describe('two photos of people never verify', () => {
  it('refuses every ordered pair as ID_REQUIRED', () => {
    const wrong: string[] = [];
    let pairs = 0;
    for (const a of photos)
      for (const b of photos) {
        if (a === b) continue;
        pairs++;
        const v = verdict(a.evidence, b.evidence);
        if (v !== 'ID_REQUIRED') wrong.push(`${a.name} + ${b.name}: ${v}`);
      }
    expect(pairs).toBeGreaterThan(2000);
    expect(wrong).toEqual([]);
  });

  it('answers the same through whole Verify calls', async () => {
    const engine = await testEngine();
    for (const [a, b] of [
      [photos[0]!, photos[1]!],
      [photos.at(-1)!, photos.at(-2)!],
      [photos[10]!, photos[3]!],
    ] as const) {
      const out = await engine.run({ op: 'verify', img1: a.bytes, img2: b.bytes });
      expect(out.ok ? 'accepted' : out.error.reason).toBe('ID_REQUIRED');
    }
  });
});
