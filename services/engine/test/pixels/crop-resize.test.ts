// pixels/crop-resize.ts against tf.div(tf.image.cropAndResize(…), 255) on tfjs-wasm at the sizes the engine uses
// (GEAR 198, antispoof 128, liveness 32), with boxes inside the image, past its borders and larger than it.
import * as tf from '@tensorflow/tfjs';
import { cropAndResizeBatch, type NormalisedBox } from '../../src/inference/pixels/crop-resize';
import { maxAbsDiff, random, useTestImages } from './inputs';

// On the 0-255 scale (the [0, 1] outputs × 255); each float32 step is rounded as the kernel rounds it.
const TOLERANCE = 1e-3;

const testSet = useTestImages();

function boxesFor(seed: number): NormalisedBox[] {
  const next = random(seed);
  const list: NormalisedBox[] = [
    [0, 0, 1, 1],
    [0.1, 0.2, 0.7, 0.6],
    [-0.3, -0.2, 0.5, 0.4], // past the top-left
    [0.6, 0.7, 1.4, 1.25], // past the bottom-right
    [-0.5, -0.5, 1.5, 1.5], // larger than the image
    [0.3, 0.3, 0.31, 0.305], // a few pixels, upscaled
  ];
  for (let k = 0; k < 6; k++) {
    const y = next() * 1.2 - 0.2;
    const x = next() * 1.2 - 0.2;
    list.push([y, x, y + 0.1 + next() * 0.8, x + 0.1 + next() * 0.8]);
  }
  return list;
}

it.each([198, 128, 32])(
  `matches tf.image.cropAndResize / 255 at %i px within ${TOLERANCE} / 255`,
  async (size) => {
    let worst = 0;
    for (const [k, image] of testSet().entries()) {
      const boxes = boxesFor(30 + k);
      const ref = tf.tidy(() =>
        tf.div<tf.Tensor4D>(
          tf.image.cropAndResize(
            tf.expandDims<tf.Tensor4D>(tf.cast(image.tensor, 'float32'), 0),
            boxes.map((b) => [...b]),
            boxes.map(() => 0),
            [size, size],
          ),
          255,
        ),
      );
      const refData = (await ref.data()) as Float32Array;
      ref.dispose();
      const ours = cropAndResizeBatch(image.rgb, boxes, size, 255);
      expect(ours.shape).toEqual([boxes.length, size, size, 3]);
      worst = Math.max(worst, maxAbsDiff(ours.data, refData) * 255);
    }
    console.log(`crop and resize ${size}: ${testSet().length * 12} crops, max |diff| ${worst} (0-255 scale)`);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  },
);
