// tfjs' resizeBilinear with alignCorners false and halfPixelCenters false (what face-api's input batches and the
// engine's margin copies use), in plain TypeScript. Separable: each source row the output needs is interpolated
// across once (at the output's columns), then pairs of those rows are blended. A source that continues in zeros
// (face-api's square padding) is read only where it holds pixels: the zeros are never copied.

/** Where output index i reads in a source axis of `from` values: indices i0 ≤ i1 and the weight of i1. */
export interface AxisMap {
  i0: Int32Array;
  i1: Int32Array;
  frac: Float32Array;
  /** Every weight is 0 (an integer ratio, e.g. the 832-px detection copy to the 416-px input): i1 = i0 throughout. */
  whole: boolean;
}

const maps = new Map<string, AxisMap>();

/**
 * tfjs' source coordinate for `to` outputs over an axis of `from` values (alignCorners false, no half-pixel
 * centres): src = i × from / to, floor and ceil clamped to the axis, weight src − floor (in float32, as tfjs).
 */
export function axisMap(from: number, to: number): AxisMap {
  const key = `${from}:${to}`;
  const known = maps.get(key);
  if (known) return known;
  // In float32, as XNNPACK (tfjs' wasm kernel) computes them: at large indices a double coordinate moves the
  // weight by up to 1e-4, enough to differ by 0.02 on a 0..255 value.
  const ratio = Math.fround(from / to);
  const map: AxisMap = {
    i0: new Int32Array(to),
    i1: new Int32Array(to),
    frac: new Float32Array(to),
    whole: true,
  };
  for (let i = 0; i < to; i++) {
    const src = Math.fround(ratio * i);
    const lo = Math.max(0, Math.floor(src));
    map.i0[i] = lo;
    map.i1[i] = Math.min(from - 1, Math.ceil(src));
    map.frac[i] = Math.fround(src - lo);
    if (map.frac[i] !== 0) map.whole = false;
  }
  // A handful of sizes recur (detector inputs, the 256-px mask); images of every size pass through the margin copy.
  if (maps.size > 64) maps.clear();
  maps.set(key, map);
  return map;
}

/** Where a resize writes: a region of `dst`, `stride` values per row, starting at value `offset`. */
export interface ResizeTarget {
  dst: Float32Array;
  width: number;
  height: number;
  stride: number;
  offset: number;
}

/**
 * Resizes an RGB image `src` (srcWidth × srcHeight) that tfjs would see as part of a larger `fromWidth` ×
 * `fromHeight` image continuing in zeros to the right and below (fromWidth ≥ srcWidth, fromHeight ≥ srcHeight),
 * to target.width × target.height, written into the target region. Output pixels that read only zeros are not
 * written: the caller's buffer holds zeros there (or the caller clears them).
 * Returns how many output columns and rows were written (the rest read only padding).
 */
export function resizeBilinearInto(
  src: Uint8Array | Float32Array,
  srcWidth: number,
  srcHeight: number,
  fromWidth: number,
  fromHeight: number,
  target: ResizeTarget,
): { cols: number; rows: number } {
  const { dst, width, height, stride, offset } = target;
  const xs = axisMap(fromWidth, width);
  const ys = axisMap(fromHeight, height);
  // Output columns (rows) reading some pixel of the source: their lower index lies inside it (indices grow).
  let cols = 0;
  while (cols < width && (xs.i0[cols] as number) < srcWidth) cols++;
  let rows = 0;
  while (rows < height && (ys.i0[rows] as number) < srcHeight) rows++;
  if (xs.whole && ys.whole) {
    sampleInto(src, srcWidth, xs.i0, ys.i0, cols, rows, target);
    return { cols, rows };
  }
  // Per output column, the two source values' offsets in a row (−1: a padding zero) and the weight.
  const x0 = new Int32Array(cols);
  const x1 = new Int32Array(cols);
  for (let c = 0; c < cols; c++) {
    x0[c] = (xs.i0[c] as number) * 3;
    const hi = xs.i1[c] as number;
    x1[c] = hi < srcWidth ? hi * 3 : -1;
  }
  const rowLength = cols * 3;
  // Two interpolated source rows, reused as the output rows advance (downscaling reads each row at most once).
  const upper = new Float32Array(rowLength);
  const lower = new Float32Array(rowLength);
  const zeros = new Float32Array(rowLength);
  const across = (y: number, out: Float32Array): void => {
    const base = y * srcWidth * 3;
    for (let c = 0, o = 0; c < cols; c++, o += 3) {
      const a = base + (x0[c] as number);
      const f = xs.frac[c] as number;
      const b = x1[c] as number;
      if (b < 0) {
        // tl + (0 − tl) × f
        for (let k = 0; k < 3; k++) {
          const tl = src[a + k] as number;
          out[o + k] = tl + (0 - tl) * f;
        }
      } else {
        const bb = base + b;
        const r0 = src[a] as number;
        const g0 = src[a + 1] as number;
        const b0 = src[a + 2] as number;
        out[o] = r0 + ((src[bb] as number) - r0) * f;
        out[o + 1] = g0 + ((src[bb + 1] as number) - g0) * f;
        out[o + 2] = b0 + ((src[bb + 2] as number) - b0) * f;
      }
    }
  };
  // Which source row each of the two buffers holds.
  const held = [-1, -1];
  const buffers = [upper, lower];
  /** Source row y interpolated across (zeros below the source), keeping the buffer holding row `keep`. */
  const rowOf = (y: number, keep: number): Float32Array => {
    if (y >= srcHeight) return zeros;
    if (held[0] === y) return upper;
    if (held[1] === y) return lower;
    const slot = held[0] === keep ? 1 : 0;
    const out = buffers[slot] as Float32Array;
    across(y, out);
    held[slot] = y;
    return out;
  };
  for (let r = 0; r < rows; r++) {
    const f = ys.frac[r] as number;
    const y0 = ys.i0[r] as number;
    const y1 = ys.i1[r] as number;
    const top = rowOf(y0, y1);
    const o = offset + r * stride;
    if (f === 0 || y1 === y0) {
      dst.set(top, o);
      continue;
    }
    const bottom = rowOf(y1, y0);
    for (let i = 0; i < rowLength; i++) {
      const t = top[i] as number;
      dst[o + i] = t + ((bottom[i] as number) - t) * f;
    }
  }
  return { cols, rows };
}

/**
 * resizeBilinearInto when every weight is 0 on both axes: each output pixel is the source pixel at (i0[x], i0[y]),
 * the value the interpolation gives (v + (w − v) × 0 = v), copied without the arithmetic or the row buffers.
 */
function sampleInto(
  src: Uint8Array | Float32Array,
  srcWidth: number,
  xi: Int32Array,
  yi: Int32Array,
  cols: number,
  rows: number,
  target: ResizeTarget,
): void {
  const { dst, stride, offset } = target;
  for (let r = 0; r < rows; r++) {
    const base = (yi[r] as number) * srcWidth * 3;
    for (let c = 0, o = offset + r * stride; c < cols; c++, o += 3) {
      const a = base + (xi[c] as number) * 3;
      dst[o] = src[a] as number;
      dst[o + 1] = src[a + 1] as number;
      dst[o + 2] = src[a + 2] as number;
    }
  }
}

/** tfjs' `resizeBilinear(image, [height, width])` (alignCorners false, no half-pixel centres) as floats. */
export function resizeBilinear(
  src: Uint8Array | Float32Array,
  srcWidth: number,
  srcHeight: number,
  width: number,
  height: number,
): Float32Array {
  const dst = new Float32Array(width * height * 3);
  resizeBilinearInto(src, srcWidth, srcHeight, srcWidth, srcHeight, {
    dst,
    width,
    height,
    stride: width * 3,
    offset: 0,
  });
  return dst;
}
