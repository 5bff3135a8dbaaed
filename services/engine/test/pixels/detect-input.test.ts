// The detectors' inputs built in plain TypeScript (inference/pixels/) against the tfjs ops they replace, on wasm
// (the kernels the engine ran them on): face-api's square batch, the margin copy and the plain resize, on real
// fixture images and odd sizes. Values are on the 0..255 scale.
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { facesDir } from '@deepface/fixtures';
import { initBackend } from '../../src/inference/backends/index';
import { toSquareBatch } from '../../src/inference/backends/tfjs/common';
import { marginCopy } from '../../src/inference/pixels/pad';
import { resizeBilinear } from '../../src/inference/pixels/resize-bilinear';
import type { RgbImage } from '../../src/inference/pixels/rgb-image';
import { squareInput, squareInputInto, withSquareInput } from '../../src/inference/pixels/square-input';

const TOLERANCE = 1e-3;
const FIXTURES = facesDir();

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

const images: { name: string; image: RgbImage }[] = [];

function synthetic(width: number, height: number, seed: number): RgbImage {
  const rgb = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * seed + (i >> 5) * 13) % 256);
  return { rgb, width, height };
}

const tensorOf = (image: RgbImage): tf.Tensor3D =>
  image.rgb instanceof Uint8Array
    ? tf.tensor3d(Int32Array.from(image.rgb), [image.height, image.width, 3], 'int32')
    : tf.tensor3d(image.rgb, [image.height, image.width, 3], 'float32');

beforeAll(async () => {
  await initBackend('wasm');
  const files = [
    path.join(FIXTURES, 'emotions', 'happy.jpg'),
    path.join(FIXTURES, 'scenes', 'bbt1.jpg'),
    path.join(FIXTURES, 'scenes', 'sample2.jpg'),
  ];
  for (const file of files) {
    if (!fs.existsSync(file)) throw new Error(`fixture ${file} missing`);
    const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    images.push({
      name: path.basename(file),
      image: { rgb: new Uint8Array(data), width: info.width, height: info.height },
    });
    // The same photo at odd sizes, portrait and landscape, and one crop that is exactly a detector input wide.
    for (const [w, h] of [
      [417, 313],
      [231, 589],
      [1003, 777],
      [416, 300],
      // A detection copy (long side 832): to 416 every weight is 0 and resize-bilinear samples instead.
      [832, 624],
      [624, 832],
    ] as const) {
      const r = await sharp(file).removeAlpha().resize(w, h, { fit: 'fill' }).raw().toBuffer();
      images.push({
        name: `${path.basename(file)}@${w}x${h}`,
        image: { rgb: new Uint8Array(r), width: w, height: h },
      });
    }
  }
  images.push({ name: 'synthetic 1x1', image: synthetic(1, 1, 7) });
  images.push({ name: 'synthetic 3x800', image: synthetic(3, 800, 11) });
});

describe('square detector input (face-api toBatchTensor(size, false))', () => {
  it.each([416, 512, 800, 160])('matches tfjs at %i', async (size) => {
    let worst = 0;
    for (const { name, image } of images) {
      const want = tf.tidy(() => toSquareBatch(tensorOf(image), size));
      const expected = (await want.data()) as Float32Array;
      want.dispose();
      const got = squareInput(image, size);
      const d = maxAbs(got, expected);
      if (d > TOLERANCE) throw new Error(`${name} at ${size}: max abs diff ${d}`);
      worst = Math.max(worst, d);
    }
    console.log(`square input ${size}: max abs diff ${worst} over ${images.length} images`);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  });

  it('a reused buffer holds nothing of the image before', () => {
    const [big, small] = [images[3]?.image, images[2]?.image] as RgbImage[];
    const buffer = new Float32Array(416 * 416 * 3).fill(99);
    squareInputInto(big as RgbImage, 416, buffer);
    squareInputInto(small as RgbImage, 416, buffer);
    expect(maxAbs(buffer, squareInput(small as RgbImage, 416))).toBe(0);
  });

  it('lends a buffer per call, a second one to a call arriving while it is lent', async () => {
    const a = images[0]?.image as RgbImage;
    const b = images[1]?.image as RgbImage;
    const seen: Float32Array[] = [];
    await withSquareInput(a, 416, async (outer) => {
      seen.push(outer);
      await withSquareInput(b, 416, async (inner) => {
        seen.push(inner);
        expect(inner).not.toBe(outer);
      });
      expect(maxAbs(outer, squareInput(a, 416))).toBe(0);
    });
    await withSquareInput(b, 416, async (again) => {
      expect(seen).toContain(again);
      expect(maxAbs(again, squareInput(b, 416))).toBe(0);
    });
  });
});

describe('plain resize (tfjs resizeBilinear, no corner alignment)', () => {
  it('matches tfjs, down and up, on bytes and floats', async () => {
    let worst = 0;
    for (const { name, image } of images.slice(0, 8)) {
      for (const [w, h] of [
        [256, 256],
        [Math.max(1, Math.round(image.width * 0.37)), Math.max(1, Math.round(image.height * 0.37))],
        [image.width * 2 + 1, image.height + 3],
      ] as const) {
        for (const src of [image, { ...image, rgb: Float32Array.from(image.rgb, (v) => v + 0.25) }]) {
          const want = tf.tidy(() => tf.image.resizeBilinear(tf.cast(tensorOf(src), 'float32'), [h, w]));
          const expected = (await want.data()) as Float32Array;
          want.dispose();
          const d = maxAbs(resizeBilinear(src.rgb, src.width, src.height, w, h), expected);
          if (d > TOLERANCE) throw new Error(`${name} → ${w}×${h}: max abs diff ${d}`);
          worst = Math.max(worst, d);
        }
      }
    }
    console.log(`resize: max abs diff ${worst}`);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('integer ratios (resize-bilinear samples the source: every weight is 0)', () => {
  // One output value of the interpolation at tfjs' source coordinates (the reference for integer ratios only: the
  // general path rounds its row buffers to float32, which an integer ratio's zero weights never need).
  function interpolated(
    src: RgbImage,
    width: number,
    height: number,
    x: number,
    y: number,
    c: number,
  ): number {
    const sx = Math.fround(Math.fround(src.width / width) * x);
    const sy = Math.fround(Math.fround(src.height / height) * y);
    const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
    const [x1, y1] = [Math.min(src.width - 1, Math.ceil(sx)), Math.min(src.height - 1, Math.ceil(sy))];
    const [fx, fy] = [Math.fround(sx - x0), Math.fround(sy - y0)];
    const at = (px: number, py: number): number => src.rgb[(py * src.width + px) * 3 + c] as number;
    const top = at(x0, y0) + (at(x1, y0) - at(x0, y0)) * fx;
    const bottom = at(x0, y1) + (at(x1, y1) - at(x0, y1)) * fx;
    return Math.fround(fy === 0 || y1 === y0 ? top : top + (bottom - top) * fy);
  }

  it.each([
    [832, 624, 416, 312],
    [624, 832, 312, 416],
    [90, 60, 30, 20],
    [9, 7, 9, 7],
  ])('%i × %i to %i × %i gives the interpolation’s values exactly', (w, h, tw, th) => {
    const bytes = synthetic(w, h, 29);
    for (const src of [bytes, { ...bytes, rgb: Float32Array.from(bytes.rgb, (v) => v / 3) }]) {
      const got = resizeBilinear(src.rgb, w, h, tw, th);
      let differing = 0;
      for (let y = 0; y < th; y++)
        for (let x = 0; x < tw; x++)
          for (let c = 0; c < 3; c++)
            if (!Object.is(got[(y * tw + x) * 3 + c], interpolated(src, tw, th, x, y, c))) differing++;
      expect(differing).toBe(0);
    }
  });

  it('the 416-px square input of an 832-px copy: every other pixel of every other row, zeros below', () => {
    const copy = synthetic(832, 624, 31);
    const got = squareInput(copy, 416);
    for (const [x, y] of [
      [0, 0],
      [415, 311],
      [207, 100],
    ] as const)
      for (let c = 0; c < 3; c++)
        expect(got[(y * 416 + x) * 3 + c]).toBe(copy.rgb[(2 * y * 832 + 2 * x) * 3 + c]);
    expect(got.subarray(312 * 416 * 3).every((v) => v === 0)).toBe(true);
  });
});

describe('margin copy (detection.ts detectWithMargin)', () => {
  it('matches tfjs resizeBilinear + pad with the fill', async () => {
    let worst = 0;
    for (const { name, image } of images) {
      for (const margin of [0.5, 1.0]) {
        const side = Math.max(image.width, image.height);
        const scale = Math.min(1, 400 / side);
        const offset = Math.round(side * scale * margin);
        const want = tf.tidy(() => {
          const t = tensorOf(image);
          const small =
            scale < 1
              ? tf.image.resizeBilinear(t, [
                  Math.round(image.height * scale),
                  Math.round(image.width * scale),
                ])
              : tf.cast(t, 'float32');
          return tf.pad(
            small,
            [
              [offset, offset],
              [offset, offset],
              [0, 0],
            ],
            176,
          );
        });
        const expected = (await want.data()) as Float32Array;
        const [h, w] = want.shape;
        want.dispose();
        const got = marginCopy(image, scale, offset, 176);
        expect([got.height, got.width]).toEqual([h, w]);
        const d = maxAbs(got.rgb, expected);
        if (d > TOLERANCE) throw new Error(`${name} margin ${margin}: max abs diff ${d}`);
        worst = Math.max(worst, d);
      }
    }
    console.log(`margin copy: max abs diff ${worst}`);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  });
});
