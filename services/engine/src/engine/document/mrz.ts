import type { TextLine } from './textlines';

/**
 * A machine-readable zone (ICAO 9303): 2 lines of 44 or 3 lines of 30 monospace characters, stacked, of equal
 * length. Without OCR we recognise its geometry: long lines of evenly pitched glyphs (monospace), parallel,
 * left-aligned and one to three capital heights apart. Heights compare by capital height: a line of mostly
 * `<` fillers has a low median glyph height.
 */
export function hasMrz(lines: TextLine[]): boolean {
  const candidates = lines.filter((l) => l.glyphs.length >= 18 && l.pitchCv < 0.35);
  return candidates.some((a) =>
    candidates.some((b) => {
      if (a === b) return false;
      const cap = Math.max(a.capHeight, b.capHeight);
      const dy = Math.abs(b.box.y + b.box.h / 2 - (a.box.y + a.box.h / 2));
      const sameHeight = cap / Math.min(a.capHeight, b.capHeight) < 1.35;
      const sameLength = Math.min(a.box.w, b.box.w) / Math.max(a.box.w, b.box.w) > 0.75;
      const aligned = Math.abs(a.box.x - b.box.x) < 2.5 * cap;
      return sameHeight && sameLength && aligned && dy > 1.1 * cap && dy < 3.5 * cap;
    }),
  );
}
