import { FRESH, type Scratch } from './scratch';

/** A single-channel 8-bit image. */
export interface Gray {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A rectangle of whole pixels. */
export interface Region {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Luma of a region of an RGB image, box-downsampled by an integer factor so its long side is at most `maxSide`
 * (document analysis does not need more, and every later pass is linear in pixels).
 */
export function toGray(
  rgb: Uint8Array,
  width: number,
  height: number,
  maxSide: number,
  region: Region = { x: 0, y: 0, w: width, h: height },
  scratch: Scratch = FRESH,
): { gray: Gray; factor: number } {
  const factor = Math.max(1, Math.ceil(Math.max(region.w, region.h) / maxSide));
  const w = Math.floor(region.w / factor);
  const h = Math.floor(region.h / factor);
  const out = scratch.u8(w * h);
  const stride = width * 3;
  const left = region.x * 3;
  // Hot loops (every verify reads ~1 MP here), one per common factor (1: a region that fits, 2: a 1–2 MP photo)
  // and a general one. Lumas and block sums are whole numbers, so each gives what the general loop gives: for a
  // factor of 2, (sum + 2) >> 2 is Math.round(sum / 4).
  if (factor === 1) {
    for (let y = 0; y < h; y++) {
      const row = y * w;
      let i = (region.y + y) * stride + left;
      for (let x = 0; x < w; x++, i += 3)
        // ITU-R BT.601 luma, integer weights summing to 256.
        out[row + x] = (rgb[i]! * 77 + rgb[i + 1]! * 150 + rgb[i + 2]! * 29) >> 8;
    }
  } else if (factor === 2) {
    for (let y = 0; y < h; y++) {
      const row = y * w;
      let i = (region.y + 2 * y) * stride + left;
      let j = i + stride;
      for (let x = 0; x < w; x++, i += 6, j += 6) {
        const sum =
          ((rgb[i]! * 77 + rgb[i + 1]! * 150 + rgb[i + 2]! * 29) >> 8) +
          ((rgb[i + 3]! * 77 + rgb[i + 4]! * 150 + rgb[i + 5]! * 29) >> 8) +
          ((rgb[j]! * 77 + rgb[j + 1]! * 150 + rgb[j + 2]! * 29) >> 8) +
          ((rgb[j + 3]! * 77 + rgb[j + 4]! * 150 + rgb[j + 5]! * 29) >> 8);
        out[row + x] = (sum + 2) >> 2;
      }
    }
  } else {
    // Each source row is read once, left to right, adding its luma into the block sums of its output row.
    const n = factor * factor;
    const sums = scratch.i32(w);
    for (let y = 0; y < h; y++) {
      sums.fill(0);
      for (let dy = 0; dy < factor; dy++) {
        let i = (region.y + y * factor + dy) * stride + left;
        for (let x = 0; x < w; x++) {
          let sum = 0;
          for (let end = i + factor * 3; i < end; i += 3)
            sum += (rgb[i]! * 77 + rgb[i + 1]! * 150 + rgb[i + 2]! * 29) >> 8;
          sums[x] = sums[x]! + sum;
        }
      }
      const row = y * w;
      for (let x = 0; x < w; x++) out[row + x] = Math.round(sums[x]! / n);
    }
  }
  return { gray: { data: out, width: w, height: h }, factor };
}

/**
 * A region in three opponent channels — luma, red−green, blue−yellow — box-downsampled like toGray: a pale card on
 * a white desk barely differs in luma, but does in colour.
 */
export function toOpponent(
  rgb: Uint8Array,
  width: number,
  height: number,
  maxSide: number,
  region: Region = { x: 0, y: 0, w: width, h: height },
  scratch: Scratch = FRESH,
): { channels: [Gray, Gray, Gray]; factor: number } {
  const factor = Math.max(1, Math.ceil(Math.max(region.w, region.h) / maxSide));
  const w = Math.floor(region.w / factor);
  const h = Math.floor(region.h / factor);
  const l = scratch.u8(w * h);
  const rg = scratch.u8(w * h);
  const by = scratch.u8(w * h);
  const n = factor * factor;
  const stride = width * 3;
  for (let y = 0; y < h; y++) {
    const rowStart = (region.y + y * factor) * stride + region.x * 3;
    for (let x = 0; x < w; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let row = rowStart + x * factor * 3;
      for (let dy = 0; dy < factor; dy++, row += stride) {
        for (let i = row, end = row + factor * 3; i < end; i += 3) {
          r += rgb[i]!;
          g += rgb[i + 1]!;
          b += rgb[i + 2]!;
        }
      }
      r /= n;
      g /= n;
      b /= n;
      const o = y * w + x;
      l[o] = (r * 77 + g * 150 + b * 29) >> 8;
      rg[o] = Math.round((r - g) / 2 + 128);
      by[o] = Math.round((b - (r + g) / 2) / 2 + 128);
    }
  }
  const gray = (data: Uint8Array): Gray => ({ data, width: w, height: h });
  return { channels: [gray(l), gray(rg), gray(by)], factor };
}
