import type { Box } from '../geometry';
import type { TextLine } from './textlines';

/** A machine-readable zone found by its geometry. */
export interface MrzBand {
  lines: TextLine[];
  /** Characters per line, estimated from the glyph pitch (ICAO 9303: 30, 36 or 44). */
  chars: number;
}

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

/** Characters a monospace line holds: its width over the median glyph pitch. */
export function monospaceChars(l: TextLine): number {
  const pitches = l.glyphs.slice(1).map((g, k) => g.x - (l.glyphs[k]?.x ?? g.x));
  const pitch = median(pitches.filter((p) => p > 0));
  return pitch > 0 ? Math.round(l.box.w / pitch) + 1 : l.glyphs.length;
}

// TD1 lines hold 30 characters, TD2 36, TD3 44: a line estimated outside this range is not an MRZ row.
const MRZ_CHARS = { min: 26, max: 50 } as const;

/**
 * A machine-readable zone (ICAO 9303): 2 lines of 44 or 36, or 3 lines of 30 monospace characters, stacked, of
 * equal length. Without OCR we recognise its geometry: long lines of evenly pitched glyphs (monospace) holding
 * 26–50 characters, parallel, left-aligned and one to three capital heights apart. Heights compare by capital
 * height: a line of mostly `<` fillers has a low median glyph height. With the portrait's face box, the zone must
 * also be at the portrait's scale (capitals 4–35 % of the face height, at least two face widths long) and lie
 * below the top of the face, where documents print it.
 */
export function findMrz(lines: readonly TextLine[], face?: Box): MrzBand | undefined {
  const candidates = lines.filter((l) => {
    if (l.glyphs.length < 18 || l.pitchCv >= 0.35) return false;
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
      if (sameHeight && sameLength && aligned && dy > 1.1 * cap && dy < 3.5 * cap)
        return { lines: [a, b], chars: Math.round((monospaceChars(a) + monospaceChars(b)) / 2) };
    }
  }
  return undefined;
}
