// tf.image.transform(image, transforms, 'bilinear', 'constant', 0, [size, size]) without tfjs: for each output
// pixel, the projective map of its coordinates into the image, then a bilinear read where pixels beyond the image
// are 0. Arithmetic in float32, step by step as tfjs-wasm's Transform kernel does it.
import type { PixelBatch } from '../backends/nets';
import { emptyBatch, type RgbImage } from './rgb-image';

// tfjs's float32 arithmetic: each step rounded as the wasm kernel rounds it (a local binding: hot loops inline it).
const f32 = Math.fround;

/** The 8 numbers of tf.image.transform: output (x, y) ↦ ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1. */
export type Projective = readonly [number, number, number, number, number, number, number, number];

function chipInto(image: RgbImage, m: Projective, size: number, out: Float32Array): void {
  // The transforms tensor is float32.
  const [a0, a1, a2, b0, b1, b2, c0, c1] = m.map(f32) as unknown as Projective;
  const { rgb: data, width, height } = image;
  const read = (y: number, x: number, c: number): number =>
    y >= 0 && y < height && x >= 0 && x < width ? (data[(y * width + x) * 3 + c] as number) : 0;
  // The column's products, the same float32 steps computed once per chip instead of once per pixel.
  const ax = new Float32Array(size);
  const bx = new Float32Array(size);
  const cx = new Float32Array(size);
  for (let ox = 0; ox < size; ox++) {
    ax[ox] = f32(a0 * ox);
    bx[ox] = f32(b0 * ox);
    cx[ox] = f32(c0 * ox);
  }
  // The chips' similarities have no perspective: k = (±0 + ±0) + 1 = 1 and the division by it changes nothing.
  const affine = c0 === 0 && c1 === 0;
  let o = 0;
  for (let oy = 0; oy < size; oy++) {
    const ay = f32(a1 * oy);
    const by = f32(b1 * oy);
    const cy = f32(c1 * oy);
    for (let ox = 0; ox < size; ox++) {
      let x = f32(f32((ax[ox] as number) + ay) + a2);
      let y = f32(f32((bx[ox] as number) + by) + b2);
      if (!affine) {
        const k = f32(f32((cx[ox] as number) + cy) + 1);
        if (k === 0) {
          out[o++] = 0;
          out[o++] = 0;
          out[o++] = 0;
          continue;
        }
        x = f32(x / k);
        y = f32(y / k);
      }
      const xf = Math.floor(x);
      const yf = Math.floor(y);
      const wx0 = f32(xf + 1 - x);
      const wx1 = f32(x - xf);
      const wy0 = f32(yf + 1 - y);
      const wy1 = f32(y - yf);
      if (xf >= 0 && yf >= 0 && xf + 1 < width && yf + 1 < height) {
        // Inside: the four reads without bounds checks.
        const i00 = (yf * width + xf) * 3;
        const i10 = i00 + width * 3;
        for (let c = 0; c < 3; c++) {
          const top = f32(f32(wx0 * (data[i00 + c] as number)) + f32(wx1 * (data[i00 + 3 + c] as number)));
          const bottom = f32(f32(wx0 * (data[i10 + c] as number)) + f32(wx1 * (data[i10 + 3 + c] as number)));
          out[o++] = f32(f32(wy0 * top) + f32(wy1 * bottom));
        }
      } else {
        for (let c = 0; c < 3; c++) {
          const top = f32(f32(wx0 * read(yf, xf, c)) + f32(wx1 * read(yf, xf + 1, c)));
          const bottom = f32(f32(wx0 * read(yf + 1, xf, c)) + f32(wx1 * read(yf + 1, xf + 1, c)));
          out[o++] = f32(f32(wy0 * top) + f32(wy1 * bottom));
        }
      }
    }
  }
}

/** One size × size chip per transform, [n, size, size, 3] on the image's 0-255 scale. */
export function projectiveBatch(
  image: RgbImage,
  transforms: readonly Projective[],
  size: number,
): PixelBatch {
  const batch = emptyBatch(transforms.length, size, size);
  const plane = size * size * 3;
  transforms.forEach((m, i) => chipInto(image, m, size, batch.data.subarray(i * plane, (i + 1) * plane)));
  return batch;
}
