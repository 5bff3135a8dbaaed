// The card search's edge step against its plain definition, kept here: the magnitude levels (a truncation rather
// than Math.round per pixel) equal the rounded ones on every float32 around each level's edge, and the edge map
// equals, float for float, the one the former histogram gives.
import { edges, magnitudeLevel } from '../../src/inference/document/card';
import type { Gray } from '../../src/inference/document/gray';

const reference = (m: number): number => Math.min(255, Math.round(Math.sqrt(m) / 4));

/** The float32 values next to v (k steps of one unit in the last place either side). */
function neighbours(v: number, k: number): number[] {
  const f = new Float32Array([Math.fround(v)]);
  const bits = new Uint32Array(f.buffer);
  const base = bits[0]!;
  const out: number[] = [];
  for (let d = -k; d <= k; d++) {
    if (base + d < 0) continue;
    bits[0] = base + d;
    out.push(f[0]!);
  }
  return out;
}

/** A fixed pseudo-random sequence (LCG): the same bytes on every run. */
function bytes(n: number, seed: number): Uint8Array {
  let s = seed;
  return Uint8Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s >> 23;
  });
}

describe('magnitudeLevel', () => {
  it('equals min(255, Math.round(√m / 4)) around every half level and on noise', () => {
    const values: number[] = [0, 1e-30, 3.9999, 4, 1e9];
    // The half levels: √m / 4 = k + 0.5 at m = (4k + 2)².
    for (let k = 0; k <= 260; k++)
      values.push(...neighbours((4 * k + 2) ** 2, 40), ...neighbours((4 * k) ** 2, 3));
    const noise = bytes(40000, 9);
    for (let i = 0; i + 3 < noise.length; i += 4)
      values.push(
        Math.fround(((noise[i]! << 16) | (noise[i + 1]! << 8) | noise[i + 2]!) / (1 + noise[i + 3]!)),
      );
    const wrong = values.filter((m) => magnitudeLevel(m) !== reference(m));
    expect(wrong).toEqual([]);
    // The test can fail: values on both sides of the half levels are there.
    expect(
      values.filter((m) => Math.sqrt(m) / 4 - Math.floor(Math.sqrt(m) / 4) === 0.5).length,
    ).toBeGreaterThan(200);
  });
});

/** The former edge map: the same steps, the histogram's levels by Math.round. */
function referenceEdges(channels: readonly Gray[]): Float32Array {
  const { width: w, height: h } = channels[0]!;
  const gxs = new Float32Array(w * h);
  const gys = new Float32Array(w * h);
  const mags = new Float32Array(w * h);
  const rows = new Float32Array(w * h);
  const s = new Float32Array(w * h);
  for (const { data } of channels) {
    for (let y = 0; y < h; y++)
      for (let x = 1; x < w - 1; x++)
        rows[y * w + x] = data[y * w + x - 1]! + data[y * w + x]! + data[y * w + x + 1]!;
    for (let y = 1; y < h - 1; y++)
      for (let x = 1; x < w - 1; x++)
        s[y * w + x] = (rows[(y - 1) * w + x]! + rows[y * w + x]! + rows[(y + 1) * w + x]!) / 9;
    for (let y = 2; y < h - 2; y++)
      for (let x = 2; x < w - 2; x++) {
        const i = y * w + x;
        const gx =
          s[i - w + 1]! + 2 * s[i + 1]! + s[i + w + 1]! - s[i - w - 1]! - 2 * s[i - 1]! - s[i + w - 1]!;
        const gy =
          s[i + w - 1]! + 2 * s[i + w]! + s[i + w + 1]! - s[i - w - 1]! - 2 * s[i - w]! - s[i - w + 1]!;
        const m = gx * gx + gy * gy;
        if (m > mags[i]!) {
          mags[i] = m;
          gxs[i] = gx;
          gys[i] = gy;
        }
      }
  }
  const levels = new Uint32Array(256);
  for (let y = 2; y < h - 2; y++) for (let x = 2; x < w - 2; x++) levels[reference(mags[y * w + x]!)]!++;
  let seen = 0;
  let level = 255;
  const n = (w - 4) * (h - 4);
  while (level > 0 && seen + levels[level]! < 0.2 * n) seen += levels[level--]!;
  const threshold = 16 * Math.max(12, level) ** 2;
  const angle = new Float32Array(w * h).fill(-1);
  for (let i = 0; i < w * h; i++) {
    if (mags[i]! < threshold) continue;
    let a = Math.atan2(gys[i]!, gxs[i]!);
    if (a < 0) a += Math.PI;
    if (a >= Math.PI) a -= Math.PI;
    angle[i] = a;
  }
  return angle;
}

describe('edges', () => {
  it.each([
    ['noise', 0],
    ['a card on a desk', 1],
  ])('equals the former edge map float for float (%s)', (_, card) => {
    const [w, h] = [181, 127];
    const channels: Gray[] = [3, 5, 7].map((seed) => {
      const noise = bytes(w * h, seed);
      const data = Uint8Array.from({ length: w * h }, (_, i) => {
        const [x, y] = [i % w, Math.floor(i / w)];
        const inside = x > 30 && x < 150 && y > 20 && y < 100;
        return card ? (inside ? 200 : 90) + (noise[i]! >> 4) : noise[i]!;
      });
      return { data, width: w, height: h };
    });
    const got = edges(channels).angle;
    const want = referenceEdges(channels);
    // The test can fail: a good share of pixels are edges.
    expect(want.filter((a) => a >= 0).length).toBeGreaterThan(1000);
    expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer))).toBe(true);
  });
});
