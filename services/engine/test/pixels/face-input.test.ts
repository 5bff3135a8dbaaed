// pixels/face-input.ts against what it replaces: face-api's extractFaceTensors + NetInput.toBatchTensor(112, true)
// on tfjs-wasm, for boxes inside the image, past each border, larger than it, tiny, tall and wide.
import type * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import type { Box } from '../../src/inference/geometry';
import { faceInputBatch } from '../../src/inference/pixels/face-input';
import { maxAbsDiff, random, useTestImages, type TestImage } from './inputs';

// On the 0-255 scale; the op rounds each float32 step as the kernel does, so the two agree to the last bit or so.
const TOLERANCE = 1e-3;

const testSet = useTestImages();

function boxesFor(width: number, height: number, seed: number): Box[] {
  const next = random(seed);
  const boxes: Box[] = [
    { x: 0, y: 0, w: width, h: height },
    { x: -0.4 * width, y: -0.3 * height, w: 0.8 * width, h: 0.5 * height }, // past the top-left corner
    { x: 0.6 * width, y: 0.7 * height, w: 0.9 * width, h: 0.6 * height }, // past the bottom-right corner
    { x: -10.5, y: -7.25, w: width + 30.5, h: height + 13 }, // larger than the image
    { x: 1.5, y: 2.7, w: 1, h: 1.6 }, // a pixel or two
    { x: 0.2 * width, y: 0.1 * height, w: 3.3, h: 0.8 * height }, // tall: odd centring pad
    { x: 0.1 * width, y: 0.2 * height, w: 0.85 * width, h: 4.2 }, // wide
    { x: 3.2, y: 1.9, w: 112, h: 112 }, // already the input's side (no resize) where the image allows
  ];
  for (let k = 0; k < 8; k++) {
    const w = 4 + next() * width;
    const h = 4 + next() * height;
    boxes.push({ x: (next() - 0.2) * width, y: (next() - 0.2) * height, w, h });
  }
  // Keep those face-api keeps (at least one pixel of the image), as the engine requires.
  return boxes.filter((b) => b.x < width - 1 && b.y < height - 1 && b.x + b.w >= 1 && b.y + b.h >= 1);
}

async function reference(
  image: TestImage,
  boxes: Box[],
): Promise<{ data: Float32Array; shapes: number[][] }> {
  const crops = (await faceapi.extractFaceTensors(
    image.tensor as unknown as faceapi.tf.Tensor3D,
    boxes.map((b) => new faceapi.Rect(b.x, b.y, b.w, b.h)),
  )) as unknown as tf.Tensor3D[];
  try {
    expect(crops).toHaveLength(boxes.length);
    const netInput = await faceapi.toNetInput(crops);
    const batch = netInput.toBatchTensor(112, true) as unknown as tf.Tensor4D;
    const data = (await batch.data()) as Float32Array;
    batch.dispose();
    return { data, shapes: crops.map((c) => c.shape) };
  } finally {
    crops.forEach((c) => c.dispose());
  }
}

it(`matches face-api's crops and 112 × 112 batch within ${TOLERANCE}`, async () => {
  let worst = 0;
  let count = 0;
  for (const [k, image] of testSet().entries()) {
    const boxes = boxesFor(image.rgb.width, image.rgb.height, 10 + k);
    const ref = await reference(image, boxes);
    const ours = faceInputBatch(image.rgb, boxes);
    expect(ours.batch.shape).toEqual([boxes.length, 112, 112, 3]);
    expect(ours.crops.map((c) => [c.height, c.width, 3])).toEqual(ref.shapes);
    const gap = maxAbsDiff(ours.batch.data, ref.data);
    console.log(`face input, ${image.name}: ${boxes.length} boxes, max |diff| ${gap}`);
    worst = Math.max(worst, gap);
    count += boxes.length;
  }
  console.log(`face input: ${count} crops, max |diff| ${worst} (0-255 scale)`);
  expect(count).toBeGreaterThan(40);
  expect(worst).toBeLessThanOrEqual(TOLERANCE);
});

it('refuses a box with no pixel of the image, as face-api drops it', () => {
  const image = testSet()[0]!;
  expect(() => faceInputBatch(image.rgb, [{ x: image.rgb.width + 2, y: 0, w: 10, h: 10 }])).toThrow(
    'outside the image',
  );
});
