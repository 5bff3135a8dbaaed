// Images for the pixel-op tests: real photos of the shared fixtures (a face close-up, two scenes) and small
// synthetic ones of odd sizes, each with the int32 tensor tfjs read before (the reference ops run on it).
import * as path from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { facesDir, mulberry32 } from '@deepface/fixtures';
import { initBackend } from '../../src/inference/backends/index';
import type { RgbImage } from '../../src/inference/pixels/rgb-image';

export interface TestImage {
  name: string;
  rgb: RgbImage;
  tensor: tf.Tensor3D;
}

/** A deterministic pseudo-random generator (the fixtures' mulberry32): the same boxes on every run. */
export const random = mulberry32;

function synthetic(name: string, width: number, height: number, seed: number): RgbImage {
  const next = random(seed);
  return {
    rgb: Uint8Array.from({ length: width * height * 3 }, () => Math.floor(next() * 256)),
    width,
    height,
  };
}

export async function testImages(): Promise<TestImage[]> {
  const files = ['emotions/happy.jpg', 'scenes/bbt1.jpg', 'scenes/sample2.jpg'];
  const images: { name: string; rgb: RgbImage }[] = [];
  for (const file of files) {
    const { data, info } = await sharp(path.join(facesDir(), file))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    images.push({ name: file, rgb: { rgb: new Uint8Array(data), width: info.width, height: info.height } });
  }
  images.push({ name: 'noise 53×37', rgb: synthetic('noise', 53, 37, 1) });
  images.push({ name: 'noise 7×120', rgb: synthetic('noise', 7, 120, 2) });
  return images.map((i) => ({
    ...i,
    tensor: tf.tensor3d(Int32Array.from(i.rgb.rgb), [i.rgb.height, i.rgb.width, 3], 'int32'),
  }));
}

/** Largest absolute difference between two arrays of the same length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/**
 * The test images on tfjs' wasm backend (the reference ops' backend), loaded before a file's tests and freed after:
 * call at the top of a test file, read the images through the getter inside tests.
 */
export function useTestImages(): () => TestImage[] {
  let images: TestImage[] = [];
  beforeAll(async () => {
    await initBackend('wasm');
    images = await testImages();
  }, 60_000);
  afterAll(() => images.forEach((i) => i.tensor.dispose()));
  return () => images;
}
