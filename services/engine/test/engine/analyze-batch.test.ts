// Analyze reads every face of an image in one batch per attribute network, and age/gender and expressions share
// one batch of 112-px crops: on a real group photo, each face's attributes are what a run on that face alone
// gives, and what each action asked alone gives.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { facesDir } from '@deepface/fixtures';
import type { AnalyzeResponse } from '@deepface/proto';
import { ageGenderOf, attributeBatch, emotionsOf, predictRace } from '../../src/inference/attributes';
import { addLandmarks } from '../../src/inference/detect';
import { decodeImage } from '../../src/inference/image/decode';
import { prepareDecoded, withFaceRegion } from '../../src/inference/pipeline';
import { Timer } from '../../src/inference/timer';
import { ok, testEngine } from '../support/engine';

const LIMITS = { maxPixels: 40e6, workMaxSide: 1600 };
const GROUP = 'scenes/bbt4.jpg';

const read = async (rel: string): Promise<Uint8Array> =>
  new Uint8Array(await fs.readFile(path.join(facesDir(), rel)));

beforeAll(async () => {
  await testEngine();
});

describe('Analyze batches', () => {
  it("gives each face of a group photo what a run on that face's crops alone gives", async () => {
    const { nets } = (await testEngine()).context;
    const prepared = await prepareDecoded(await decodeImage(await read(GROUP), LIMITS), nets, new Timer(), {
      mode: 'ssd-first',
    });
    expect(prepared.faces.length).toBeGreaterThanOrEqual(5);
    const { batched, alone } = await withFaceRegion(prepared, prepared.faces, async (region, local) => {
      await addLandmarks(nets, region, local);
      const batch = attributeBatch(region, local);
      const run = async (faces: typeof local, shared = attributeBatch(region, faces)) => ({
        ageGender: await ageGenderOf(nets, shared),
        emotion: await emotionsOf(nets, shared),
        race: await predictRace(nets, region, faces),
      });
      const batched = await run(local, batch);
      const alone = [];
      for (const face of local) alone.push(await run([face]));
      return { batched, alone };
    });
    alone.forEach((one, i) => {
      expect(batched.ageGender[i]).toEqual(one.ageGender[0]);
      expect(batched.emotion[i]).toEqual(one.emotion[0]);
      expect(batched.race[i]).toEqual(one.race[0]);
    });
  });

  it('gives with all four actions what each action asked alone gives', async () => {
    const image = await read(GROUP);
    const analyze = (actions: ('AGE' | 'GENDER' | 'RACE' | 'EMOTION')[]): Promise<AnalyzeResponse> =>
      ok({ op: 'analyze', image, actions });
    const all = (await analyze(['AGE', 'GENDER', 'RACE', 'EMOTION'])).faces ?? [];
    expect(all.length).toBeGreaterThanOrEqual(5);
    const age = (await analyze(['AGE'])).faces ?? [];
    const gender = (await analyze(['GENDER'])).faces ?? [];
    const emotion = (await analyze(['EMOTION'])).faces ?? [];
    const race = (await analyze(['RACE'])).faces ?? [];
    all.forEach((face, i) => {
      expect(face.age).toEqual(age[i]?.age);
      expect(face.gender).toEqual(gender[i]?.gender);
      expect(face.emotion).toEqual(emotion[i]?.emotion);
      expect(face.race).toEqual(race[i]?.race);
    });
  });
});
