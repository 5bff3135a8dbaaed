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
): { gray: Gray; factor: number } {
  const factor = Math.max(1, Math.ceil(Math.max(region.w, region.h) / maxSide));
  const w = Math.floor(region.w / factor);
  const h = Math.floor(region.h / factor);
  const out = new Uint8Array(w * h);
  const n = factor * factor;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy++) {
        let i = ((region.y + y * factor + dy) * width + region.x + x * factor) * 3;
        for (let dx = 0; dx < factor; dx++, i += 3) {
          // ITU-R BT.601 luma, integer weights summing to 256.
          sum += ((rgb[i] ?? 0) * 77 + (rgb[i + 1] ?? 0) * 150 + (rgb[i + 2] ?? 0) * 29) >> 8;
        }
      }
      out[y * w + x] = Math.round(sum / n);
    }
  }
  return { gray: { data: out, width: w, height: h }, factor };
}

/** Summed-area table with a zero first row and column: (width+1) × (height+1). */
export function integral(g: Gray): Float64Array {
  const W = g.width + 1;
  const table = new Float64Array(W * (g.height + 1));
  for (let y = 0; y < g.height; y++) {
    let row = 0;
    for (let x = 0; x < g.width; x++) {
      row += g.data[y * g.width + x] ?? 0;
      table[(y + 1) * W + x + 1] = (table[y * W + x + 1] ?? 0) + row;
    }
  }
  return table;
}

/** Mean of the box [x0,x1) × [y0,y1) from a summed-area table. */
export function boxMean(
  table: Float64Array,
  width: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): number {
  const W = width + 1;
  const s =
    (table[y1 * W + x1] ?? 0) -
    (table[y0 * W + x1] ?? 0) -
    (table[y1 * W + x0] ?? 0) +
    (table[y0 * W + x0] ?? 0);
  return s / Math.max(1, (x1 - x0) * (y1 - y0));
}
