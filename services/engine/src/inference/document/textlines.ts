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
  // Whole numbers as int32 (`| 0`), so that the loops' index arithmetic stays in integers (a Math.floor or
  // Math.round result may be held as a double, which V8 would carry into them).
  const w = g.width | 0;
  const h = g.height | 0;
  const data = g.data;
  const out = scratch.u8(w * h);
  const r = Math.max(3, Math.floor(window / 2)) | 0;
  // Box sums without a summed-area table (4 bytes per pixel): per column, the sum of the window's rows, updated
  // by one row in and one out as the window moves down; then, per row, prefix sums of those column sums. Every
  // sum is a whole number, so each box sum and mean is exactly what a summed-area table gives.
  const columns = scratch.u32(w);
  const prefix = scratch.u32(w + 1);
  for (let y = 0; y < Math.min(h, r); y++) slide(columns, prefix, data, y * w, -1, w);
  // Windows cut by the left or right border, then the whole ones (the same window size, so the same divisor, for
  // every pixel from r to w − r − 1).
  const from = Math.min(r, w);
  const to = Math.max(from, w - r);
  for (let y = 0; y < h; y++) {
    // The window holds rows max(0, y − r) … min(h, y + r + 1) − 1: the row coming in and the one going out.
    const into = y + r < h ? (y + r) * w : -1;
    const outof = y - r - 1 >= 0 ? (y - r - 1) * w : -1;
    slide(columns, prefix, data, into, outof, w);
    const rows = Math.min(h, y + r + 1) - Math.max(0, y - r);
    const row = y * w;
    thresholdEdges(data, prefix, out, row, 0, from, w, r, rows);
    thresholdWhole(data, prefix, out, row, from, to, r, rows * (2 * r + 1));
    thresholdEdges(data, prefix, out, row, to, w, w, r, rows);
  }
  return out;
}

// binarize's loops, each a small function of arrays and numbers (V8 optimises them whole).

/**
 * The column sums with row `into` added and row `outof` taken out (either may be −1: a row past the border, which
 * counts as a row of zeros), and their prefix sums, in one pass.
 */
function slide(
  columns: Uint32Array,
  prefix: Uint32Array,
  data: Uint8Array,
  into: number,
  outof: number,
  w: number,
): void {
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
}

/** Pixels `from` … `to` − 1 of a row whose windows the left or right border cuts. */
function thresholdEdges(
  data: Uint8Array,
  prefix: Uint32Array,
  out: Uint8Array,
  row: number,
  from: number,
  to: number,
  w: number,
  r: number,
  rows: number,
): void {
  for (let x = from; x < to; x++) {
    const x0 = Math.max(0, x - r);
    const x1 = Math.min(w, x + r + 1);
    const m = (prefix[x1]! - prefix[x0]!) / (rows * (x1 - x0));
    if (data[row + x]! < m - Math.max(12, 0.15 * m)) out[row + x] = 1;
  }
}

/** Pixels `from` … `to` − 1 of a row whose windows are whole: `area` pixels each (the hot loop). */
function thresholdWhole(
  data: Uint8Array,
  prefix: Uint32Array,
  out: Uint8Array,
  row: number,
  from: number,
  to: number,
  r: number,
  area: number,
): void {
  for (let x = from; x < to; x++) {
    const v = data[row + x]!;
    const sum = prefix[x + r + 1]! - prefix[x - r]!;
    // Paper (most pixels) skips the division: (v + 12) · area ≥ sum (whole numbers, exact) means v + 12 ≥ the
    // mean, and the threshold lies at least 12 below the mean (rounding is monotone): v is not ink.
    if ((v + 12) * area >= sum) continue;
    const m = sum / area;
    if (v < m - Math.max(12, 0.15 * m)) out[row + x] = 1;
  }
}

/**
 * 8-connected components of a binary image, as bounding boxes with pixel counts, listed in the order of their
 * first pixels in a row-by-row scan. Labels runs of ink rather than pixels: each row's runs, joined to the runs
 * of the row above that touch them (diagonals included), with union-find over run labels. Labels are numbered in
 * scan order and a union keeps the smaller, so a component's root is its first run's label, which starts at its
 * first pixel: roots in increasing order are the components in the order of their first pixels.
 */
export function components(
  mask: Uint8Array,
  imageWidth: number,
  imageHeight: number,
  scratch: Scratch = FRESH,
): Glyph[] {
  // As int32: see binarize.
  const width = imageWidth | 0;
  const height = imageHeight | 0;
  // A row holds at most ceil(width / 2) runs: this row's and the one above, as [start, end] inclusive and label.
  const most = Math.ceil(width / 2) + 1;
  let above = { start: scratch.i32(most), end: scratch.i32(most), label: scratch.i32(most), n: 0 };
  let row = { start: scratch.i32(most), end: scratch.i32(most), label: scratch.i32(most), n: 0 };
  // Per label: its parent, and the box and pixel count of its own runs (folded into the roots at the end).
  const parent: number[] = [0];
  const x0: number[] = [0];
  const y0: number[] = [0];
  const x1: number[] = [0];
  const y1: number[] = [0];
  const n: number[] = [0];
  for (let y = 0; y < height; y++) {
    const at = y * width;
    row.n = 0;
    let j = 0;
    for (let x = 0; x < width;) {
      if (!mask[at + x]) {
        x++;
        continue;
      }
      const s = x;
      while (x < width && mask[at + x]) x++;
      const e = x - 1;
      // The runs above that touch [s − 1, e + 1]: past those that end before it, up to those that start after it.
      while (j < above.n && above.end[j]! < s - 1) j++;
      let label = 0;
      for (let k = j; k < above.n && above.start[k]! <= e + 1; k++) {
        const other = findRoot(parent, above.label[k]!);
        if (!label) label = other;
        else if (other !== label) {
          // Union keeping the smaller label (the earlier in the scan).
          if (other < label) {
            parent[label] = other;
            label = other;
          } else parent[other] = label;
        }
      }
      if (!label) {
        label = parent.length;
        parent.push(label);
        x0.push(s);
        y0.push(y);
        x1.push(e);
        y1.push(y);
        n.push(e - s + 1);
      } else {
        if (s < x0[label]!) x0[label] = s;
        if (e > x1[label]!) x1[label] = e;
        y1[label] = y;
        n[label] = n[label]! + e - s + 1;
      }
      row.start[row.n] = s;
      row.end[row.n] = e;
      row.label[row.n] = label;
      row.n++;
    }
    const done = row;
    row = above;
    above = done;
  }
  // Each label's box folded into its root's; the roots, in increasing order, are the components.
  const glyphs: Glyph[] = [];
  const count = parent.length;
  for (let l = 1; l < count; l++) {
    const r = findRoot(parent, l);
    if (r === l) continue;
    if (x0[l]! < x0[r]!) x0[r] = x0[l]!;
    if (x1[l]! > x1[r]!) x1[r] = x1[l]!;
    if (y1[l]! > y1[r]!) y1[r] = y1[l]!;
    n[r] = n[r]! + n[l]!;
  }
  for (let l = 1; l < count; l++)
    if (parent[l] === l)
      glyphs.push({ x: x0[l]!, y: y0[l]!, w: x1[l]! - x0[l]! + 1, h: y1[l]! - y0[l]! + 1, pixels: n[l]! });
  return glyphs;
}

/** The root of a label, halving the path on the way. */
function findRoot(parent: number[], a: number): number {
  while (parent[a] !== a) {
    const up = parent[parent[a]!]!;
    parent[a] = up;
    a = up;
  }
  return a;
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
