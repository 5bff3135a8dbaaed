import { type Box, intersection } from '../geometry';
import type { Gray } from './gray';
import { FRESH, type Scratch } from './scratch';

/** A character-sized dark blob. */
export interface Glyph {
  x: number;
  y: number;
  w: number;
  h: number;
  pixels: number;
}

export interface TextLine {
  glyphs: Glyph[];
  box: Box;
  /** Median glyph height. */
  height: number;
  /** 90th-percentile glyph height: capitals and digits, whatever the share of short glyphs (MRZ fillers). */
  capHeight: number;
  /** Coefficient of variation of glyph heights and of glyph pitch (monospace print has both low). */
  heightCv: number;
  pitchCv: number;
}

/**
 * Dark-on-light ink by local contrast: darker than the mean of its neighbourhood by a margin. Works under uneven
 * lighting (photographed cards) where a global threshold fails.
 */
export function binarize(g: Gray, window: number, scratch: Scratch = FRESH): Uint8Array {
  const { width: w, height: h, data } = g;
  const out = scratch.u8(w * h);
  const r = Math.max(3, Math.floor(window / 2));
  // Box sums without a summed-area table (4 bytes per pixel): per column, the sum of the window's rows, updated
  // by one row in and one out as the window moves down; then, per row, prefix sums of those column sums. Every
  // sum is a whole number, so each box sum and mean is exactly what a summed-area table gives.
  const columns = scratch.u32(w);
  const prefix = scratch.u32(w + 1);
  const add = (row: number): void => {
    for (let x = 0, at = row * w; x < w; x++) columns[x] = columns[x]! + data[at + x]!;
  };
  for (let y = 0; y < Math.min(h, r); y++) add(y);
  for (let y = 0; y < h; y++) {
    // The window holds rows max(0, y − r) … min(h, y + r + 1) − 1.
    // One pass: the row coming in and the one going out (either may be past the border; a missing one counts as
    // a row of zeros, which leaves the sums as they are), and the prefix sums.
    const into = y + r < h ? (y + r) * w : -1;
    const outof = y - r - 1 >= 0 ? (y - r - 1) * w : -1;
    if (into >= 0 && outof >= 0)
      for (let x = 0, p = 0; x < w; x++) {
        const c = columns[x]! + data[into + x]! - data[outof + x]!;
        columns[x] = c;
        prefix[x + 1] = p += c;
      }
    else if (into >= 0)
      for (let x = 0, p = 0; x < w; x++) {
        const c = columns[x]! + data[into + x]!;
        columns[x] = c;
        prefix[x + 1] = p += c;
      }
    else if (outof >= 0)
      for (let x = 0, p = 0; x < w; x++) {
        const c = columns[x]! - data[outof + x]!;
        columns[x] = c;
        prefix[x + 1] = p += c;
      }
    else for (let x = 0, p = 0; x < w; x++) prefix[x + 1] = p += columns[x]!;
    const rows = Math.min(h, y + r + 1) - Math.max(0, y - r);
    const row = y * w;
    const edge = (x: number): void => {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(w, x + r + 1);
      const m = (prefix[x1]! - prefix[x0]!) / (rows * (x1 - x0));
      if (data[row + x]! < m - Math.max(12, 0.15 * m)) out[row + x] = 1;
    };
    // Windows cut by the left or right border, then the whole ones (the hot loop: the same window size, so the
    // same divisor, for every pixel from r to w − r − 1).
    const from = Math.min(r, w);
    const to = Math.max(from, w - r);
    for (let x = 0; x < from; x++) edge(x);
    const area = rows * (2 * r + 1);
    for (let x = from; x < to; x++) {
      const v = data[row + x]!;
      const sum = prefix[x + r + 1]! - prefix[x - r]!;
      // Paper (most pixels) skips the division: (v + 12) · area ≥ sum (whole numbers, exact) means v + 12 ≥ the
      // mean, and the threshold lies at least 12 below the mean (rounding is monotone): v is not ink.
      if ((v + 12) * area >= sum) continue;
      const m = sum / area;
      if (v < m - Math.max(12, 0.15 * m)) out[row + x] = 1;
    }
    for (let x = to; x < w; x++) edge(x);
  }
  return out;
}

/** 8-connected components of a binary image, as bounding boxes with pixel counts (two-pass union-find). */
export function components(
  mask: Uint8Array,
  width: number,
  height: number,
  scratch: Scratch = FRESH,
): Glyph[] {
  const labels = scratch.i32(width * height);
  const parent: number[] = [0];
  const find = (a: number): number => {
    let r = a;
    while (parent[r] !== r) r = parent[r] ?? r;
    while (parent[a] !== r) {
      const next = parent[a] ?? r;
      parent[a] = r;
      a = next;
    }
    return r;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  /** The pixel's label so far given one more neighbour's (0: none); two different labels are one component. */
  const merge = (label: number, n: number): number => {
    if (!n) return label;
    if (!label) return n;
    if (n !== label) union(label, n);
    return label;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      // The labelled neighbours, in scan order: left, upper-left, up, upper-right (no array per ink pixel: this
      // loop runs for every dark pixel of a document).
      let label = merge(0, x > 0 ? (labels[i - 1] ?? 0) : 0);
      label = merge(label, y > 0 && x > 0 ? (labels[i - width - 1] ?? 0) : 0);
      label = merge(label, y > 0 ? (labels[i - width] ?? 0) : 0);
      label = merge(label, y > 0 && x < width - 1 ? (labels[i - width + 1] ?? 0) : 0);
      if (!label) {
        label = parent.length;
        parent.push(label);
      }
      labels[i] = label;
    }
  }
  // Each label's component once (its root), then the boxes in typed arrays by root, listed in the order their
  // first pixels come in the scan (no map lookup per ink pixel).
  const count = parent.length;
  const root = scratch.i32(count);
  for (let l = 1; l < count; l++) root[l] = find(l);
  const x0 = scratch.i32(count);
  const y0 = scratch.i32(count);
  const x1 = scratch.i32(count);
  const y1 = scratch.i32(count);
  const n = scratch.i32(count);
  const order: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      const l = labels[i]!;
      if (!l) continue;
      const r = root[l]!;
      if (n[r] === 0) {
        order.push(r);
        x0[r] = x;
        y0[r] = y;
        x1[r] = x;
      } else if (x < x0[r]!) x0[r] = x;
      else if (x > x1[r]!) x1[r] = x;
      y1[r] = y;
      n[r] = n[r]! + 1;
    }
  }
  return order.map((r) => ({
    x: x0[r]!,
    y: y0[r]!,
    w: x1[r]! - x0[r]! + 1,
    h: y1[r]! - y0[r]! + 1,
    pixels: n[r]!,
  }));
}

export interface GlyphLimits {
  minHeight: number;
  maxHeight: number;
}

// Wider than this, a blob is several characters run together (small or blurred print) rather than one.
const MAX_CHAR_ASPECT = 1.6;
const MAX_WORD_ASPECT = 8;

/**
 * Blobs shaped like printed characters: bounded height, not too elongated, partly filled. Blurred small print
 * runs the letters of a word together: such "word" blobs (wider, denser) count too.
 */
function isGlyph(c: Glyph, limits: GlyphLimits): boolean {
  if (c.h < limits.minHeight || c.h > limits.maxHeight) return false;
  const aspect = c.w / c.h;
  const fill = c.pixels / (c.w * c.h);
  if (aspect >= 0.08 && aspect <= MAX_CHAR_ASPECT) return fill > 0.12 && fill < 0.95;
  return aspect <= MAX_WORD_ASPECT && fill > 0.3 && fill < 0.9;
}

/** How many characters a blob stands for: 1, or about one per 0.7 heights of a run-together word. */
export const charCount = (g: Glyph): number =>
  g.w / g.h <= MAX_CHAR_ASPECT ? 1 : Math.round(g.w / g.h / 0.7);

const quantile = (values: number[], q: number): number => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? 0;
};

function cv(values: number[]): number {
  if (values.length < 2) return 0;
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  const v = values.reduce((a, b) => a + (b - m) * (b - m), 0) / values.length;
  return m > 0 ? Math.sqrt(v) / m : 0;
}

/**
 * Chains glyphs into lines: each glyph links to its nearest right-hand neighbour of similar height on the same
 * baseline. Pairwise links tolerate a card rotated a few degrees.
 */
function groupLines(glyphs: Glyph[], minGlyphs = 4): TextLine[] {
  const sorted = [...glyphs].sort((a, b) => a.x - b.x);
  const parent = sorted.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] ?? i] ?? i;
    return i;
  };
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i];
    if (!a) continue;
    const acy = a.y + a.h / 2;
    let best = -1;
    let bestGap = Infinity;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j];
      if (!b) continue;
      const hmax = Math.max(a.h, b.h);
      const gap = b.x - (a.x + a.w);
      if (gap > 1.5 * hmax) {
        if (b.x - (a.x + a.w) > 3 * Math.max(a.h, 8)) break; // sorted by x: nothing closer follows
        continue;
      }
      if (gap < -0.3 * hmax) continue;
      if (Math.max(a.h, b.h) / Math.min(a.h, b.h) > 1.8) continue;
      if (Math.abs(acy - (b.y + b.h / 2)) > 0.45 * hmax) continue;
      if (gap < bestGap) {
        bestGap = gap;
        best = j;
      }
    }
    if (best >= 0) parent[find(best)] = find(i);
  }
  const groups = new Map<number, Glyph[]>();
  sorted.forEach((g, i) => {
    const r = find(i);
    const list = groups.get(r);
    if (list) list.push(g);
    else groups.set(r, [g]);
  });
  const lines: TextLine[] = [];
  for (const list of groups.values()) {
    if (list.reduce((n, g) => n + charCount(g), 0) < minGlyphs) continue;
    const x0 = Math.min(...list.map((g) => g.x));
    const y0 = Math.min(...list.map((g) => g.y));
    const x1 = Math.max(...list.map((g) => g.x + g.w));
    const y1 = Math.max(...list.map((g) => g.y + g.h));
    const heights = list.map((g) => g.h);
    const height = quantile(heights, 0.5);
    if (x1 - x0 < 2.5 * height) continue;
    const pitches = list.slice(1).map((g, k) => g.x - (list[k]?.x ?? g.x));
    lines.push({
      glyphs: list,
      box: { x: x0, y: y0, w: x1 - x0, h: y1 - y0 },
      height,
      capHeight: quantile(heights, 0.9),
      heightCv: cv(heights),
      pitchCv: cv(pitches),
    });
  }
  return lines;
}

export interface TextAnalysis {
  lines: TextLine[];
  glyphs: number;
}

/** Lines of printed text outside the given face boxes (hair, eyes and mouth make glyph-like blobs too). */
export function findTextLines(g: Gray, exclude: Box[], scratch: Scratch = FRESH): TextAnalysis {
  const long = Math.max(g.width, g.height);
  const mask = binarize(g, Math.max(15, Math.round(long / 40)), scratch);
  const limits = {
    minHeight: Math.max(5, Math.round(long / 200)),
    maxHeight: Math.max(12, Math.round(long / 16)),
  };
  const glyphs = components(mask, g.width, g.height, scratch).filter(
    (c) => isGlyph(c, limits) && !exclude.some((e) => intersection(e, c) > 0.3 * c.w * c.h),
  );
  return { lines: groupLines(glyphs), glyphs: glyphs.length };
}
