// A document's text fields, found from where they sit relative to its portrait. Identity documents print their
// fields at the portrait's scale beside it (and their MRZ across the card below it), in left-aligned stacks of
// label and value lines of different lengths, on the side of the portrait away from the card's edge. A photo of a
// person can hold as much lettering — a press wall, a poster, a caption, a print or the "glyphs" of sequins and
// fur — but not in that arrangement: on the person's body below the face, around the head on both sides, in
// rows of one repeated logo, or at whatever size.
import type { Box } from '../geometry';
import { charCount, type TextLine } from './textlines';

/** Field text height relative to the portrait's face height: 1.5–3.5 mm capitals beside a 15–25 mm face. */
const FIELD_SCALE = { min: 0.03, max: 0.3 } as const;

export interface FieldLayout {
  /** Lines at the portrait's scale beside or below it (not over the head or along the body under it). */
  fields: TextLine[];
  /**
   * The longest stack of left-aligned field lines beside the portrait, on a side that holds the fields (not
   * lettering on both sides of a head) and not one line repeated (a logo wall): 0 when there is none.
   */
  column: number;
}

const lineChars = (l: TextLine): number => l.glyphs.reduce((n, g) => n + charCount(g), 0);

type Place = 'left' | 'right' | 'below' | 'body' | 'away';

/**
 * Where a line sits relative to the face (all in the same pixels): to the left or right of it, below it across
 * the card, along the body under it (a selfie's clothes, hair, a held object), or elsewhere.
 */
function placeOf(l: TextLine, face: Box): Place {
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
  if (below) return 'below';
  if (x0 > face.x + 0.9 * face.w) return 'right';
  if (x1 < face.x + 0.1 * face.w) return 'left';
  return 'away';
}

/**
 * The longest chain of lines stacked one under the other with left edges aligned (to a capital height or 5 % of
 * the face width, so a card turned a few degrees still chains), one to 4.5 capital heights apart (a value under the
 * next field's small label, which may be too small to be found).
 */
function alignedColumn(lines: readonly TextLine[], faceWidth: number): TextLine[] {
  const s = [...lines].sort((a, b) => a.box.y - b.box.y);
  const best = s.map(() => 1);
  const prev = s.map(() => -1);
  for (let j = 0; j < s.length; j++) {
    const b = s[j]!;
    for (let i = 0; i < j; i++) {
      const a = s[i]!;
      const cap = Math.max(a.capHeight, b.capHeight);
      const dy = b.box.y + b.box.h / 2 - (a.box.y + a.box.h / 2);
      if (dy < 0.9 * cap || dy > 4.5 * cap) continue;
      if (Math.abs(b.box.x - a.box.x) > Math.max(cap, 0.05 * faceWidth)) continue;
      if (best[i]! + 1 > best[j]!) {
        best[j] = best[i]! + 1;
        prev[j] = i;
      }
    }
  }
  if (s.length === 0) return [];
  let k = best.indexOf(Math.max(...best));
  const chain: TextLine[] = [];
  while (k >= 0) {
    chain.unshift(s[k]!);
    k = prev[k]!;
  }
  return chain;
}

/**
 * One line printed again and again (a logo wall's rows): every line of the stack as long as the others to 4 %,
 * with as many characters. Fields differ: a name, a date, a number — even two dates differ by a few pixels.
 */
export function repeated(column: readonly TextLine[]): boolean {
  if (column.length < 2) return false;
  const widths = column.map((l) => l.box.w);
  const chars = column.map(lineChars);
  const w = [...widths].sort((a, b) => a - b)[Math.floor(widths.length / 2)]!;
  return widths.every((x) => Math.abs(x - w) <= 0.04 * w) && chars.every((c) => c === chars[0]);
}

// The fields stacked beside a portrait are small print (labels and values, 1.5–3 mm capitals): larger lettering
// beside a face — a logo wall's, a poster's — is not stacked into a document's column.
const COLUMN_MAX_SCALE = 0.2;
// A portrait on the left has its fields' column right beside it, past the photo's edge: 0.2–0.7 face widths from
// the face box on the specimens and synthetic cards measured (README). Text further right, stacked however neatly,
// is not that column. A portrait on the right has left-aligned fields starting at the card's edge instead.
const RIGHT_COLUMN_MAX_GAP = 1.2;
// The fields' side holds nearly all the print beside the portrait; beyond the photo on the other side lies the
// card's edge (a few lines at most: a vertical title, a ghost image's caption). Measured: at most 3 lines there
// against 8 or more on the fields' side, on 113 real and synthetic documents.
const OTHER_SIDE_SHARE = 0.25;
const OTHER_SIDE_MIN = 2;

/** The field layout around a portrait (face box in the lines' pixels). */
export function fieldLayout(lines: readonly TextLine[], face: Box): FieldLayout {
  const placed = lines
    .filter((l) => l.capHeight / face.h >= FIELD_SCALE.min && l.capHeight / face.h <= FIELD_SCALE.max)
    .map((l) => ({ l, at: placeOf(l, face) }));
  const fields = placed.filter((p) => p.at !== 'body' && p.at !== 'away').map((p) => p.l);
  const side = (at: 'left' | 'right') => placed.filter((p) => p.at === at).map((p) => p.l);
  // The column stands beside the portrait, level with it (a caption under a person stacks lines too).
  const stackable = (l: TextLine) =>
    l.capHeight / face.h <= COLUMN_MAX_SCALE && l.box.y + l.box.h / 2 < face.y + 2.5 * face.h;
  const candidates = [
    {
      lines: side('right').filter(
        (l) => stackable(l) && l.box.x - (face.x + face.w) <= RIGHT_COLUMN_MAX_GAP * face.w,
      ),
      other: side('left').length,
      own: side('right').length,
    },
    { lines: side('left').filter(stackable), other: side('right').length, own: side('left').length },
  ];
  let column = 0;
  for (const c of candidates) {
    const chain = alignedColumn(c.lines, face.w);
    const oneSided = c.other <= Math.max(OTHER_SIDE_MIN, OTHER_SIDE_SHARE * c.own);
    if (oneSided && !repeated(chain)) column = Math.max(column, chain.length);
  }
  return { fields, column };
}
