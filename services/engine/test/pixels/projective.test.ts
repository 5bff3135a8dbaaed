// pixels/projective.ts against tf.image.transform(…, 'bilinear', 'constant', 0, [150, 150]) on tfjs-wasm: the
// aligned descriptor chips (similarities at several scales and angles, partly beyond the image) and a projective map.
import * as tf from '@tensorflow/tfjs';
import { projectiveBatch, type Projective } from '../../src/inference/pixels/projective';
import { maxAbsDiff, random, useTestImages } from './inputs';

// On the 0-255 scale; each float32 step is rounded as the kernel rounds it.
const TOLERANCE = 1e-3;
const CHIP = 150;

const testSet = useTestImages();

/** recognize.ts's chip transform: side `size` px centred on (cx, cy), rotated by `roll`. */
function similarity(cx: number, cy: number, size: number, roll: number): Projective {
  const s = size / CHIP;
  const c = Math.cos(roll);
  const n = Math.sin(roll);
  const ox = CHIP * 0.5;
  const oy = CHIP * 0.43;
  return [s * c, -s * n, cx - s * c * ox + s * n * oy, s * n, s * c, cy - s * n * ox - s * c * oy, 0, 0];
}

function transformsFor(width: number, height: number, seed: number): Projective[] {
  const next = random(seed);
  const list: Projective[] = [
    similarity(width / 2, height / 2, Math.min(width, height) * 0.6, 0),
    similarity(width / 2, height / 2, Math.min(width, height) * 0.6, 0.3),
    similarity(0, 0, width, -0.9), // mostly beyond the top-left
    similarity(width, height, 40, 2.5), // beyond the bottom-right, upside down
    similarity(width / 3, height / 3, 7, 0.1), // upscaled from a few pixels
    [1.1, 0.05, 3.5, -0.07, 0.9, 2.25, 0.0004, -0.0003], // projective
  ];
  for (let k = 0; k < 6; k++)
    list.push(similarity(next() * width, next() * height, 10 + next() * width, (next() - 0.5) * 2));
  return list;
}

it(`matches tf.image.transform (bilinear, constant 0, 150 × 150) within ${TOLERANCE}`, async () => {
  let worst = 0;
  let count = 0;
  for (const [k, image] of testSet().entries()) {
    const transforms = transformsFor(image.rgb.width, image.rgb.height, 20 + k);
    const ref = tf.tidy(() => {
      const source = tf.expandDims<tf.Tensor4D>(tf.cast(image.tensor, 'float32'), 0);
      return tf.concat(
        transforms.map((t) =>
          tf.image.transform(source, tf.tensor2d([[...t]]), 'bilinear', 'constant', 0, [CHIP, CHIP]),
        ),
        0,
      );
    });
    const refData = (await ref.data()) as Float32Array;
    ref.dispose();
    const ours = projectiveBatch(image.rgb, transforms, CHIP);
    expect(ours.shape).toEqual([transforms.length, CHIP, CHIP, 3]);
    const gap = maxAbsDiff(ours.data, refData);
    console.log(`transform, ${image.name}: ${transforms.length} chips, max |diff| ${gap}`);
    worst = Math.max(worst, gap);
    count += transforms.length;
  }
  console.log(`transform: ${count} chips, max |diff| ${worst} (0-255 scale)`);
  expect(count).toBe(testSet().length * 12);
  expect(worst).toBeLessThanOrEqual(TOLERANCE);
});
