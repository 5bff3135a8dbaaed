import type { DecodedImage } from '../../../contract/image';
import type { Box } from '../../geometry';
import { toGray } from '../gray';
import { findMrz, zoneOf, type MrzZone } from '../mrz';
import { withScratch } from '../scratch';
import { findTextLines } from '../textlines';
import { readMrz } from './read-mrz';
import type { MrzOutcome } from '../../../contract/document';

export type { MrzOutcome };

// The zone is found on a copy this size (as the role analysis does) and read from the working copy.
const FIND_SIDE = 1024;
// Margins around the rows found, in capital heights: a row's faint trailing fillers are often not found, and a
// TD1 card's third row may lie beyond the two rows that were.
const MARGIN = { left: 2, right: 6, rows: 1.5, td1Rows: 3.5 };
// Rows of fewer characters than this may be two rows of a TD1 card's three.
const TD1_CHARS = 33;

// Below this capital height (working-copy pixels) OCR-B's look-alikes (O/0, E/C, M/W) are a few pixels apart and
// a reading would be a guess: ~100 dpi for the 2.4 mm capitals of ICAO 9303 zones (document readers ask 300 dpi).
export const MIN_READ_CAP = 10;

/**
 * Finds the machine-readable zone of a document image by its geometry and reads it. `face` (the portrait, in
 * working-copy pixels) lets the search keep only zones at the portrait's scale below it. Verify does not search
 * again: the role analysis hands over the zone it found (`readMrzZone`).
 */
export function readDocumentMrz(image: DecodedImage, face?: Box): MrzOutcome {
  // The gray copy, mask and labels are scratch: only the zone's rows leave the scope (the reader takes its own).
  const zone = withScratch((scratch) => {
    const { gray, factor } = toGray(
      image.rgb,
      image.workWidth,
      image.workHeight,
      FIND_SIDE,
      undefined,
      scratch,
    );
    const scaled = face && { x: face.x / factor, y: face.y / factor, w: face.w / factor, h: face.h / factor };
    const band = findMrz(findTextLines(gray, scaled ? [scaled] : [], scratch).lines, scaled);
    return band && zoneOf(band, factor);
  });
  return zone ? readMrzZone(image, zone) : { status: 'absent' };
}

/** Reads a zone already found (its rows in working-copy pixels). */
export function readMrzZone(image: DecodedImage, zone: MrzZone): MrzOutcome {
  const rows = zone.rows;
  const cap = Math.max(...rows.map((l) => l.capHeight));
  if (cap < MIN_READ_CAP) return { status: 'too_small', capPx: cap };
  const vertical = zone.chars <= TD1_CHARS ? MARGIN.td1Rows : MARGIN.rows;
  const x0 = Math.max(0, Math.min(...rows.map((l) => l.box.x)) - MARGIN.left * cap);
  const y0 = Math.max(0, Math.min(...rows.map((l) => l.box.y)) - vertical * cap);
  const x1 = Math.min(image.workWidth, Math.max(...rows.map((l) => l.box.x + l.box.w)) + MARGIN.right * cap);
  const y1 = Math.min(image.workHeight, Math.max(...rows.map((l) => l.box.y + l.box.h)) + vertical * cap);
  const reading = readMrz(
    image.rgb,
    image.workWidth,
    image.workHeight,
    { x: x0, y: y0, w: x1 - x0, h: y1 - y0 },
    cap,
  );
  return reading ? { status: 'read', reading } : { status: 'unreadable' };
}
