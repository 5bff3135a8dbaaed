// The landmark nets' face batch and the face quality measures, pinned to the bit on fixed pixels and detector-like
// boxes (fractional coordinates), both on a function's first calls and once V8 has optimised it: their loops index
// with int32 whole numbers for speed (README "Performance"), which must not move a value.
import { createHash } from 'node:crypto';
import { mulberry32 } from '@deepface/fixtures';
import type { DecodedImage } from '../../src/contract/image';
import type { Box } from '../../src/inference/geometry';
import { faceInputBatch } from '../../src/inference/pixels/face-input';
import { measureFace } from '../../src/inference/quality';

const WIDTH = 331;
const HEIGHT = 247;

/** Noise over a gradient: neighbouring reads differ, so a shifted index changes the digest. */
function pixels(): Uint8Array {
  const next = mulberry32(15);
  const rgb = new Uint8Array(WIDTH * HEIGHT * 3);
  for (let y = 0; y < HEIGHT; y++)
    for (let x = 0; x < WIDTH; x++)
      for (let c = 0; c < 3; c++) rgb[(y * WIDTH + x) * 3 + c] = (x + 2 * y + 40 * c + next() * 96) & 255;
  return rgb;
}

const BOXES: Box[] = [
  { x: 101.37, y: 40.82, w: 120.4, h: 150.9 }, // inside
  { x: -12.6, y: -8.3, w: 90.25, h: 70.5 }, // past the top-left corner
  { x: 250.5, y: 180.1, w: 140.7, h: 99.9 }, // past the bottom-right corner
  { x: 3.5, y: 7.25, w: 300.75, h: 230.5 }, // larger than the quality sample
  { x: 60.2, y: 30.6, w: 12.4, h: 33.3 }, // small and tall
];

const digest = (values: Float32Array | number[]): string =>
  createHash('sha256')
    .update(
      values instanceof Float32Array
        ? Buffer.from(values.buffer, values.byteOffset, values.byteLength)
        : JSON.stringify(values),
    )
    .digest('hex')
    .slice(0, 16);

const rgb = pixels();

it('the 112 × 112 face batch is the same to the bit, before and after optimisation', () => {
  const run = (): string => digest(faceInputBatch({ rgb, width: WIDTH, height: HEIGHT }, BOXES).batch.data);
  const first = run();
  for (let k = 0; k < 300; k++) run();
  expect([first, run()]).toEqual(['13dc8e60ac94fdb2', '13dc8e60ac94fdb2']);
});

it('the quality measures are the same to the bit, before and after optimisation', () => {
  const image = { rgb, workWidth: WIDTH, workHeight: HEIGHT, scale: 1.5 } as DecodedImage;
  const run = (): string =>
    digest(
      BOXES.flatMap((box) => {
        const m = measureFace(image, { box, score: 0.9, detector: 'tiny' });
        return [m.facePx, m.brightness, m.contrast, m.laplacian, m.sharpness, m.glare];
      }),
    );
  const first = run();
  for (let k = 0; k < 200; k++) run();
  expect([first, run()]).toEqual(['373fa10775dd26df', '373fa10775dd26df']);
});
