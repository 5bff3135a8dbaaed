import { binarize, components, type Glyph } from '../textlines';
import type { Gray } from '../gray';
import { FRESH, type Scratch } from '../scratch';
import { boxSample, dot, dots, GLYPH_MODELS, unitShape, type GlyphModel, type InkLevels } from './glyphs';
import { allowed, classAt, layoutFor, type MrzLayout } from './mrz-layout';

/** One character position of a row, with how clearly its glyph won. */
export interface MrzCell {
  ch: string;
  /** Score of the best glyph minus the best other character's (0: a tie, or an empty cell read as filler). */
  margin: number;
}

export interface MrzRows {
  layout: MrzLayout;
  rows: MrzCell[][];
}

// OCR-B capitals stand ~0.91 of the digits' height (measured on the rendered font, tools/ocrb-glyphs.ts).
const CAPITAL_HEIGHT = 0.91;
// Weights of the geometric terms against shape likeness (NCC, −1..1): height tells O from 0, I from 1, `<` from
// L/K/C; width and the centre's height above the baseline separate the rest of the look-alikes.
const HEIGHT_WEIGHT = 2;
const ASPECT_WEIGHT = 0.5;
const CENTRE_WEIGHT = 1;

const median = (v: readonly number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0;
const quantile = (v: readonly number[], q: number): number =>
  [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(v.length * q))] ?? 0;
const centreX = (g: Glyph): number => g.x + g.w / 2;
const centreY = (g: Glyph): number => g.y + g.h / 2;

/** The values at the given ranks (0-based) of `bytes` in ascending order, as sorting them would give, from their histogram. */
export function byteRanks(bytes: Uint8Array, ranks: readonly number[]): (number | undefined)[] {
  const counts = new Uint32Array(256);
  for (let i = 0; i < bytes.length; i++) counts[bytes[i]!]!++;
  return ranks.map((rank) => {
    if (rank < 0 || rank >= bytes.length) return undefined;
    let seen = 0;
    for (let v = 0; v < 256; v++) {
      seen += counts[v]!;
      if (seen > rank) return v;
    }
    return undefined;
  });
}

/** Darkness 0..1 between the crop's paper (its median) and its darkest ink, per gray level of the crop. */
export function inkMap(g: Gray): InkLevels {
  const [ink = 0, paper = 255] = byteRanks(g.data, [
    Math.floor(g.data.length * 0.02),
    Math.floor(g.data.length * 0.5),
  ]);
  const span = Math.max(1, paper - ink);
  // One value per gray level, looked up for the pixels sampled (the same expression, stored as the same float32).
  const levels = new Float32Array(256);
  for (let v = 0; v < 256; v++) levels[v] = Math.min(1, Math.max(0, (paper - v) / span));
  return { gray: g.data, levels, width: g.width, height: g.height };
}

/** Pieces of one glyph (broken strokes) overlapping in x become one box. */
function mergeOverlapping(row: Glyph[]): Glyph[] {
  const out: Glyph[] = [];
  for (const c of [...row].sort((a, b) => a.x - b.x)) {
    const last = out[out.length - 1];
    if (last && c.x < last.x + 0.6 * last.w && c.x + c.w > last.x) {
      const x = Math.min(last.x, c.x);
      const y = Math.min(last.y, c.y);
      out[out.length - 1] = {
        x,
        y,
        w: Math.max(last.x + last.w, c.x + c.w) - x,
        h: Math.max(last.y + last.h, c.y + c.h) - y,
        pixels: last.pixels + c.pixels,
      };
    } else out.push(c);
  }
  return out;
}

/** Glyphs into rows by their vertical centres. */
function clusterRows(glyphs: Glyph[], cap: number): Glyph[][] {
  const rows: Glyph[][] = [];
  for (const g of [...glyphs].sort((a, b) => centreY(a) - centreY(b))) {
    const row = rows.find((r) => Math.abs(median(r.map(centreY)) - centreY(g)) < 0.5 * cap);
    if (row) row.push(g);
    else rows.push([g]);
  }
  return rows.map(mergeOverlapping);
}

/** Least squares of centre = origin + pitch × cell, each centre in the cell the current grid puts it in. */
function refit(
  centres: readonly number[],
  grid: { origin: number; pitch: number },
): { origin: number; pitch: number } {
  const ks = centres.map((c) => Math.round((c - grid.origin) / grid.pitch));
  const mk = ks.reduce((a, b) => a + b, 0) / ks.length;
  const mc = centres.reduce((a, b) => a + b, 0) / centres.length;
  let sxy = 0;
  let sxx = 0;
  ks.forEach((k, i) => {
    sxy += (k - mk) * (centres[i]! - mc);
    sxx += (k - mk) ** 2;
  });
  if (sxx === 0) return grid;
  const pitch = sxy / sxx;
  return { pitch, origin: mc - pitch * mk };
}

/**
 * A monospace grid through the glyphs' centres. Fitted on the first glyphs and then on more and more of the row:
 * a pitch a few percent off (from integer pixel centres) would put the far end of a 44-character row a whole cell
 * out, while each extension only reaches where the grid so far is still exact.
 */
function fitGrid(glyphs: Glyph[], cap: number): { origin: number; pitch: number } {
  const centres = glyphs.map(centreX).sort((a, b) => a - b);
  const steps = centres.slice(1).map((c, k) => c - centres[k]!);
  let grid = {
    origin: centres[0]!,
    pitch: median(steps.filter((d) => d > 0.4 * cap && d < 1.6 * cap)) || cap,
  };
  for (let n = 8; ; n *= 2) {
    const first = centres.slice(0, n);
    for (let it = 0; it < 3; it++) grid = refit(first, grid);
    if (n >= centres.length) return grid;
  }
}

/** The longest chain of glyphs no further apart than 2.5 cap heights: a row without stray marks beside it. */
function longestChain(row: Glyph[], cap: number): Glyph[] {
  let best: Glyph[] = [];
  let current: Glyph[] = [];
  for (const g of row) {
    const last = current[current.length - 1];
    if (last && centreX(g) - centreX(last) > 2.5 * cap) current = [];
    current.push(g);
    if (current.length > best.length) best = current;
  }
  return best;
}

/**
 * The rows of a zone are left-aligned: the leftmost glyph centre that every row has a glyph at (within 0.4 of a
 * pitch). A stray mark beside one row has no partner in the others.
 */
function commonStart(rows: Glyph[][], pitch: number): number | undefined {
  const centres = rows
    .flat()
    .map(centreX)
    .sort((a, b) => a - b);
  return centres.find((x) => rows.every((row) => row.some((g) => Math.abs(centreX(g) - x) < 0.4 * pitch)));
}

/** A line through the bottoms of the tall glyphs (digits and capitals): the baseline, skew included. */
function baseline(glyphs: Glyph[]): (x: number) => number {
  const tallest = quantile(
    glyphs.map((g) => g.h),
    0.9,
  );
  const tall = glyphs.filter((g) => g.h >= 0.9 * tallest);
  const xs = tall.map(centreX);
  const ys = tall.map((g) => g.y + g.h);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) ** 2;
  });
  const slope = sxx > 0 ? sxy / sxx : 0;
  return (x) => my + slope * (x - mx);
}

/** A cell's ink as the models see it. */
interface CellSample {
  /** Zero-mean, unit-length shape (see GlyphModel.unit). */
  unit: Float32Array;
  height: number;
  aspect: number;
  centre: number;
}

interface Measured extends MrzCell {
  sample?: CellSample;
  /** Best score per character, best first. */
  ranked: [string, number][];
}

/** `shape`: the shapes' dot product, when already computed. */
function likeness(s: CellSample, m: CellSample, shape = dot(s.unit, m.unit)): number {
  return (
    shape -
    HEIGHT_WEIGHT * Math.abs(s.height - m.height) -
    ASPECT_WEIGHT * Math.abs(s.aspect - m.aspect) -
    CENTRE_WEIGHT * Math.abs(s.centre - m.centre)
  );
}

function classify(
  map: InkLevels,
  cell: Glyph[],
  digitHeight: number,
  baseAt: (x: number) => number,
  candidates: readonly GlyphModel[],
): Measured {
  const x0 = Math.min(...cell.map((c) => c.x));
  const x1 = Math.max(...cell.map((c) => c.x + c.w)) - 1;
  const y0 = Math.min(...cell.map((c) => c.y));
  const y1 = Math.max(...cell.map((c) => c.y + c.h)) - 1;
  const shape = boxSample(map, x0, y0, x1, y1);
  const height = (y1 - y0 + 1) / digitHeight;
  const aspect = (x1 - x0 + 1) / (y1 - y0 + 1);
  const centre = (baseAt((x0 + x1) / 2) - (y0 + y1) / 2) / digitHeight;
  const sample = { unit: unitShape(shape), height, aspect, centre };
  const shapes = new Float64Array(candidates.length);
  dots(sample.unit, candidates, shapes);
  const best = new Map<string, number>();
  for (let k = 0; k < candidates.length; k++) {
    const m = candidates[k]!;
    const score = likeness(sample, m, shapes[k]);
    if (score > (best.get(m.ch) ?? -Infinity)) best.set(m.ch, score);
  }
  const ranked = [...best.entries()].sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  return { ch: first?.[0] ?? '<', margin: first && second ? first[1] - second[1] : 0, sample, ranked };
}

// Letters and digits that OCR-B draws alike; in fields that allow both (document numbers, optional data) the
// class cannot choose between them.
const LOOK_ALIKE: Readonly<Record<string, string>> = {
  O: '0',
  Q: '0',
  D: '0',
  I: '1',
  Z: '2',
  S: '5',
  G: '6',
  B: '8',
};
// A cell's reading counts as an example of its character's print when it won by this much in a field whose class
// already excluded the look-alikes.
const CONFIDENT = 0.1;
const MIN_EXAMPLES = 3;

/** The mean of a document's own confident prints of a character. */
function ownPrint(examples: CellSample[]): CellSample | undefined {
  if (examples.length < MIN_EXAMPLES) return undefined;
  const n = examples.length;
  const shape = new Float32Array(examples[0]!.unit.length);
  for (const e of examples) e.unit.forEach((v, i) => (shape[i] = shape[i]! + v / n));
  const avg = (f: (e: CellSample) => number): number => examples.reduce((a, e) => a + f(e), 0) / n;
  return {
    unit: unitShape(shape),
    height: avg((e) => e.height),
    aspect: avg((e) => e.aspect),
    centre: avg((e) => e.centre),
  };
}

/**
 * In letter-or-digit fields, a look-alike pair (O/0, S/5, …) is decided against this document's own print of the
 * two characters (its dates give the digits, its names the letters) rather than against the font: printers'
 * OCR-B variants differ most in exactly these glyphs. Without confident examples of both, the font decides.
 */
function decideLookAlikes(rows: Measured[][], layout: MrzLayout): void {
  const examples = new Map<string, CellSample[]>();
  rows.forEach((row, r) =>
    row.forEach((cell, k) => {
      if (!cell.sample || cell.margin < CONFIDENT || classAt(layout, r, k) === 'X') return;
      examples.set(cell.ch, [...(examples.get(cell.ch) ?? []), cell.sample]);
    }),
  );
  const prints = new Map([...examples].map(([ch, list]) => [ch, ownPrint(list)] as const));
  rows.forEach((row, r) =>
    row.forEach((cell, k) => {
      const [first, second] = cell.ranked;
      if (!cell.sample || !first || !second || classAt(layout, r, k) !== 'X') return;
      const pair = [first[0], second[0]];
      const letter = pair.find((ch) => LOOK_ALIKE[ch] !== undefined && pair.includes(LOOK_ALIKE[ch]));
      if (!letter) return;
      const digit = LOOK_ALIKE[letter]!;
      const l = prints.get(letter);
      const d = prints.get(digit);
      const sl = l && likeness(cell.sample, l);
      const sd = d && likeness(cell.sample, d);
      if (sl === undefined || sd === undefined) return;
      cell.ch = sd >= sl ? digit : letter;
      cell.margin = Math.abs(sd - sl);
    }),
  );
}

/**
 * Reads the rows of a machine-readable zone from a gray crop around it in which capitals are about `cap` pixels
 * tall. Every MRZ position is printed, fillers included, so a row is a chain of evenly pitched glyphs: the grid
 * comes from their centres, its length gives the layout (30, 36 or 44 characters), and each cell is the OCR-B
 * glyph that matches its ink best among the characters its field allows.
 */
export function readMrzRows(
  gray: Gray,
  cap: number,
  models: readonly GlyphModel[] = GLYPH_MODELS,
  scratch: Scratch = FRESH,
): MrzRows | undefined {
  const mask = binarize(gray, Math.max(15, Math.round(2.5 * cap)), scratch);
  const glyphs = components(mask, gray.width, gray.height, scratch).filter(
    (c) => c.h >= 0.4 * cap && c.h <= 1.6 * cap && c.w >= 0.05 * cap && c.w <= 1.3 * cap,
  );
  const rows = clusterRows(glyphs, cap)
    .map((r) => longestChain(r, cap))
    .filter((r) => r.length >= 15);
  if (rows.length === 0) return undefined;
  // The layout from the longest row: the number of grid cells its chain spans.
  const longest = [...rows].sort((a, b) => b.length - a.length)[0]!;
  const grid = fitGrid(longest, cap);
  const spanned = Math.round((centreX(longest[longest.length - 1]!) - centreX(longest[0]!)) / grid.pitch) + 1;
  const layout = layoutFor(spanned);
  // The zone's rows: the fullest ones, read top to bottom.
  const picked = [...rows]
    .sort((a, b) => b.length - a.length)
    .slice(0, layout.rows)
    .sort((a, b) => median(a.map(centreY)) - median(b.map(centreY)));
  if (picked.length < layout.rows) return undefined;
  const map = inkMap(gray);
  const byClass = {
    A: models.filter((m) => allowed('A', m.ch)),
    N: models.filter((m) => allowed('N', m.ch)),
    X: models,
  } as const;
  const grids = picked.map((row) => fitGrid(row, cap));
  const start = commonStart(picked, median(grids.map((g) => g.pitch)));
  // Cell 0 at the rows' common left edge: a mark beside one row does not shift its characters.
  const origins = grids.map(({ origin, pitch }) =>
    start === undefined ? origin : origin + Math.round((start - origin) / pitch) * pitch,
  );
  // The digits' height, from the digit-only fields of every row (one print for the whole zone), else from the
  // capitals.
  const digitGlyphs = picked.flatMap((row, r) => {
    const { pitch } = grids[r]!;
    const origin = origins[r]!;
    return row.filter((g) => classAt(layout, r, Math.round((centreX(g) - origin) / pitch)) === 'N');
  });
  const digitHeight =
    digitGlyphs.length >= 4
      ? median(digitGlyphs.map((g) => g.h))
      : quantile(
          picked.flat().map((g) => g.h),
          0.75,
        ) / CAPITAL_HEIGHT;
  const measured = picked.map((row, r): Measured[] => {
    const { pitch } = grids[r]!;
    const origin = origins[r]!;
    // A cell holds the ink that overlaps its stretch of the grid: glyphs that touch their neighbour (heavy print)
    // are cut at the cell's edges instead of being taken for one character.
    const cells = Array.from({ length: layout.chars }, (_, k): Glyph[] => {
      const left = origin + (k - 0.5) * pitch;
      const right = left + pitch;
      return row
        .filter((g) => Math.min(g.x + g.w, right) - Math.max(g.x, left) >= 0.3 * Math.min(g.w, pitch))
        .map((g) => {
          const x = Math.max(g.x, Math.floor(left));
          return { ...g, x, w: Math.min(g.x + g.w, Math.ceil(right)) - x };
        });
    });
    const baseAt = baseline(row);
    return cells.map((cell, k) => {
      // Nothing inked at a position: a filler too faint to be found.
      if (cell.length === 0) return { ch: '<', margin: 0, ranked: [] };
      return classify(map, cell, digitHeight, baseAt, byClass[classAt(layout, r, k)]);
    });
  });
  decideLookAlikes(measured, layout);
  return { layout, rows: measured.map((row) => row.map(({ ch, margin }) => ({ ch, margin }))) };
}
