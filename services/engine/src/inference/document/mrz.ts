import type { Box } from '../geometry';
import type { TextLine } from './textlines';

/** A machine-readable zone found by its geometry. */
export interface MrzBand {
  lines: TextLine[];
  /** Characters per line, estimated from the glyph pitch (ICAO 9303: 30, 36 or 44). */
  chars: number;
}

/** A zone's rows in working-copy pixels: what the reader needs, whoever found it. */
export interface MrzZone {
  rows: Array<{ box: Box; capHeight: number }>;
  chars: number;
}

/** A band found on a gray copy of `region` downscaled by `factor`, in working-copy pixels. */
export function zoneOf(
  band: MrzBand,
  factor: number,
  region: { x: number; y: number } = { x: 0, y: 0 },
): MrzZone {
  return {
    rows: band.lines.map((l) => ({
      box: {
        x: region.x + l.box.x * factor,
        y: region.y + l.box.y * factor,
        w: l.box.w * factor,
        h: l.box.h * factor,
      },
      capHeight: l.capHeight * factor,
    })),
    chars: band.chars,
  };
}

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

/** Characters a monospace line holds: its width over the median glyph pitch. */
function monospaceChars(l: TextLine): number {
  const pitches = l.glyphs.slice(1).map((g, k) => g.x - (l.glyphs[k]?.x ?? g.x));
  const pitch = median(pitches.filter((p) => p > 0));
  return pitch > 0 ? Math.round(l.box.w / pitch) + 1 : l.glyphs.length;
}

/**
 * How far a line's glyphs stand off a monospace grid: the mean distance of each step between neighbouring glyph
 * centres from a whole number of pitches (0: on the grid; a proportional font's narrow and wide letters, ~0.25).
 * OCR-B prints every character, `<` included, in the same cell; merged or missing glyphs only skip cells.
 */
function offGrid(l: TextLine): number {
  const centres = l.glyphs.map((g) => g.x + g.w / 2).sort((a, b) => a - b);
  const steps = centres.slice(1).map((c, k) => c - centres[k]!);
  const pitch = median(steps.filter((d) => d > 0));
  if (!(pitch > 0) || steps.length === 0) return 0.5;
  return steps.reduce((sum, d) => sum + Math.abs(d / pitch - Math.round(d / pitch)), 0) / steps.length;
}

/** Coefficient of variation of the glyphs' ink: letters, digits and `<` differ; a periodic texture's blobs do not. */
function inkVariety(l: TextLine): number {
  const ink = l.glyphs.map((g) => g.pixels);
  const m = ink.reduce((a, b) => a + b, 0) / Math.max(1, ink.length);
  const v = ink.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, ink.length);
  return m > 0 ? Math.sqrt(v) / m : 0;
}

// Measured on the MRZ rows of 18 real specimens and 60 synthetic documents: ink variety 0.11–0.52 (periodic
// textures on a grid, such as a checked shirt's: 0.03–0.11), off-grid 0.01–0.16 per row and at most 0.114 for a
// pair (a bold caption in a proportional font: 0.19).
const MIN_INK_VARIETY = 0.1;
const MAX_OFF_GRID = 0.12;

// TD1 lines hold 30 characters, TD2 36, TD3 44. A row's `<` fillers are often too faint or small to be found,
// so only the upper bound is firm: the lower one is the 18 glyphs a row needs to be considered at all.
const MRZ_CHARS = { min: 18, max: 50 } as const;

/**
 * A machine-readable zone (ICAO 9303): 2 lines of 44 or 36, or 3 lines of 30 monospace characters, stacked, of
 * equal length. Without OCR we recognise its geometry: long lines of evenly pitched glyphs whose centres sit on a
 * monospace grid, of varied shapes (not a periodic texture), holding at most 50 characters, parallel, left-aligned and one to three capital heights apart. Heights compare by capital
 * height: a line of mostly `<` fillers has a low median glyph height. With the portrait's face box, the zone must
 * also be at the portrait's scale (capitals 4–35 % of the face height, at least two face widths long) and lie
 * below the top of the face, where documents print it.
 */
export function findMrz(lines: readonly TextLine[], face?: Box): MrzBand | undefined {
  const candidates = lines.filter((l) => {
    if (l.glyphs.length < 18 || l.pitchCv >= 0.35 || inkVariety(l) < MIN_INK_VARIETY) return false;
    const chars = monospaceChars(l);
    if (chars < MRZ_CHARS.min || chars > MRZ_CHARS.max) return false;
    if (!face) return true;
    const scale = l.capHeight / face.h;
    return scale >= 0.04 && scale <= 0.35 && l.box.w >= 2 * face.w && l.box.y + l.box.h / 2 > face.y;
  });
  for (const a of candidates) {
    for (const b of candidates) {
      if (a === b) continue;
      const cap = Math.max(a.capHeight, b.capHeight);
      const dy = b.box.y + b.box.h / 2 - (a.box.y + a.box.h / 2);
      const sameHeight = cap / Math.min(a.capHeight, b.capHeight) < 1.35;
      const sameLength = Math.min(a.box.w, b.box.w) / Math.max(a.box.w, b.box.w) > 0.75;
      const aligned = Math.abs(a.box.x - b.box.x) < 2.5 * cap;
      const monospace = (offGrid(a) + offGrid(b)) / 2 <= MAX_OFF_GRID;
      if (sameHeight && sameLength && aligned && monospace && dy > 1.1 * cap && dy < 3.5 * cap)
        return { lines: [a, b], chars: Math.round((monospaceChars(a) + monospaceChars(b)) / 2) };
    }
  }
  return undefined;
}
