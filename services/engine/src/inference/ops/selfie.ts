import type { Face } from '../detect';
import { runSsd, runTiny, TINY_HINT_SCORE } from '../detection';
import { area, iou } from '../geometry';
import { detectFaces, type Prepared } from '../pipeline';

// A selfie's other faces count when they are confident and at least this fraction of the main face's height:
// smaller ones are people far behind the subject, not a second subject.
const CLEAR_FACE_MIN_SCORE = 0.5;
const CLEAR_FACE_MIN_RELATIVE_HEIGHT = 0.4;

export function clearFaces(faces: Face[]): Face[] {
  const main = faces[0];
  if (!main) return [];
  return faces.filter(
    (f) =>
      f === main ||
      (f.score >= CLEAR_FACE_MIN_SCORE && f.box.h >= CLEAR_FACE_MIN_RELATIVE_HEIGHT * main.box.h),
  );
}

/**
 * Clear faces in a selfie. The cascade's tiny detector sometimes scores a second person under 0.5: a low-threshold
 * pass looks for such a hint of a second face of comparable size, and SSD (which finds them) then decides.
 */
export async function clearFacesInSelfie(selfie: Prepared): Promise<number> {
  const clear = clearFaces(selfie.faces);
  const main = selfie.faces[0];
  if (clear.length > 1 || !main) return clear.length;
  // The tiny detector can score a second, half-turned face below its 0.5 cut (the cascade's pass kept those).
  const candidates =
    selfie.hints ?? (await detectFaces(selfie, (t) => runTiny(selfie.nets, t, TINY_HINT_SCORE)));
  const hints = candidates.filter(
    (f) => iou(f.box, main.box) < 0.3 && f.box.h >= CLEAR_FACE_MIN_RELATIVE_HEIGHT * main.box.h,
  );
  if (hints.length === 0) return clear.length;
  const ssd = (await detectFaces(selfie, (t) => runSsd(selfie.nets, t))).sort(
    (a, b) => area(b.box) - area(a.box),
  );
  return Math.max(clear.length, clearFaces(ssd).length);
}
