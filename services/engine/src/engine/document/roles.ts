import type { RoleEvidence } from '@deepface/proto';
import type { DecodedImage } from '../../image/decode';
import type { Face } from '../detect';
import type { Box } from '../geometry';
import { toGray } from './gray';
import { hasMrz } from './mrz';
import { findTextLines } from './textlines';

// Document analysis runs on a copy whose long side is at most this: card text stays 8+ px tall.
const ANALYSIS_SIDE = 1024;

export interface RoleFeatures {
  faces: number;
  /** Main face height / image height. */
  faceRatio: number;
  textLines: number;
  mrz: boolean;
  /** A second, much smaller face: the "ghost" portrait printed on many documents. */
  ghost: boolean;
}

export function roleFeatures(image: DecodedImage, faces: Face[]): RoleFeatures {
  const { gray, factor } = toGray(image.rgb, image.workWidth, image.workHeight, ANALYSIS_SIDE);
  // Hair, eyes and mouth make glyph-like blobs: leave out the heads (the face box grown over the hair).
  const heads: Box[] = faces.map(({ box: b }) => ({
    x: (b.x - 0.25 * b.w) / factor,
    y: (b.y - 0.5 * b.h) / factor,
    w: (1.5 * b.w) / factor,
    h: (1.65 * b.h) / factor,
  }));
  const text = findTextLines(gray, heads);
  const main = faces[0];
  const second = faces[1];
  return {
    faces: faces.length,
    faceRatio: main ? main.box.h / image.workHeight : 0,
    textLines: text.lines.length,
    mrz: hasMrz(text.lines),
    ghost: !!main && !!second && (second.box.w * second.box.h) / (main.box.w * main.box.h) < 0.45,
  };
}

/**
 * Probability-like score that an image is an identity document. A logistic model over the signals; its weights
 * were fitted on synthetic documents and selfies (bench/eval-roles) and are documented in the README.
 */
export function documentScore(f: RoleFeatures): number {
  const z = -2.5 + 0.9 * Math.min(f.textLines, 8) + (f.mrz ? 3 : 0) + (f.ghost && f.textLines > 0 ? 1.5 : 0) - 4 * Math.max(0, f.faceRatio - 0.35);
  return 1 / (1 + Math.exp(-z));
}

export function roleEvidence(f: RoleFeatures, score: number): RoleEvidence {
  return {
    role: score >= 0.5 ? 'DOCUMENT' : 'SELFIE',
    document_score: Math.round(score * 1000) / 1000,
    text_lines: f.textLines,
    mrz: f.mrz,
    card_boundary: false,
    face_ratio: Math.round(f.faceRatio * 1000) / 1000,
    faces: f.faces,
  };
}
