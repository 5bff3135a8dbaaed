import type { ImageRef__Output } from '@deepface/proto';
import { addLandmarks, type Face } from '../detect';
import { EngineFailure } from '../../contract/failure';
import { withFaceRegion, type Prepared } from '../pipeline';
import { addDescriptors } from '../recognize';
import type { Timer } from '../timer';

export const NO_FACE_MESSAGE = 'No clear face detected in one of the images.';

/** The largest face with its landmarks and descriptor: what Verify and Compare compare. */
export async function describeMainFace(
  p: Prepared,
  timer: Timer,
  ref: ImageRef__Output,
): Promise<Face & { descriptor: Float32Array }> {
  const main = p.faces[0];
  if (!main) throw new EngineFailure('NO_FACE', NO_FACE_MESSAGE, ref);
  await withFaceRegion(p, [main], async (region, local) => {
    await timer.time('landmarks', () => addLandmarks(p.nets, region, local));
    await timer.time('descriptor', () => addDescriptors(p.nets, region, local));
  });
  const descriptor = main.descriptor;
  if (!descriptor) throw new EngineFailure('NO_FACE', NO_FACE_MESSAGE, ref);
  return { ...main, descriptor };
}
