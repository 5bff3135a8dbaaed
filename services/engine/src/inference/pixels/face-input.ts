// face-api's face crops and their input batch, without tfjs: `extractFaceTensors(image, rects)` (each box clipped
// at the image border and floored) followed by `NetInput.toBatchTensor(112, true)` (each crop padded with zeros to a
// centred square, then resized bilinearly to 112 × 112 the way tfjs-wasm's XNNPACK kernel does, TensorFlow's legacy
// mode: no corner alignment, no half-pixel centres). The landmark, age/gender and expression nets read this batch.
import type { CropSize, PixelBatch } from '../backends/nets';
import type { Box } from '../geometry';
import { emptyBatch, type RgbImage } from './rgb-image';

// tfjs's float32 arithmetic: each step rounded as the wasm kernel rounds it (a local binding: hot loops inline it).
const f32 = Math.fround;

/** face-api's side for the 68-point landmark, age/gender and expression nets. */
export const FACE_INPUT_SIZE = 112;

interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** face-api's `Box.clipAtImageBorders(width, height)` (which also floors): the pixels extractFaceTensors slices. */
export function faceCropRect(b: Box, width: number, height: number): PixelRect {
  const x = Math.max(b.x, 0);
  const y = Math.max(b.y, 0);
  return {
    x: Math.floor(x),
    y: Math.floor(y),
    width: Math.floor(Math.min(b.x + b.w - x, width - x)),
    height: Math.floor(Math.min(b.y + b.h - y, height - y)),
  };
}

/**
 * One resize axis of XNNPACK's bilinear kernel in TensorFlow's legacy mode, over a padded square of `side` pixels
 * whose image part starts at `pad` and spans `extent`: for each output index, the two source indices inside the
 * image part (−1 for padding, which reads as 0) and the weight of the second. Indices count pixels of the crop.
 */
function axis(
  side: number,
  size: number,
  pad: number,
  extent: number,
): [Int32Array, Int32Array, Float32Array] {
  const lo = new Int32Array(size);
  const hi = new Int32Array(size);
  const alpha = new Float32Array(size);
  const inside = (v: number): number => (v - pad >= 0 && v - pad < extent ? v - pad : -1);
  if (side === size) {
    // toBatchTensor skips the resize when the square already has the input's size.
    for (let o = 0; o < size; o++) lo[o] = hi[o] = inside(o);
    return [lo, hi, alpha];
  }
  const scale = f32(side / size);
  for (let o = 0; o < size; o++) {
    const at = f32(o * scale);
    const first = Math.floor(at);
    lo[o] = inside(first);
    hi[o] = inside(Math.min(first + 1, side - 1));
    alpha[o] = f32(at - first);
  }
  return [lo, hi, alpha];
}

/** Writes one crop's padded, resized square into `out` (size × size × 3). */
function squareInto(image: RgbImage, r: PixelRect, size: number, out: Float32Array): void {
  const side = Math.max(r.width, r.height);
  const diff = Math.abs(r.height - r.width);
  // padToSquare(…, true): round(diff / 2) zeros after the crop, the rest before it.
  const before = diff - Math.round(diff * 0.5);
  const [x0, x1, ax] = axis(side, size, r.width < r.height ? before : 0, r.width);
  const [y0, y1, ay] = axis(side, size, r.height < r.width ? before : 0, r.height);
  const src = image.rgb;
  // int32 (`| 0`): the rect's Math.floor values are doubles that V8 would carry into the index arithmetic below.
  const stride = (image.width * 3) | 0;
  const base = (r.y * stride + r.x * 3) | 0;
  let o = 0;
  for (let oy = 0; oy < size; oy++) {
    const top = y0[oy] as number;
    const bottom = y1[oy] as number;
    const av = ay[oy] as number;
    const topRow = top < 0 ? -1 : base + top * stride;
    const bottomRow = bottom < 0 ? -1 : base + bottom * stride;
    for (let ox = 0; ox < size; ox++) {
      const left = x0[ox] as number;
      const right = x1[ox] as number;
      const ah = ax[ox] as number;
      for (let c = 0; c < 3; c++, o++) {
        const tl = topRow < 0 || left < 0 ? 0 : (src[topRow + left * 3 + c] as number);
        const tr = topRow < 0 || right < 0 ? 0 : (src[topRow + right * 3 + c] as number);
        const bl = bottomRow < 0 || left < 0 ? 0 : (src[bottomRow + left * 3 + c] as number);
        const br = bottomRow < 0 || right < 0 ? 0 : (src[bottomRow + right * 3 + c] as number);
        // XNNPACK's ibilinear step, in float32.
        const t = f32(tl + f32(f32(tr - tl) * ah));
        const b = f32(bl + f32(f32(br - bl) * ah));
        out[o] = f32(t + f32(f32(b - t) * av));
      }
    }
  }
}

/**
 * face-api's batch for `boxes` (in `image`'s pixels): [n, size, size, 3], 0-255, with each crop's size before the
 * batch (landmarks map back through it). Throws when a box holds no pixel of the image, as face-api drops it.
 */
export function faceInputBatch(
  image: RgbImage,
  boxes: readonly Box[],
  size = FACE_INPUT_SIZE,
): { batch: PixelBatch; crops: CropSize[] } {
  const rects = boxes.map((b) => faceCropRect(b, image.width, image.height));
  if (rects.some((r) => !(r.width > 0 && r.height > 0))) throw new Error('a face box lies outside the image');
  const batch = emptyBatch(rects.length, size, size);
  const plane = size * size * 3;
  rects.forEach((r, i) => squareInto(image, r, size, batch.data.subarray(i * plane, (i + 1) * plane)));
  return { batch, crops: rects.map((r) => ({ width: r.width, height: r.height })) };
}
