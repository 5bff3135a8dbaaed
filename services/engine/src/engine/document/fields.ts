// A document's text fields, found from where they sit relative to its portrait. Identity documents print their
// fields at the portrait's scale beside it (and their MRZ across the card below it), in left-aligned stacks of
// label and value lines. A photo of a person can hold as much lettering — a press wall, a caption, a print or the
// "glyphs" of sequins and fur — but not in that arrangement: on the person's body below the face, or scattered
// around the head, at whatever size.
import type { Box } from '../geometry';
import { charCount, type TextLine } from './textlines';

/** Field text height relative to the portrait's face height: 1.5–3.5 mm capitals beside a 15–25 mm face. */
export const FIELD_SCALE = { min: 0.03, max: 0.3 } as const;

export interface FieldLayout {
  /** Lines at the portrait's scale beside or below it (not over the head or along the body under it). */
  fields: TextLine[];
  /** The longest stack of left-aligned field lines (label/value pairs, one field under the other). */
  column: number;
}

export const lineChars = (l: TextLine): number => l.glyphs.reduce((n, g) => n + charCount(g), 0);

/**
 * Where a line sits relative to the face (all in the same pixels): to one side of it, below it across the card,
 * along the body under it (a selfie's clothes, hair, a held object), or elsewhere.
 */
function placeOf(l: TextLine, face: Box): 'side' | 'below' | 'body' | 'away' {
  const x0 = l.box.x;
  const x1 = l.box.x + l.box.w;
  const yc = l.box.y + l.box.h / 2;
  const below = yc > face.y + 1.1 * face.h;
  // The body under a face spans about its shoulders: a line mostly inside that column below the chin is on the
  // person (or on the portrait's own shoulders), never a document field (an MRZ runs well past it).
  const colL = face.x - 0.6 * face.w;
  const colR = face.x + 1.6 * face.w;
  const inColumn = Math.max(0, Math.min(x1, colR) - Math.max(x0, colL)) / Math.max(1, l.box.w);
  if (below && inColumn > 0.6) return 'body';
  // Within the card's height: about 1.5 face heights above the face to 3 below.
  if (yc < face.y - 1.5 * face.h || yc > face.y + 3 * face.h) return 'away';
  // Fields sit to one side of the portrait (either: some cards put it on the right), the MRZ across the card.
  if (x0 > face.x + 0.9 * face.w || x1 < face.x + 0.1 * face.w) return below ? 'below' : 'side';
  return below ? 'below' : 'away';
}

/**
 * Longest chain of lines stacked one under the other with left edges aligned (to a capital height or 5 % of the
 * face width, so a card turned a few degrees still chains), one to 3.5 capital heights apart.
 */
export function alignedColumn(lines: readonly TextLine[], faceWidth: number): number {
  const s = [...lines].sort((a, b) => a.box.y - b.box.y);
  const best = s.map(() => 1);
  for (let j = 0; j < s.length; j++) {
    const b = s[j]!;
    for (let i = 0; i < j; i++) {
      const a = s[i]!;
      const cap = Math.max(a.capHeight, b.capHeight);
      const dy = b.box.y + b.box.h / 2 - (a.box.y + a.box.h / 2);
      if (dy < 0.9 * cap || dy > 3.5 * cap) continue;
      if (Math.abs(b.box.x - a.box.x) > Math.max(cap, 0.05 * faceWidth)) continue;
      best[j] = Math.max(best[j]!, best[i]! + 1);
    }
  }
  return s.length === 0 ? 0 : Math.max(...best);
}

// The fields stacked beside a portrait are small print (labels and values, 1.5–3 mm capitals): larger lettering
// beside a face — a logo wall's, a poster's — is not stacked into a document's column.
const COLUMN_MAX_SCALE = 0.2;

/** The field layout around a portrait (face box in the lines' pixels). */
export function fieldLayout(lines: readonly TextLine[], face: Box): FieldLayout {
  const placed = lines
    .filter((l) => l.capHeight / face.h >= FIELD_SCALE.min && l.capHeight / face.h <= FIELD_SCALE.max)
    .map((l) => ({ l, at: placeOf(l, face) }));
  const fields = placed.filter((p) => p.at === 'side' || p.at === 'below').map((p) => p.l);
  // The column stands beside the portrait, level with it (a caption under a person stacks lines too).
  const stacked = placed
    .filter((p) => p.at === 'side' && p.l.capHeight / face.h <= COLUMN_MAX_SCALE)
    .filter((p) => p.l.box.y + p.l.box.h / 2 < face.y + 2.5 * face.h)
    .map((p) => p.l);
  return { fields, column: alignedColumn(stacked, face.w) };
}
