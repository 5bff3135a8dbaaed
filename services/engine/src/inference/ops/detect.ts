import type { DetectResponse, RepresentResponse } from '@deepface/proto';
import { modelInfo, type EngineContext } from '../context';
import { addLandmarks, detectorLabel } from '../detect';
import { EngineFailure } from '../../contract/failure';
import { facialArea, imagePoint, withFaceRegion, withPreparedImage } from '../pipeline';
import { qualityOf } from '../quality';
import { addDescriptors } from '../recognize';
import { Timer } from '../timer';

const round1 = (v: number): number => Math.round(v * 10) / 10;

/** Every face with its box, score, 68 landmarks (unless skipped) and a quality summary. */
export async function detect(
  ctx: EngineContext,
  input: { image: Uint8Array; skipLandmarks: boolean },
): Promise<DetectResponse> {
  const timer = new Timer();
  return withPreparedImage(ctx, input.image, timer, { mode: 'ssd-first' }, async (prepared) => {
    if (!input.skipLandmarks && prepared.faces.length > 0)
      await timer.time('landmarks', () =>
        withFaceRegion(prepared, prepared.faces, (region, local) => addLandmarks(ctx.nets, region, local)),
      );
    return {
      faces: prepared.faces.map((f) => ({
        area: facialArea(prepared, f),
        score: Math.round(f.score * 1000) / 1000,
        landmarks: (f.landmarks ?? []).map((pt) => {
          const q = imagePoint(prepared, pt);
          return { x: round1(q.x), y: round1(q.y) };
        }),
        quality: qualityOf(prepared.image, f),
      })),
      image_width: prepared.image.width,
      image_height: prepared.image.height,
      model: modelInfo(ctx, detectorLabel(prepared.faces)),
      timings: timer.timings(),
    };
  });
}

/** 128-d descriptors of the main face, or of every face. */
export async function represent(
  ctx: EngineContext,
  input: { image: Uint8Array; allFaces: boolean },
): Promise<RepresentResponse> {
  const timer = new Timer();
  return withPreparedImage(
    ctx,
    input.image,
    timer,
    { mode: input.allFaces ? 'ssd-first' : 'cascade' },
    async (prepared) => {
      const faces = input.allFaces ? prepared.faces : prepared.faces.slice(0, 1);
      if (faces.length === 0) throw new EngineFailure('NO_FACE', 'No face detected in the image.', 'IMG1');
      await withFaceRegion(prepared, faces, async (region, local) => {
        await timer.time('landmarks', () => addLandmarks(ctx.nets, region, local));
        await timer.time('descriptor', () => addDescriptors(ctx.nets, region, local));
      });
      return {
        faces: faces.map((f) => ({
          area: facialArea(prepared, f),
          score: Math.round(f.score * 1000) / 1000,
          embedding: Array.from(f.descriptor ?? []),
        })),
        model: modelInfo(ctx, detectorLabel(faces)),
        timings: timer.timings(),
      };
    },
  );
}
