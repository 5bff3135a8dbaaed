import type { ImageRef__Output } from '@deepface/proto';
import { addLandmarks, type Face } from '../detect';
import { EngineFailure } from '../../contract/failure';
import { withFaceRegion, type Prepared } from '../pipeline';
import { addDescriptors } from '../recognize';
import type { Timer } from '../timer';
import { presentationScores } from '../liveness';
import type { PresentationNetworks, PresentationScores } from '../../contract/liveness';

export const NO_FACE_MESSAGE = 'No clear face detected in one of the images.';

/**
 * The largest face with its landmarks and descriptor: what Verify and Compare compare; with `presentation`, also
 * the presentation-attack networks' scores on it (read from the same face region).
 */
export async function describeMainFace(
  p: Prepared,
  timer: Timer,
  ref: ImageRef__Output,
  presentation?: PresentationNetworks,
): Promise<Face & { descriptor: Float32Array; presentation?: PresentationScores }> {
  const main = p.faces[0];
  if (!main) throw new EngineFailure('NO_FACE', NO_FACE_MESSAGE, ref);
  const scores = await withFaceRegion(p, [main], async (region, local) => {
    await timer.time('landmarks', () => addLandmarks(p.nets, region, local));
    await timer.time('descriptor', () => addDescriptors(p.nets, region, local));
    const face = local[0];
    return presentation && face
      ? await timer.time('liveness', () => presentationScores(p.nets, region, face, presentation))
      : undefined;
  });
  const descriptor = main.descriptor;
  if (!descriptor) throw new EngineFailure('NO_FACE', NO_FACE_MESSAGE, ref);
  return { ...main, descriptor, ...(scores ? { presentation: scores } : {}) };
}
