// Presentation-attack signals for one face: human-models' `antispoof` (P(real face), 128 × 128 input) and
// `liveness` (a 2-way softmax, 32 × 32 input), fed as human feeds them (face/antispoof.ts, face/liveness.ts): a
// square crop around the face grown 1.5 × from its mesh's bounding box, resized bilinearly, RGB in [0, 1].
// Both are small single-frame CNNs: they see print and screen texture, not depth or motion (README "Liveness").
// Verify decides on `liveness` alone (inference/liveness-decision.ts says why).
import type { Nets } from './backends/nets';
import { cropAndResizeBatch } from './pixels/crop-resize';
import type { RgbImage } from './pixels/rgb-image';
import type { Face } from './detect';
import { type Box, pointsBox } from './geometry';
import type { PresentationNetworks, PresentationScores } from '../contract/liveness';

const ANTISPOOF_SIZE = 128;
const LIVENESS_SIZE = 32;
/** human's face box: the face mesh's bounding box grown this much, then made square. */
const CROP_GROW = 1.5;
/**
 * face-api's 68 landmarks stop at the eyebrows, while human's 468-point mesh (whose box human grows) reaches the
 * upper forehead, about this fraction of the brow-to-chin height higher (MediaPipe's canonical face).
 */
const FOREHEAD = 0.3;

/** The square crop human feeds both networks, in the image's pixels. */
export function presentationCrop(face: Face): Box {
  const pts = face.landmarks;
  let b = face.box;
  if (pts && pts.length > 0) {
    const { x, y, w, h } = pointsBox(pts);
    b = { x, y: y - FOREHEAD * h, w, h: (1 + FOREHEAD) * h };
  }
  const side = Math.max(b.w, b.h) * CROP_GROW;
  return { x: b.x + b.w / 2 - side / 2, y: b.y + b.h / 2 - side / 2, w: side, h: side };
}

/** Both networks on the face (in `image`'s pixels; parts beyond the image read as zeros, as in human). */
export async function presentationScores(
  nets: Nets,
  image: RgbImage,
  face: Face,
  networks: PresentationNetworks = 'liveness',
): Promise<PresentationScores> {
  const { width: w, height: h } = image;
  const c = presentationCrop(face);
  const box = [c.y / h, c.x / w, (c.y + c.h) / h, (c.x + c.w) / w] as const;
  // tf.image.cropAndResize, bilinear, RGB / 255.
  const crop = (size: number) => cropAndResizeBatch(image, [box], size, 255);
  const [live] = await nets.liveness(crop(LIVENESS_SIZE));
  const [real] = networks === 'both' ? await nets.antispoof(crop(ANTISPOOF_SIZE)) : [];
  return { liveness: live?.[0] ?? NaN, ...(real !== undefined ? { antispoof: real } : {}) };
}
