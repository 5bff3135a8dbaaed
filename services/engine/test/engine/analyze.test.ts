import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { emotionLabels, facesDir } from '@deepface/fixtures';
import { EMOTIONS } from '../../src/inference/attributes';
import { ok, refused, testEngine } from '../support/engine';

const read = async (rel: string): Promise<Uint8Array> =>
  new Uint8Array(await fs.readFile(path.join(facesDir(), rel)));
const sum = (scores: { percent?: number | string }[] | undefined): number =>
  Math.round((scores ?? []).reduce((a, s) => a + Number(s.percent), 0) * 100) / 100;

beforeAll(async () => {
  await testEngine();
});

describe('Analyze', () => {
  it('names the labelled emotion as dominant on at least 6 of the 7 samples', async () => {
    const labels = emotionLabels();
    expect(labels.length).toBe(7);
    let right = 0;
    for (const label of labels) {
      const r = await ok({ op: 'analyze', image: await read(`emotions/${label}.jpg`), actions: ['EMOTION'] });
      const emotion = r.faces?.[0]?.emotion;
      expect(emotion?.scores?.map((s) => s.label).sort()).toEqual([
        'angry',
        'disgust',
        'fear',
        'happy',
        'neutral',
        'sad',
        'surprise',
      ]);
      expect(sum(emotion?.scores)).toBe(100);
      if (emotion?.dominant === EMOTIONS[label]) right++;
    }
    expect(right).toBeGreaterThanOrEqual(6);
  });

  it('analyses every face of a group photo, each with its own region and all four attributes', async () => {
    const r = await ok({
      op: 'analyze',
      image: await read('scenes/bbt4.jpg'),
      actions: ['AGE', 'GENDER', 'RACE', 'EMOTION'],
    });
    const faces = r.faces ?? [];
    expect(faces.length).toBeGreaterThanOrEqual(5);
    const xs = new Set(faces.map((f) => Math.round(Number(f.region?.x) / 20)));
    expect(xs.size).toBe(faces.length);
    for (const f of faces) {
      expect(Number(f.face_confidence)).toBeGreaterThan(0.4);
      expect(Number(f.age?.age)).toBeGreaterThan(10);
      expect(Number(f.age?.age)).toBeLessThan(80);
      expect(['Man', 'Woman']).toContain(f.gender?.dominant);
      expect(sum(f.gender?.scores)).toBe(100);
      // GEAR predicts exactly these five classes; nothing is invented for the API's other names.
      expect(f.race?.scores?.map((s) => s.label)).toEqual(['white', 'black', 'asian', 'indian', 'other']);
      expect(sum(f.race?.scores)).toBe(100);
      expect(sum(f.emotion?.scores)).toBe(100);
    }
  });

  it('returns only the requested attributes', async () => {
    const r = await ok({ op: 'analyze', image: await read('emotions/happy.jpg'), actions: ['AGE'] });
    const face = r.faces?.[0];
    expect(face?.age?.age).toBeDefined();
    expect(face?.gender).toBeNull();
    expect(face?.race).toBeNull();
    expect(face?.emotion).toBeNull();
  });

  it('tells women from men on the identities', async () => {
    const expected: Record<string, string> = {
      amy: 'Woman',
      penny: 'Woman',
      bernadette: 'Woman',
      leonard: 'Man',
      sheldon: 'Man',
      howard: 'Man',
      raj: 'Man',
      stuart: 'Man',
    };
    let right = 0;
    for (const [person, gender] of Object.entries(expected)) {
      const r = await ok({
        op: 'analyze',
        image: await read(`people/${person}/${person}1.png`),
        actions: ['GENDER'],
      });
      if (r.faces?.[0]?.gender?.dominant === gender) right++;
    }
    expect(right).toBeGreaterThanOrEqual(7);
  });

  it('an image without a face → NO_FACE', async () => {
    const sharp = (await import('sharp')).default;
    const blank = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    expect((await refused({ op: 'analyze', image: new Uint8Array(blank), actions: ['AGE'] })).reason).toBe(
      'NO_FACE',
    );
  });

  it('no actions → BAD_REQUEST', async () => {
    expect(
      (await refused({ op: 'analyze', image: await read('emotions/happy.jpg'), actions: [] })).reason,
    ).toBe('BAD_REQUEST');
  });
});
