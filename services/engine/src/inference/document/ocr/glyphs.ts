import { OCRB_GLYPHS } from './ocrb-glyphs';

/** Samples across and down a glyph's ink box: the resolution every MRZ cell is compared at. */
export const GLYPH_W = 12;
export const GLYPH_H = 16;

/** One OCR-B character at one ink weight, with the geometry that shape alone leaves ambiguous. */
export interface GlyphModel {
  ch: string;
  /** Darkness 0..1 over the ink box, GLYPH_W × GLYPH_H, row-major. */
  shape: Float32Array;
  /** The shape minus its mean, scaled to unit length: its NCC with another such vector is their dot product. */
  unit: Float32Array;
  /** Ink height over the digits' height (OCR-B capitals are ~0.91, `<` ~0.8). */
  height: number;
  /** Ink width over ink height. */
  aspect: number;
  /** Height of the ink box's centre above the baseline, over the digits' height (`<` sits higher). */
  centre: number;
}

/** A darkness map (0..1, row-major) to sample glyphs from. */
export interface InkMap {
  dark: Float32Array;
  width: number;
  height: number;
}

/**
 * A darkness map given per gray level: pixel i's darkness is levels[gray[i]]. The reader samples only its glyphs'
 * boxes, a small part of the crop: a darkness plane for every pixel would be megabytes written and mostly unread.
 */
export interface InkLevels {
  gray: Uint8Array;
  levels: Float32Array;
  width: number;
  height: number;
}

/** The ink box x0..x1 × y0..y1 (inclusive pixels) resampled to GLYPH_W × GLYPH_H by area averaging. */
export function boxSample(
  map: InkMap | InkLevels,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): Float32Array {
  // The same float32 darkness per pixel either way, added in the same order.
  const dark = 'dark' in map ? map.dark : undefined;
  const gray = 'gray' in map ? map.gray : undefined;
  const levels = 'levels' in map ? map.levels : undefined;
  const out = new Float32Array(GLYPH_W * GLYPH_H);
  const bw = (x1 - x0 + 1) / GLYPH_W;
  const bh = (y1 - y0 + 1) / GLYPH_H;
  const sx = Math.max(1, Math.round(bw * 2));
  const sy = Math.max(1, Math.round(bh * 2));
  for (let j = 0; j < GLYPH_H; j++) {
    for (let i = 0; i < GLYPH_W; i++) {
      let sum = 0;
      for (let b = 0; b < sy; b++) {
        const y = Math.min(map.height - 1, Math.max(0, Math.floor(y0 + j * bh + ((b + 0.5) * bh) / sy)));
        for (let a = 0; a < sx; a++) {
          const x = Math.min(map.width - 1, Math.max(0, Math.floor(x0 + i * bw + ((a + 0.5) * bw) / sx)));
          // A whole number, as int32 (a Math.floor result may be held as a double).
          const at = (y * map.width + x) | 0;
          sum += dark ? (dark[at] ?? 0) : (levels![gray![at]!] ?? 0);
        }
      }
      out[j * GLYPH_W + i] = sum / (sx * sy);
    }
  }
  return out;
}

/** A shape minus its mean, scaled to unit length (all zeros for a flat shape). */
export function unitShape(a: Float32Array): Float32Array {
  let m = 0;
  for (const v of a) m += v;
  m /= a.length;
  let norm = 0;
  for (const v of a) norm += (v - m) * (v - m);
  const k = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return a.map((v) => (v - m) * k);
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * `dot(a, m.unit)` for each model, into `out`: four models at a time, each model's sum still added term by term
 * in order (the same double as `dot`), but four independent sums in flight rather than one chain of additions.
 */
export function dots(a: Float32Array, models: readonly { unit: Float32Array }[], out: Float64Array): void {
  const n = a.length;
  let k = 0;
  for (; k + 4 <= models.length; k += 4) {
    const b0 = models[k]!.unit;
    const b1 = models[k + 1]!.unit;
    const b2 = models[k + 2]!.unit;
    const b3 = models[k + 3]!.unit;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < n; i++) {
      const v = a[i]!;
      s0 += v * b0[i]!;
      s1 += v * b1[i]!;
      s2 += v * b2[i]!;
      s3 += v * b3[i]!;
    }
    out[k] = s0;
    out[k + 1] = s1;
    out[k + 2] = s2;
    out[k + 3] = s3;
  }
  for (; k < models.length; k++) out[k] = dot(a, models[k]!.unit);
}

/** Normalised cross-correlation: shape likeness independent of contrast and ink level. */
export function ncc(a: Float32Array, b: Float32Array): number {
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < a.length; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= a.length;
  mb /= b.length;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! - ma;
    const y = b[i]! - mb;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** The generated models, decoded once (immutable data shared by every reading). */
export const GLYPH_MODELS: readonly GlyphModel[] = decode();

function decode(): GlyphModel[] {
  const bytes = Buffer.from(OCRB_GLYPHS.shapes, 'base64');
  const size = GLYPH_W * GLYPH_H;
  return OCRB_GLYPHS.models.map(([ch, height, aspect, centre], k) => {
    const shape = new Float32Array(size);
    for (let i = 0; i < size; i++) shape[i] = bytes[k * size + i]! / 255;
    return { ch, shape, unit: unitShape(shape), height, aspect, centre };
  });
}
