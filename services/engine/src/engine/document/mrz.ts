import type { TextLine } from './textlines';

/**
 * A machine-readable zone (ICAO 9303): 2 lines of 44 or 3 lines of 30 monospace characters, stacked, of equal
 * length and glyph height. Without OCR we recognise its geometry: long lines of evenly pitched, equally tall
 * glyphs, parallel and about one and a half glyph heights apart.
 */
export function hasMrz(lines: TextLine[]): boolean {
  const candidates = lines.filter((l) => l.glyphs.length >= 18 && l.heightCv < 0.25 && l.pitchCv < 0.35);
  for (const a of candidates) {
    let stacked = 0;
    for (const b of candidates) {
      if (a === b) continue;
      const dy = Math.abs(b.box.y + b.box.h / 2 - (a.box.y + a.box.h / 2));
      const sameHeight = Math.max(a.height, b.height) / Math.min(a.height, b.height) < 1.3;
      const sameLength = Math.min(a.box.w, b.box.w) / Math.max(a.box.w, b.box.w) > 0.75;
      const aligned = Math.abs(a.box.x - b.box.x) < 2 * a.height;
      if (sameHeight && sameLength && aligned && dy > 1.1 * a.height && dy < 3.2 * a.height) stacked++;
    }
    if (stacked >= 1) return true;
  }
  return false;
}
