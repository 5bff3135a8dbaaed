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
  // Whole numbers, held as int32 (`| 0`): a region from a face box's Math.floor is a double that V8 would
  // otherwise carry into the loops' index arithmetic, which then runs in float64 (~1.7× slower).
  const factor = Math.max(1, Math.ceil(Math.max(region.w, region.h) / maxSide)) | 0;
  const w = Math.floor(region.w / factor) | 0;
  const h = Math.floor(region.h / factor) | 0;
  const out = scratch.u8(w * h);
  const stride = (width * 3) | 0;
  const from = (region.y * stride + region.x * 3) | 0;
  // Lumas and block sums are whole numbers, so each loop gives what the general one gives: for a factor of 2,
  // (sum + 2) >> 2 is Math.round(sum / 4).
  if (factor === 1) gray1(rgb, stride, from, out, w, h);
  else if (factor === 2) gray2(rgb, stride, from, out, w, h);
  else grayN(rgb, stride, from, factor, out, scratch.i32(w), w, h);
  return { gray: { data: out, width: w, height: h }, factor };
}

// Hot loops (every Verify reads ~3 MP here), one per common factor (1: a region that fits, 2: a 1–2 MP photo) and
// a general one, each a small function of numbers and arrays, which V8 optimises whole (~10 % faster than the
// same loops as branches of one large function, measured on a 1080×1440 photo).

/** Factor 1: ITU-R BT.601 luma, integer weights summing to 256. */
function gray1(rgb: Uint8Array, stride: number, from: number, out: Uint8Array, w: number, h: number): void {
  for (let y = 0, o = 0; y < h; y++) {
    let i = from + y * stride;
    for (const end = o + w; o < end; o++, i += 3)
      out[o] = (rgb[i]! * 77 + rgb[i + 1]! * 150 + rgb[i + 2]! * 29) >> 8;
  }
}

/** Factor 2: the rounded mean of four lumas. */
function gray2(rgb: Uint8Array, stride: number, from: number, out: Uint8Array, w: number, h: number): void {
  for (let y = 0, o = 0; y < h; y++) {
    let i = from + 2 * y * stride;
    let j = i + stride;
    for (const end = o + w; o < end; o++, i += 6, j += 6) {
      const sum =
        ((rgb[i]! * 77 + rgb[i + 1]! * 150 + rgb[i + 2]! * 29) >> 8) +
        ((rgb[i + 3]! * 77 + rgb[i + 4]! * 150 + rgb[i + 5]! * 29) >> 8) +
        ((rgb[j]! * 77 + rgb[j + 1]! * 150 + rgb[j + 2]! * 29) >> 8) +
        ((rgb[j + 3]! * 77 + rgb[j + 4]! * 150 + rgb[j + 5]! * 29) >> 8);
      out[o] = (sum + 2) >> 2;
    }
  }
}

/** Any factor: each source row read once, left to right, adding its lumas into its output row's block sums. */
function grayN(
  rgb: Uint8Array,
  stride: number,
  from: number,
  factor: number,
  out: Uint8Array,
  sums: Int32Array,
  w: number,
  h: number,
): void {
  const n = factor * factor;
  for (let y = 0; y < h; y++) {
    sums.fill(0);
    for (let dy = 0; dy < factor; dy++) {
      let i = from + (y * factor + dy) * stride;
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
  // As int32, like toGray's (the card search's planes take these sizes too).
  const factor = Math.max(1, Math.ceil(Math.max(region.w, region.h) / maxSide)) | 0;
  const w = Math.floor(region.w / factor) | 0;
  const h = Math.floor(region.h / factor) | 0;
  const l = scratch.u8(w * h);
  const rg = scratch.u8(w * h);
  const by = scratch.u8(w * h);
  const n = factor * factor;
  const stride = (width * 3) | 0;
  const from = (region.y * stride + region.x * 3) | 0;
  // Each block's channel sums (whole numbers: the same in any order), from the source rows read once each, left to
  // right; then the same expressions of their means as a per-block loop.
  const rs = scratch.i32(w);
  const gs = scratch.i32(w);
  const bs = scratch.i32(w);
  for (let y = 0; y < h; y++) {
    rs.fill(0);
    gs.fill(0);
    bs.fill(0);
    for (let dy = 0; dy < factor; dy++)
      blockSums(rgb, from + (y * factor + dy) * stride, factor, w, rs, gs, bs);
    opponents(rs, gs, bs, n, l, rg, by, y * w, w);
  }
  const gray = (data: Uint8Array): Gray => ({ data, width: w, height: h });
  return { channels: [gray(l), gray(rg), gray(by)], factor };
}

/** Adds one source row's pixels into the channel sums of its `w` blocks of `factor` pixels. */
function blockSums(
  rgb: Uint8Array,
  from: number,
  factor: number,
  w: number,
  rs: Int32Array,
  gs: Int32Array,
  bs: Int32Array,
): void {
  for (let x = 0, i = from; x < w; x++) {
    let r = 0;
    let g = 0;
    let b = 0;
    for (const end = i + factor * 3; i < end; i += 3) {
      r += rgb[i]!;
      g += rgb[i + 1]!;
      b += rgb[i + 2]!;
    }
    rs[x] = rs[x]! + r;
    gs[x] = gs[x]! + g;
    bs[x] = bs[x]! + b;
  }
}

/** One output row of the three channels from its blocks' sums over `n` pixels each. */
function opponents(
  rs: Int32Array,
  gs: Int32Array,
  bs: Int32Array,
  n: number,
  l: Uint8Array,
  rg: Uint8Array,
  by: Uint8Array,
  row: number,
  w: number,
): void {
  for (let x = 0; x < w; x++) {
    const r = rs[x]! / n;
    const g = gs[x]! / n;
    const b = bs[x]! / n;
    const o = row + x;
    l[o] = (r * 77 + g * 150 + b * 29) >> 8;
    rg[o] = Math.round((r - g) / 2 + 128);
    by[o] = Math.round((b - (r + g) / 2) / 2 + 128);
  }
}
