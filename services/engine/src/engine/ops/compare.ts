import type { CompareResponse } from '@deepface/proto';
import { resemblance, THRESHOLD } from '../calibration';
import { modelInfo, type EngineContext } from '../context';
import { detectorLabel } from '../detect';
import { facialArea, withPrepared, type Prepared } from '../pipeline';
import { euclidean } from '../recognize';
import { Timer } from '../timer';
import { describeMainFace } from './main-face';

/** Look-alike: the main (largest) face of each image, on the calibrated similarity scale. */
export async function compare(
  ctx: EngineContext,
  input: { img1: Uint8Array; img2: Uint8Array },
): Promise<CompareResponse> {
  const timer = new Timer();
  const images = [
    { bytes: input.img1, ref: 'IMG1' },
    { bytes: input.img2, ref: 'IMG2' },
  ] as const;
  return withPrepared(images, ctx.limits, timer, { mode: 'cascade' }, async (prepared) => {
    const [p1, p2] = prepared as [Prepared, Prepared];
    const f1 = await describeMainFace(p1, timer, 'IMG1');
    const f2 = await describeMainFace(p2, timer, 'IMG2');
    const distance = euclidean(f1.descriptor ?? new Float32Array(), f2.descriptor ?? new Float32Array());
    const r = resemblance(distance);
    return {
      distance: Math.round(distance * 1e6) / 1e6,
      similarity: r.similarity,
      label: r.label,
      same_person: r.same,
      threshold: THRESHOLD,
      img1_area: facialArea(p1, f1),
      img2_area: facialArea(p2, f2),
      model: modelInfo(ctx, detectorLabel([f1, f2])),
      timings: timer.timings(),
    };
  });
}
