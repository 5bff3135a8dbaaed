// tf.image.cropAndResize(image, boxes, indices, [size, size]) (bilinear, extrapolation value 0) followed by
// tf.div(…, divisor), without tfjs. A box is [y1, x1, y2, x2] normalised as tfjs defines it: y1 = 0 is the first
// row, y1 = 1 the last (not the bottom edge). Arithmetic in float32, step by step as tfjs-wasm's kernel does it.
// (That kernel copies rows instead when a box maps pixel-for-pixel onto the crop, reading from column 0; face boxes
// in float coordinates never meet its exact condition, and we do not reproduce that path.)
import type { PixelBatch } from '../backends/nets';
import { emptyBatch, type RgbImage } from './rgb-image';

// tfjs's float32 arithmetic: each step rounded as the wasm kernel rounds it (a local binding: hot loops inline it).
const f32 = Math.fround;

export type NormalisedBox = readonly [y1: number, x1: number, y2: number, x2: number];

/** Source indices and weight per output index along one axis; `lo` −1 where the kernel extrapolates. */
function axis(a: number, b: number, extent: number, size: number): [Int32Array, Int32Array, Float32Array] {
  const lo = new Int32Array(size);
  const hi = new Int32Array(size);
  const lerp = new Float32Array(size);
  const last = extent - 1;
  const scale = size > 1 ? f32(f32(f32(b - a) * last) / (size - 1)) : 0;
  for (let o = 0; o < size; o++) {
    const at = size > 1 ? f32(f32(a * last) + f32(o * scale)) : f32(0.5 * f32(a + b) * last);
    if (at < 0 || at > last) {
      lo[o] = -1;
      continue;
    }
    const first = Math.floor(at);
    lo[o] = first;
    hi[o] = Math.min(last, Math.ceil(at));
    lerp[o] = f32(at - first);
  }
  return [lo, hi, lerp];
}

function cropInto(
  image: RgbImage,
  box: NormalisedBox,
  size: number,
  divisor: number,
  out: Float32Array,
): void {
  // The boxes tensor is float32.
  const [y1, x1, y2, x2] = box.map(f32) as unknown as NormalisedBox;
  const [top, bottom, ly] = axis(y1, y2, image.height, size);
  const [left, right, lx] = axis(x1, x2, image.width, size);
  const src = image.rgb;
  const stride = image.width * 3;
  let o = 0;
  for (let oy = 0; oy < size; oy++) {
    const t = top[oy] as number;
    if (t < 0) {
      o += size * 3; // extrapolated row: the batch is zero-filled
      continue;
    }
    const tRow = t * stride;
    const bRow = (bottom[oy] as number) * stride;
    const wy = ly[oy] as number;
    for (let ox = 0; ox < size; ox++) {
      const l = left[ox] as number;
      if (l < 0) {
        o += 3;
        continue;
      }
      const r = (right[ox] as number) * 3;
      const wx = lx[ox] as number;
      for (let c = 0; c < 3; c++, o++) {
        const tl = src[tRow + l * 3 + c] as number;
        const tr = src[tRow + r + c] as number;
        const bl = src[bRow + l * 3 + c] as number;
        const br = src[bRow + r + c] as number;
        const tv = f32(tl + f32(f32(tr - tl) * wx));
        const bv = f32(bl + f32(f32(br - bl) * wx));
        out[o] = f32(f32(tv + f32(f32(bv - tv) * wy)) / divisor);
      }
    }
  }
}

/** One size × size crop per box, [n, size, size, 3], divided by `divisor` (255: RGB in [0, 1]). */
export function cropAndResizeBatch(
  image: RgbImage,
  boxes: readonly NormalisedBox[],
  size: number,
  divisor: number,
): PixelBatch {
  const batch = emptyBatch(boxes.length, size, size);
  const plane = size * size * 3;
  boxes.forEach((b, i) => cropInto(image, b, size, divisor, batch.data.subarray(i * plane, (i + 1) * plane)));
  return batch;
}
