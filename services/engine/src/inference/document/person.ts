// A photographed person continues below the face — neck, shoulders two to three face widths across, a body — and
// out of the frame; a document's portrait is a printed photo cut by its own edges (its shoulders at most about
// 1.6 face widths across, the photo's width) with card below it: fields, an MRZ, the card's border. Measured with
// the person mask on the real-photo development set and the synthetic sets (README): the body under the face ran
// out of the bottom edge with shoulders wider than a portrait's on every real photo of a person, and on no document.
import type { Box } from '../geometry';
import type { PersonMask } from './selfie-segmentation';

// A row continues the body when this share of the column under the face is person: the neck fills a fifth of
// it; from the shoulders down, a torso fills most of it (a mask's stray patches do not).
const NECK_SHARE = 0.2;
const TORSO_SHARE = 0.6;
const NECK_DEPTH = 0.6;
const PERSON = 0.5;
// Shoulders: somewhere between 0.3 and 1.2 face heights below the chin, the person is this many face widths wide
// (unless the frame itself is too narrow to show that, as in a tight crop).
const SHOULDERS = { from: 0.3, to: 1.2, width: 1.8 } as const;

/** Width of the run of person pixels in row y that contains column x (0 if x is not person). */
function runAround(mask: PersonMask, y: number, x: number): { x0: number; x1: number } | undefined {
  const n = mask.size;
  const at = (c: number) => mask.data[y * n + c]! > PERSON;
  if (!at(x)) return undefined;
  let x0 = x;
  let x1 = x;
  while (x0 > 0 && at(x0 - 1)) x0--;
  while (x1 < n - 1 && at(x1 + 1)) x1++;
  return { x0, x1 };
}

/**
 * Whether the person under the face runs unbroken from the chin to the bottom edge of the image, with shoulders
 * wider than a printed portrait's. `face` is in the image's own pixels, `width`×`height` its size (the mask covers
 * the whole image, stretched to a square).
 */
export function personRunsOutOfFrame(mask: PersonMask, face: Box, width: number, height: number): boolean {
  const n = mask.size;
  const sx = n / width;
  const sy = n / height;
  // The column of the neck and shoulders directly under the face.
  const c0 = Math.max(0, Math.floor((face.x - 0.3 * face.w) * sx));
  const c1 = Math.min(n - 1, Math.ceil((face.x + 1.3 * face.w) * sx));
  const chin = Math.max(0, Math.min(n - 1, Math.round((face.y + face.h) * sy)));
  const centre = Math.max(0, Math.min(n - 1, Math.round((face.x + face.w / 2) * sx)));
  // A frame narrower than a person's shoulders (a tight crop) cannot show them.
  let wide = width < (SHOULDERS.width + 0.4) * face.w;
  // A frame that ends above the shoulders (a tight crop) cuts a photographed person; a printed portrait always
  // has its own lower edge and card below it.
  const cutShort = (bottom: number): boolean => (bottom - chin) / (face.h * sy) < SHOULDERS.to;
  for (let y = chin; y < n; y++) {
    let person = 0;
    for (let x = c0; x <= c1; x++) if (mask.data[y * n + x]! > PERSON) person++;
    // The mask's last rows are soft: a body ending within 2 % of the bottom edge runs out of it.
    const below = (y - chin) / (face.h * sy);
    const share = below < NECK_DEPTH ? NECK_SHARE : TORSO_SHARE;
    if (person < share * (c1 - c0 + 1)) return y >= n - Math.ceil(0.02 * n) && (wide || cutShort(y));
    if (!wide && below >= SHOULDERS.from && below <= SHOULDERS.to) {
      // The run through the body's middle: under the face's centre, or the widest one in the column.
      const run = runAround(mask, y, centre);
      if (run) wide = (run.x1 - run.x0 + 1) / (face.w * sx) >= SHOULDERS.width;
    }
  }
  return wide || cutShort(n);
}
