import type { Action__Output, AnalyzeResponse, FaceAnalysis } from '@deepface/proto';
import { ageGenderOf, attributeBatch, emotionsOf } from '../attributes';
import { modelInfo, type EngineContext } from '../context';
import { addLandmarks, detectorLabel } from '../detect';
import { EngineFailure } from '../../contract/failure';
import { MODEL_NAMES } from '../about';
import { facialArea, withFaceRegion, withPreparedImage } from '../pipeline';
import { Timer } from '../timer';
import type { SharePort } from '../../contract/share';
import { helperOver, startRace } from './race-share';

const ACTIONS: readonly Action__Output[] = ['AGE', 'GENDER', 'RACE', 'EMOTION'];

/**
 * Age, gender, race and emotion of every face; each face is analysed on its own crop. With a share port, part of
 * the faces' GEAR may run on an idle worker (race-share.ts).
 */
export async function analyze(
  ctx: EngineContext,
  input: { image: Uint8Array; actions: Action__Output[]; share?: SharePort },
): Promise<AnalyzeResponse> {
  const actions = new Set(input.actions);
  if (actions.size === 0 || [...actions].some((a) => !ACTIONS.includes(a)))
    throw new EngineFailure(
      'BAD_REQUEST',
      'actions must be a non-empty subset of AGE, GENDER, RACE, EMOTION.',
    );
  const timer = new Timer();
  return withPreparedImage(ctx, input.image, timer, { mode: 'ssd-first' }, async (prepared) => {
    const faces = prepared.faces;
    if (faces.length === 0) throw new EngineFailure('NO_FACE', 'No face detected in the image.', 'IMG1');
    const results = await withFaceRegion(prepared, faces, async (region, local) => {
      await timer.time('landmarks', () => addLandmarks(ctx.nets, region, local));
      return timer.time('attributes', async () => {
        // GEAR's crops first: with a helper, the other worker runs some of them while this one runs the rest.
        const race = actions.has('RACE')
          ? startRace(ctx.nets, region, local, input.share && helperOver(input.share))
          : undefined;
        const ageGender = actions.has('AGE') || actions.has('GENDER');
        const emotion = actions.has('EMOTION');
        // Age/gender and expressions read the same 112-px crops: built once for both.
        const batch = ageGender || emotion ? attributeBatch(region, local) : undefined;
        return {
          ageGender: batch && ageGender ? await ageGenderOf(ctx.nets, batch) : [],
          emotion: batch && emotion ? await emotionsOf(ctx.nets, batch) : [],
          race: race ? await race() : [],
        };
      });
    });
    const analyses: FaceAnalysis[] = faces.map((f, i) => {
      const ag = results.ageGender[i];
      return {
        region: facialArea(prepared, f),
        face_confidence: Math.round(f.score * 100) / 100,
        age: actions.has('AGE') && ag ? { age: ag.age, model: MODEL_NAMES.ageGender } : null,
        gender: actions.has('GENDER') && ag ? ag.gender : null,
        race: results.race[i] ?? null,
        emotion: results.emotion[i] ?? null,
      };
    });
    return { faces: analyses, model: modelInfo(ctx, detectorLabel(faces)), timings: timer.timings() };
  });
}
