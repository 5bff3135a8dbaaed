// The MRZ reader's image steps against their plain definitions: the resampled crop (grayCrop, whose loops run in
// memory order, and rounds its float32 values with a truncation) equals a per-pixel separable resize with
// transposes, byte for byte, when enlarging and shrinking;
// the ink and paper levels read from a histogram equal those of a sort; the darkness per gray level equals the
// per-pixel expression, and glyph boxes sampled through it equal those sampled from a darkness plane; the shape
// scores taken four models at a time equal the dot products one by one, to the bit.
import { boxSample, dot, dots, GLYPH_MODELS, unitShape } from '../../src/inference/document/ocr/glyphs';
import { byteRanks, inkMap } from '../../src/inference/document/ocr/mrz-reader';
import { grayCrop, READ_CAP } from '../../src/inference/document/ocr/read-mrz';
import type { Box } from '../../src/inference/geometry';

/** A fixed pseudo-random sequence (LCG): the same bytes on every run. */
function bytes(n: number, seed: number): Uint8Array {
  let s = seed;
  return Uint8Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s >> 23;
  });
}

function cubic(t: number): number[] {
  const t2 = t * t;
  const t3 = t2 * t;
  return [(-t3 + 2 * t2 - t) / 2, (3 * t3 - 5 * t2 + 2) / 2, (-3 * t3 + 4 * t2 + t) / 2, (t3 - t2) / 2];
}

/** One axis, output sample by output sample (the reference definition). */
function resampleRows(src: Float32Array, w: number, h: number, outW: number, scale: number): Float32Array {
  const out = new Float32Array(outW * h);
  for (let o = 0; o < outW; o++)
    for (let r = 0; r < h; r++) {
      const at = (i: number): number => src[r * w + Math.min(w - 1, Math.max(0, i))] ?? 0;
      if (scale >= 1) {
        const x = (o + 0.5) / scale - 0.5;
        const xi = Math.floor(x);
        const [a = 0, b = 0, c = 0, d = 0] = cubic(x - xi);
        out[r * outW + o] = a * at(xi - 1) + b * at(xi) + c * at(xi + 1) + d * at(xi + 2);
      } else {
        const from = o / scale;
        const to = Math.min(w, (o + 1) / scale);
        let sum = 0;
        let weight = 0;
        for (let x = Math.floor(from); x < to; x++) {
          const cover = Math.min(x + 1, to) - Math.max(x, from);
          sum += cover * at(x);
          weight += cover;
        }
        out[r * outW + o] = weight > 0 ? sum / weight : 0;
      }
    }
  return out;
}

function transpose(src: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[x * h + y] = src[y * w + x] ?? 0;
  return out;
}

function referenceCrop(rgb: Uint8Array, width: number, height: number, box: Box, cap: number): Uint8Array {
  const scale = READ_CAP / cap;
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const sw = Math.max(1, Math.min(width, Math.ceil(box.x + box.w)) - x0);
  const sh = Math.max(1, Math.min(height, Math.ceil(box.y + box.h)) - y0);
  const luma = new Float32Array(sw * sh);
  for (let j = 0; j < sh; j++)
    for (let k = 0; k < sw; k++) {
      const i = ((y0 + j) * width + x0 + k) * 3;
      luma[j * sw + k] = 0.299 * (rgb[i] ?? 0) + 0.587 * (rgb[i + 1] ?? 0) + 0.114 * (rgb[i + 2] ?? 0);
    }
  const w = Math.max(1, Math.round(sw * scale));
  const h = Math.max(1, Math.round(sh * scale));
  const across = resampleRows(luma, sw, sh, w, scale);
  const down = transpose(resampleRows(transpose(across, w, sh), sh, w, h, scale), h, w);
  return Uint8Array.from(down, (v) => Math.min(255, Math.max(0, Math.round(v))));
}

describe('grayCrop', () => {
  const width = 97;
  const height = 61;
  const rgb = bytes(width * height * 3, 7);
  const box = { x: 5.4, y: 3.7, w: 80.2, h: 50.9 };

  it.each([
    ['enlarging', 11.3],
    ['shrinking', 47.5],
    ['at the reading size', READ_CAP],
  ])('equals the per-pixel separable resize byte for byte (%s)', (_, cap) => {
    const crop = grayCrop(rgb, width, height, box, cap);
    const reference = referenceCrop(rgb, width, height, box, cap);
    expect(crop.data.length).toBe(reference.length);
    expect(Buffer.from(crop.data).equals(Buffer.from(reference))).toBe(true);
  });
});

describe('grayCrop rounding', () => {
  it('rounds and clamps every luma as Math.round does, up to 255 (at the reading size: a copy of the luma)', () => {
    // Lumas with many fractions near white (the upper half) and near black (the lower half).
    const size = 256;
    const rgb = Uint8Array.from({ length: size * size * 3 }, (_, i) => {
      const p = Math.floor(i / 3);
      const [x, y] = [p % size, Math.floor(p / size)];
      const dark = [x & 15, x >> 4, y - 128];
      return (y < 128 ? dark.map((v) => 255 - Math.abs(v)) : dark)[i % 3]!;
    });
    const box = { x: 0, y: 0, w: size, h: size };
    const crop = grayCrop(rgb, size, size, box, READ_CAP);
    const reference = referenceCrop(rgb, size, size, box, READ_CAP);
    // The test can fail: lumas just below and above the top byte's rounding edge are there.
    const near = reference.filter((_, i) => {
      const v = Math.fround(0.299 * rgb[3 * i]! + 0.587 * rgb[3 * i + 1]! + 0.114 * rgb[3 * i + 2]!);
      return v >= 254 && v < 254.5;
    }).length;
    expect(near).toBeGreaterThan(10);
    expect(Buffer.from(crop.data).equals(Buffer.from(reference))).toBe(true);
  });
});

describe('byteRanks', () => {
  it('gives the values a sort puts at the ranks', () => {
    const data = bytes(5003, 11);
    const sorted = Uint8Array.from(data).sort();
    const ranks = [0, 1, 100, 2500, 5001, 5002];
    expect(byteRanks(data, ranks)).toEqual(ranks.map((r) => sorted[r]));
    expect(byteRanks(data, [5003, -1])).toEqual([undefined, undefined]);
  });
});

/** The per-pixel darkness between the ink (2 %) and paper (median) levels: the reference darkness plane. */
function referenceDark(data: Uint8Array): Float32Array {
  const sorted = Uint8Array.from(data).sort();
  const ink = sorted[Math.floor(data.length * 0.02)]!;
  const paper = sorted[Math.floor(data.length * 0.5)]!;
  const span = Math.max(1, paper - ink);
  return Float32Array.from(data, (v) => Math.min(1, Math.max(0, (paper - v) / span)));
}

describe('inkMap', () => {
  it('equals the per-pixel darkness between the ink and paper levels, float for float', () => {
    const data = bytes(4001, 13);
    const reference = referenceDark(data);
    const map = inkMap({ data, width: 4001, height: 1 });
    const dark = Float32Array.from(data, (v) => map.levels[v]!);
    // The test can fail: the map spans 0..1.
    expect(Math.min(...reference)).toBe(0);
    expect(Math.max(...reference)).toBe(1);
    expect(Buffer.from(dark.buffer).equals(Buffer.from(reference.buffer))).toBe(true);
  });

  it('samples glyph boxes as the darkness plane does, float for float', () => {
    const [width, height] = [211, 67];
    const data = bytes(width * height, 17);
    const plane = { dark: referenceDark(data), width, height };
    const map = inkMap({ data, width, height });
    const boxes = bytes(400, 19);
    let compared = 0;
    for (let k = 0; k + 3 < boxes.length; k += 4) {
      // Boxes of every size, some past the borders (sampling clamps them).
      const x0 = (boxes[k]! % (width + 10)) - 5;
      const y0 = (boxes[k + 1]! % (height + 10)) - 5;
      const x1 = x0 + (boxes[k + 2]! % 60);
      const y1 = y0 + (boxes[k + 3]! % 50);
      const got = boxSample(map, x0, y0, x1, y1);
      expect(Buffer.from(got.buffer).equals(Buffer.from(boxSample(plane, x0, y0, x1, y1).buffer))).toBe(true);
      compared++;
    }
    expect(compared).toBe(100);
  });
});

describe('dots', () => {
  it('equals dot model by model, to the bit (every model, and counts that leave a remainder of four)', () => {
    const sample = unitShape(Float32Array.from(bytes(GLYPH_MODELS[0]!.unit.length, 17), (v) => v / 255));
    for (const models of [GLYPH_MODELS, GLYPH_MODELS.slice(0, 7), GLYPH_MODELS.slice(3, 4), []]) {
      const out = new Float64Array(models.length);
      dots(sample, models, out);
      expect([...out]).toEqual(models.map((m) => dot(sample, m.unit)));
    }
  });
});
