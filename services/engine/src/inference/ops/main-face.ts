import type { ImageRef__Output } from '@deepface/proto';
import { addLandmarks, type Face } from '../detect';
import { EngineFailure } from '../../contract/failure';
import { withFaceRegion, type Prepared } from '../pipeline';
import { addDescriptors } from '../recognize';
import { predictAgeGender } from '../attributes';
import type { Timer } from '../timer';
import { presentationScores } from '../liveness';
import type { PresentationNetworks, PresentationScores } from '../../contract/liveness';

export const NO_FACE_MESSAGE = 'No clear face detected in one of the images.';

/** What else to read off the main face, from the same face region. */
export interface MainFaceExtras {
  /** The presentation-attack networks' scores. */
  presentation?: PresentationNetworks;
  /** The age network's estimate. */
  age?: boolean;
}

/**
 * The largest face with its landmarks and descriptor: what Verify and Compare compare; with `extras`, also the
 * presentation-attack scores and the estimated age.
 */
export async function describeMainFace(
  p: Prepared,
  timer: Timer,
  ref: ImageRef__Output,
  extras: MainFaceExtras = {},
): Promise<Face & { descriptor: Float32Array; presentation?: PresentationScores; estimatedAge?: number }> {
  const main = p.faces[0];
  if (!main) throw new EngineFailure('NO_FACE', NO_FACE_MESSAGE, ref);
  const read = await withFaceRegion(p, [main], async (region, local) => {
    await timer.time('landmarks', () => addLandmarks(p.nets, region, local));
    await timer.time('descriptor', () => addDescriptors(p.nets, region, local));
    const face = local[0];
    if (!face) return {};
    const networks = extras.presentation;
    const presentation = networks
      ? await timer.time('liveness', () => presentationScores(p.nets, region, face, networks))
      : undefined;
    const age = extras.age
      ? (await timer.time('attributes', () => predictAgeGender(p.nets, region, [face])))[0]?.age
      : undefined;
    return { presentation, age };
  });
  const descriptor = main.descriptor;
  if (!descriptor) throw new EngineFailure('NO_FACE', NO_FACE_MESSAGE, ref);
  return {
    ...main,
    descriptor,
    ...(read.presentation ? { presentation: read.presentation } : {}),
    ...(read.age !== undefined ? { estimatedAge: read.age } : {}),
  };
}
