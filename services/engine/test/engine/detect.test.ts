import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { facesDir, makeSelfie } from '@deepface/fixtures';
import { ok, testEngine } from '../support/engine';

const read = async (rel: string): Promise<Uint8Array> =>
  new Uint8Array(await fs.readFile(path.join(facesDir(), rel)));

describe('Detect and Represent', () => {
  beforeAll(async () => {
    await testEngine();
  });

  it('finds every face of a group photo with 68 landmarks and a quality summary', async () => {
    const r = await ok({ op: 'detect', image: await read('scenes/bbt5.jpg'), skipLandmarks: false });
    expect(r.faces?.length).toBe(5);
    for (const f of r.faces ?? []) {
      expect(f.landmarks?.length).toBe(68);
      expect(Number(f.quality?.face_px)).toBeGreaterThan(40);
      expect(f.quality?.issues).toEqual([]);
    }
    expect([r.image_width, r.image_height]).toEqual([940, 464]);
  });

  it('flags an overexposed face (judged against the selfie limits of the quality gate)', async () => {
    const selfie = await makeSelfie({
      seed: 4,
      person: 'penny',
      photoIndex: 1,
      background: 'wall',
      faceFraction: 0.5,
      blur: 6,
    });
    const sharp = (await import('sharp')).default;
    // Intensities × 2.2: most of the skin clips to white (`pnpm eval quality`: a third of such pairs stop matching).
    const blown = await sharp(selfie.buffer).linear(2.2, 0).jpeg().toBuffer();
    const r = await ok({ op: 'detect', image: new Uint8Array(blown), skipLandmarks: true });
    expect(r.faces?.[0]?.quality?.issues).toEqual(expect.arrayContaining(['glare']));
    expect(r.faces?.[0]?.quality?.acceptable).toBe(false);
    // The same face only darkened and softened is still found and still compares: not flagged.
    const dim = await sharp(selfie.buffer).modulate({ brightness: 0.25 }).jpeg().toBuffer();
    const d = await ok({ op: 'detect', image: new Uint8Array(dim), skipLandmarks: true });
    expect(d.faces?.[0]?.quality?.issues).toEqual([]);
  });

  it('represents the main face, or every face, as 128-d unit-scale descriptors', async () => {
    const one = await ok({ op: 'represent', image: await read('scenes/bbt3.jpg'), allFaces: false });
    const all = await ok({ op: 'represent', image: await read('scenes/bbt3.jpg'), allFaces: true });
    expect(one.faces?.length).toBe(1);
    expect(all.faces?.length).toBe(5);
    for (const f of all.faces ?? []) {
      expect(f.embedding?.length).toBe(128);
      const norm = Math.hypot(...(f.embedding ?? []).map(Number));
      expect(norm).toBeGreaterThan(0.3);
      expect(norm).toBeLessThan(2);
    }
  });

  it('frees every tensor it allocates, on success and on refusal', async () => {
    const engine = await testEngine();
    const image = await read('scenes/bbt1.jpg');
    await engine.run({ op: 'analyze', image, actions: ['AGE', 'GENDER', 'RACE', 'EMOTION'] });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await engine.run({ op: 'analyze', image, actions: ['AGE', 'GENDER', 'RACE', 'EMOTION'] });
      await engine.run({ op: 'verify', img1: image, img2: image });
      await engine.run({ op: 'compare', img1: image, img2: new Uint8Array([1, 2, 3]) });
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
