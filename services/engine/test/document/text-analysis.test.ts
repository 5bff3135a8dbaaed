// The text analysis' image steps against their plain definitions, kept here: the local-contrast threshold
// (binarize, which sums its boxes from running column sums) equals the summed-area-table version byte for byte.
import type { Gray } from '../../src/inference/document/gray';
import { binarize } from '../../src/inference/document/textlines';

/** A fixed pseudo-random sequence (LCG): the same bytes on every run. */
function bytes(n: number, seed: number): Uint8Array {
  let s = seed;
  return Uint8Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s >> 23;
  });
}

/** Paper under uneven light with dark strokes and noise: a page as the text analysis sees it. */
function page(width: number, height: number, seed: number): Gray {
  const noise = bytes(width * height, seed);
  const data = Uint8Array.from({ length: width * height }, (_, i) => {
    const x = i % width;
    const y = Math.floor(i / width);
    const light = 150 + (90 * x) / width - (40 * y) / height;
    const stroke = (x % 11 < 2 && y % 17 < 12) || (y % 17 === 5 && x % 23 < 9) ? 110 : 0;
    return Math.max(0, Math.min(255, Math.round(light - stroke + ((noise[i] ?? 0) - 128) / 8)));
  });
  return { data, width, height };
}

/** Summed-area table with a zero first row and column (the former implementation). */
function integral(g: Gray): Uint32Array {
  const W = g.width + 1;
  const table = new Uint32Array(W * (g.height + 1));
  for (let y = 0; y < g.height; y++) {
    let row = 0;
    for (let x = 0; x < g.width; x++) {
      row += g.data[y * g.width + x] ?? 0;
      table[(y + 1) * W + x + 1] = (table[y * W + x + 1] ?? 0) + row;
    }
  }
  return table;
}

/** The reference: each pixel against the mean of its window from the summed-area table. */
function referenceBinarize(g: Gray, window: number): Uint8Array {
  const table = integral(g);
  const W = g.width + 1;
  const out = new Uint8Array(g.width * g.height);
  const r = Math.max(3, Math.floor(window / 2));
  for (let y = 0; y < g.height; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(g.height, y + r + 1);
    for (let x = 0; x < g.width; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(g.width, x + r + 1);
      const sum = table[y1 * W + x1]! - table[y0 * W + x1]! - table[y1 * W + x0]! + table[y0 * W + x0]!;
      const m = sum / ((y1 - y0) * (x1 - x0));
      if (g.data[y * g.width + x]! < m - Math.max(12, 0.15 * m)) out[y * g.width + x] = 1;
    }
  }
  return out;
}

describe('binarize', () => {
  it.each([
    ['a page', 211, 137, 25],
    ['a page, a small window', 97, 61, 5],
    ['a page, a window larger than the image', 40, 23, 101],
    ['one row', 64, 1, 15],
    ['one column', 1, 50, 15],
    ['one pixel', 1, 1, 15],
  ])('equals the summed-area-table threshold byte for byte (%s)', (_, width, height, window) => {
    const g = page(width, height, width * 31 + height);
    const mask = binarize(g, window);
    expect(Buffer.from(mask).equals(Buffer.from(referenceBinarize(g, window)))).toBe(true);
  });

  it('equals it on noise, where the threshold flips pixel by pixel', () => {
    const g = { data: bytes(173 * 89, 3), width: 173, height: 89 };
    const mask = binarize(g, 15);
    // The test can fail: noise marks a good share of pixels as ink.
    expect(mask.reduce((n, v) => n + v, 0)).toBeGreaterThan(100);
    expect(Buffer.from(mask).equals(Buffer.from(referenceBinarize(g, 15)))).toBe(true);
  });
});
