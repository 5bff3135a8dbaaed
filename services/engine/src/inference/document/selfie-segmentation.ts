// MediaPipe's selfie segmentation (human-models' `selfie`, run by the backend's Nets: 256×256 RGB in 0..1 → the
// probability that each pixel shows a person). Verify asks it one question of a document candidate without an
// MRZ: does the person under the face run on out of the frame, as a person photographed does, or stop at the
// edge of a printed portrait?
import type { Nets } from '../backends/nets';
import { resizeBilinear } from '../pixels/resize-bilinear';
import { assertRgbImage, type RgbImage } from '../pixels/rgb-image';

const SEGMENTATION_SIZE = 256;

/** A person mask: `size`×`size` probabilities over the whole image (stretched to a square), row-major. */
export interface PersonMask {
  size: number;
  data: Float32Array;
}

/** Segments an RGB image (plain pixels, 0..255): resized to 256 × 256 here (tfjs' resize, in TypeScript). */
export async function segmentPerson(nets: Nets, image: RgbImage): Promise<PersonMask> {
  assertRgbImage(image);
  const input = resizeBilinear(image.rgb, image.width, image.height, SEGMENTATION_SIZE, SEGMENTATION_SIZE);
  for (let i = 0; i < input.length; i++) input[i] = (input[i] as number) / 255;
  return { size: SEGMENTATION_SIZE, data: await nets.personMask(input) };
}
