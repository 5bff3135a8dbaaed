// The text analysis' image steps against their plain definitions, kept here, byte for byte: the gray copy (toGray,
// with a loop per common factor), the card search's opponent channels (toOpponent, whose block sums add source rows
// in memory order), the local-contrast threshold (binarize, which sums its boxes from running
// column sums rather than a summed-area table, in one pass per row, and skips the division for paper) and the
// connected components (boxes in typed arrays rather than a map, in the same order).
import { toGray, toOpponent, type Gray, type Region } from '../../src/inference/document/gray';
import { binarize, components, type Glyph } from '../../src/inference/document/textlines';

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

  it('equals it on a dark page, where the threshold lies 12 below the mean and pixels sit just under it', () => {
    // Lumas 0..63: means below 80, so the margin is the fixed 12 (binarize skips the division for pixels at most
    // 12 below the mean: those just under the line must still come out as ink).
    const g = { data: bytes(211 * 97, 5).map((v) => v >> 2), width: 211, height: 97 };
    const reference = referenceBinarize(g, 15);
    const near = g.data.filter((v, i) => {
      const m = meanAround(g, i, 7);
      return v < m - 12 && v >= m - 14;
    }).length;
    expect(near).toBeGreaterThan(100);
    expect(Buffer.from(binarize(g, 15)).equals(Buffer.from(reference))).toBe(true);
  });
});

/** Mean of the (2r + 1)² window around pixel i, cut by the borders. */
function meanAround(g: Gray, i: number, r: number): number {
  const x = i % g.width;
  const y = Math.floor(i / g.width);
  let sum = 0;
  let n = 0;
  for (let yy = Math.max(0, y - r); yy < Math.min(g.height, y + r + 1); yy++)
    for (let xx = Math.max(0, x - r); xx < Math.min(g.width, x + r + 1); xx++) {
      sum += g.data[yy * g.width + xx] ?? 0;
      n++;
    }
  return sum / n;
}

/** The reference gray copy: each output pixel the rounded mean of its block's integer lumas. */
function referenceGray(rgb: Uint8Array, width: number, maxSide: number, region: Region): Gray {
  const factor = Math.max(1, Math.ceil(Math.max(region.w, region.h) / maxSide));
  const w = Math.floor(region.w / factor);
  const h = Math.floor(region.h / factor);
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy++)
        for (let dx = 0; dx < factor; dx++) {
          const i = ((region.y + y * factor + dy) * width + region.x + x * factor + dx) * 3;
          sum += ((rgb[i] ?? 0) * 77 + (rgb[i + 1] ?? 0) * 150 + (rgb[i + 2] ?? 0) * 29) >> 8;
        }
      data[y * w + x] = Math.round(sum / (factor * factor));
    }
  return { data, width: w, height: h };
}

describe('toGray', () => {
  const width = 173;
  const height = 131;
  const rgb = bytes(width * height * 3, 5);
  // Bright pixels too: the rounding of sums near the top of the range.
  rgb.fill(255, 0, 600);

  it.each([
    ['factor 1, the whole image', 400, { x: 0, y: 0, w: width, h: height }],
    ['factor 1, a region', 400, { x: 7, y: 3, w: 101, h: 77 }],
    ['factor 2, the whole image', 100, { x: 0, y: 0, w: width, h: height }],
    ['factor 2, a region of odd size', 60, { x: 5, y: 9, w: 117, h: 93 }],
    ['factor 3', 60, { x: 1, y: 2, w: 170, h: 121 }],
    ['factor 4', 44, { x: 0, y: 0, w: width, h: height }],
  ])('equals the per-block mean byte for byte (%s)', (_, maxSide, region) => {
    const { gray, factor } = toGray(rgb, width, height, maxSide, region);
    const reference = referenceGray(rgb, width, maxSide, region);
    expect(factor).toBe(Math.max(1, Math.ceil(Math.max(region.w, region.h) / maxSide)));
    expect([gray.width, gray.height]).toEqual([reference.width, reference.height]);
    expect(Buffer.from(gray.data).equals(Buffer.from(reference.data))).toBe(true);
  });
});

/** The reference components: two-pass union-find, boxes in a map in the order their roots are first seen. */
function referenceComponents(mask: Uint8Array, width: number, height: number): Glyph[] {
  const labels = new Int32Array(width * height);
  const parent: number[] = [0];
  const find = (a: number): number => {
    while (parent[a] !== a) a = parent[a] ?? a;
    return a;
  };
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      const neighbours = [
        x > 0 ? labels[i - 1] : 0,
        y > 0 && x > 0 ? labels[i - width - 1] : 0,
        y > 0 ? labels[i - width] : 0,
        y > 0 && x < width - 1 ? labels[i - width + 1] : 0,
      ].filter((l): l is number => !!l);
      let label = neighbours[0] ?? 0;
      for (const l of neighbours) {
        const [ra, rb] = [find(label), find(l)];
        if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
      if (!label) {
        label = parent.length;
        parent.push(label);
      }
      labels[i] = label;
    }
  const boxes = new Map<number, { x0: number; y0: number; x1: number; y1: number; n: number }>();
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const l = labels[y * width + x];
      if (!l) continue;
      const r = find(l);
      const b = boxes.get(r);
      if (!b) boxes.set(r, { x0: x, y0: y, x1: x, y1: y, n: 1 });
      else {
        b.x0 = Math.min(b.x0, x);
        b.x1 = Math.max(b.x1, x);
        b.y1 = Math.max(b.y1, y);
        b.n++;
      }
    }
  return [...boxes.values()].map((b) => ({
    x: b.x0,
    y: b.y0,
    w: b.x1 - b.x0 + 1,
    h: b.y1 - b.y0 + 1,
    pixels: b.n,
  }));
}

describe('components', () => {
  it.each([0.05, 0.3, 0.55, 0.8])(
    'equals the map-based union-find, in order, on noise of density %s',
    (p) => {
      const width = 151;
      const height = 97;
      const mask = Uint8Array.from(bytes(width * height, Math.round(p * 100)), (v) => (v < p * 256 ? 1 : 0));
      const found = components(mask, width, height);
      // Sparse noise makes many small components, dense noise a few large winding ones.
      expect(found.length).toBeGreaterThan(0);
      expect(found).toEqual(referenceComponents(mask, width, height));
    },
  );

  it('equals it on the ink of a page, and on an empty and a full mask', () => {
    const g = page(211, 137, 9);
    expect(components(binarize(g, 25), 211, 137)).toEqual(referenceComponents(binarize(g, 25), 211, 137));
    expect(components(new Uint8Array(60), 12, 5)).toEqual([]);
    expect(components(new Uint8Array(60).fill(1), 12, 5)).toEqual([{ x: 0, y: 0, w: 12, h: 5, pixels: 60 }]);
  });
});

/** The opponent channels block by block (the former implementation): each block's channel means, then the three values. */
function referenceOpponent(rgb: Uint8Array, width: number, maxSide: number, region: Region): Uint8Array[] {
  const factor = Math.max(1, Math.ceil(Math.max(region.w, region.h) / maxSide));
  const w = Math.floor(region.w / factor);
  const h = Math.floor(region.h / factor);
  const out = [new Uint8Array(w * h), new Uint8Array(w * h), new Uint8Array(w * h)];
  const n = factor * factor;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let [r, g, b] = [0, 0, 0];
      for (let dy = 0; dy < factor; dy++)
        for (let dx = 0; dx < factor; dx++) {
          const i = ((region.y + y * factor + dy) * width + region.x + x * factor + dx) * 3;
          r += rgb[i]!;
          g += rgb[i + 1]!;
          b += rgb[i + 2]!;
        }
      r /= n;
      g /= n;
      b /= n;
      out[0]![y * w + x] = (r * 77 + g * 150 + b * 29) >> 8;
      out[1]![y * w + x] = Math.round((r - g) / 2 + 128);
      out[2]![y * w + x] = Math.round((b - (r + g) / 2) / 2 + 128);
    }
  return out;
}

describe('toOpponent', () => {
  const width = 173;
  const height = 131;
  const rgb = bytes(width * height * 3, 6);
  rgb.fill(255, 0, 600);

  it.each([
    ['factor 1, a region', 400, { x: 7, y: 3, w: 101, h: 77 }],
    ['factor 2, the whole image', 100, { x: 0, y: 0, w: width, h: height }],
    ['factor 3, a region of odd size', 40, { x: 5, y: 9, w: 117, h: 93 }],
    ['factor 4', 44, { x: 0, y: 0, w: width, h: height }],
  ])('equals the per-block channels byte for byte (%s)', (_, maxSide, region) => {
    const { channels, factor } = toOpponent(rgb, width, height, maxSide, region);
    const reference = referenceOpponent(rgb, width, maxSide, region);
    expect(factor).toBe(Math.max(1, Math.ceil(Math.max(region.w, region.h) / maxSide)));
    channels.forEach((c, k) => expect(Buffer.from(c.data).equals(Buffer.from(reference[k]!))).toBe(true));
  });
});
