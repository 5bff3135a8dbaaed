import type { RoleEvidence } from '@deepface/proto';
import type { DecodedImage } from '../../image/decode';
import type { Face } from '../detect';
import type { Box } from '../geometry';
import { toGray, type Region } from './gray';
import { hasMrz } from './mrz';
import { charCount, findTextLines } from './textlines';

// Document analysis runs on a copy whose long side is at most this: card text stays 8+ px tall.
const ANALYSIS_SIDE = 1024;

export interface RoleFeatures {
  faces: number;
  /** Main face height / image height. */
  faceRatio: number;
  textLines: number;
  /** Lines of 8 characters or more: fields and MRZ rows, rarely the accidental lines of a background. */
  longLines: number;
  mrz: boolean;
  /** A second, much smaller face: the "ghost" portrait printed on many documents. */
  ghost: boolean;
}

// Where a document's text sits around its portrait, in face boxes: a passport page's fields reach ~4.5 face
// widths to the right of the face and its MRZ ~3 face heights below; an ID card's are closer.
const REACH = { left: 4.5, right: 5.5, up: 2, down: 3 };

/** The part of the image a document around this face would occupy (the whole image when there is no face). */
function documentRegion(image: DecodedImage, face: Face | undefined): Region {
  if (!face) return { x: 0, y: 0, w: image.workWidth, h: image.workHeight };
  const b = face.box;
  const x0 = Math.max(0, Math.floor(b.x - REACH.left * b.w));
  const y0 = Math.max(0, Math.floor(b.y - REACH.up * b.h));
  const x1 = Math.min(image.workWidth, Math.ceil(b.x + REACH.right * b.w));
  const y1 = Math.min(image.workHeight, Math.ceil(b.y + REACH.down * b.h));
  return { x: x0, y: y0, w: Math.max(1, x1 - x0), h: Math.max(1, y1 - y0) };
}

export function roleFeatures(image: DecodedImage, faces: Face[]): RoleFeatures {
  const main = faces[0];
  const second = faces[1];
  // Around a small face (a card photographed from afar) the region is small: it is read at full resolution.
  const region = documentRegion(image, main);
  const { gray, factor } = toGray(image.rgb, image.workWidth, image.workHeight, ANALYSIS_SIDE, region);
  // Hair, eyes and mouth make glyph-like blobs: leave out the heads (the face box grown over the hair).
  const heads: Box[] = faces.map(({ box: b }) => ({
    x: (b.x - 0.25 * b.w - region.x) / factor,
    y: (b.y - 0.5 * b.h - region.y) / factor,
    w: (1.5 * b.w) / factor,
    h: (1.65 * b.h) / factor,
  }));
  const text = findTextLines(gray, heads);
  return {
    faces: faces.length,
    faceRatio: main ? main.box.h / image.workHeight : 0,
    textLines: text.lines.length,
    longLines: text.lines.filter((l) => l.glyphs.reduce((n, g) => n + charCount(g), 0) >= 8).length,
    mrz: hasMrz(text.lines),
    ghost: !!main && !!second && (second.box.w * second.box.h) / (main.box.w * main.box.h) < 0.45,
  };
}

/** The model's inputs, capped so one very busy image cannot dominate. */
export function roleVector(f: RoleFeatures): number[] {
  return [Math.min(f.textLines, 12), Math.min(f.longLines, 8), f.mrz ? 1 : 0, f.ghost ? 1 : 0, f.faceRatio];
}

/**
 * Logistic-regression weights over roleVector (bias first), fitted by `pnpm eval fit-roles` on synthetic
 * documents and selfies of another seed than the evaluation's; the README reports the held-out accuracy.
 */
export const ROLE_WEIGHTS: readonly number[] = [-2.26, 0.24, 1.5, 0.02, 0, -6.04];

/** Probability-like score that an image is an identity document. */
export function documentScore(f: RoleFeatures): number {
  const x = roleVector(f);
  const z = x.reduce((acc, v, i) => acc + v * (ROLE_WEIGHTS[i + 1] ?? 0), ROLE_WEIGHTS[0] ?? 0);
  return 1 / (1 + Math.exp(-z));
}

export function roleEvidence(f: RoleFeatures, score: number, role: 'DOCUMENT' | 'SELFIE'): RoleEvidence {
  return {
    role,
    document_score: Math.round(score * 1000) / 1000,
    text_lines: f.textLines,
    mrz: f.mrz,
    card_boundary: false,
    face_ratio: Math.round(f.faceRatio * 1000) / 1000,
    faces: f.faces,
  };
}

// Both images must clearly look alike before the pair is refused: otherwise the more document-like image is the
// document (a selfie with a busy background and a blurred card photographed from afar can both sit near 0.5).
export const SURE_DOCUMENT = 0.8;
const SURE_SELFIE = 0.2;

/** Roles from the two document scores, decided jointly (README: "How Verify tells a document from a selfie"). */
export function assignRoles(
  s1: number,
  s2: number,
): 'in-order' | 'swapped' | 'two-documents' | 'two-selfies' {
  if (Math.min(s1, s2) >= SURE_DOCUMENT) return 'two-documents';
  if (Math.max(s1, s2) <= SURE_SELFIE) return 'two-selfies';
  if (s1 === s2) return s1 >= 0.5 ? 'two-documents' : 'two-selfies';
  return s1 > s2 ? 'in-order' : 'swapped';
}
