// Face quality: what makes a face unreliable to compare, measured cheaply (~1 ms) on the working copy, in one
// place. The components follow ISO/IEC 29794-5 and BSI OFIQ (inter-eye distance, sharpness, under-/over-exposure,
// head pose), each with its native measure and a 0–100 score; the limits that refuse a face come from the
// recognition drift measured by `pnpm eval quality` (where degraded genuine pairs stop matching) and depend on the
// role the image plays in a Verify. Where this differs from OFIQ is said in the README ("Face quality").
import type { QualitySummary, Role } from '@deepface/proto';
import type { FaceMeasures } from '../contract/evidence';
import type { Face } from './detect';
import { clip, mean, type Pt } from './geometry';
import type { DecodedImage } from '../contract/image';

/** The face box resampled to at most SAMPLE² (area average): sharpness is then measured at one face scale. */
const SAMPLE = 96;
/** Luma at or above this is clipped (a specular highlight or a blown-out flash). */
const CLIPPED = 250;

export type QualityIssue = 'too_small' | 'blurry' | 'too_dark' | 'too_bright' | 'glare' | 'pose';

/** The limits a face must meet, per role (Verify) — a measure beyond its limit is an issue. */
export interface QualityLimits {
  /** Inter-eye distance, pixels of the image as sent. */
  minEyePx: number;
  /** Laplacian variance / luma variance of the face (contrast-normalised sharpness). */
  minSharpness: number;
  /** Mean luma of the inner face, 0–255. */
  minBrightness: number;
  maxBrightness: number;
  /** Share of clipped pixels on the inner face. */
  maxGlare: number;
  /** Degrees. Pitch is reported, never refused on: from 2-D landmarks it is too coarse (README). */
  maxYaw: number;
  maxRoll: number;
}

/**
 * Selfies: limits from `pnpm eval quality` (README "Face quality"). Each sits between the degradation level where
 * genuine pairs still match and the one where they stop (log midpoint for size and blur), and below every genuine
 * photo measured: eyes 16 px still match (97 %), 8 px lose half; sharpness 0.02 (blur 2 % of the face) still
 * matches, 0.005 (4 %) mostly not; a specular patch clipping 8 % of the inner face already loses a fifth of the
 * pairs (genuine photos: ≤ 0.6 %); rolls of 35° still match, 50° lose a fifth. Darkness barely moves distances
 * while a face is found at all, so "too dark" is the signal floor (a face within the bottom 8 % of the range).
 */
export const SELFIE_LIMITS: QualityLimits = {
  minEyePx: 12,
  minSharpness: 0.01,
  minBrightness: 20,
  maxBrightness: 225,
  maxGlare: 0.05,
  maxYaw: 60,
  maxRoll: 45,
};

/**
 * Document portraits are printed and small: the print's own resolution and halftone soften the face however well
 * the document is photographed, and a retake cannot enlarge the print. The limits that measure the capture
 * (exposure, glare, pose) are the selfie's; size and sharpness go down to where recognition is lost (eyes 8 px,
 * sharpness 0.005) with a margin, instead of the selfie's midpoints: the document is the reference, and a user
 * can retake a selfie but not reprint a passport.
 */
export const DOCUMENT_LIMITS: QualityLimits = {
  ...SELFIE_LIMITS,
  minEyePx: 10,
  minSharpness: 0.007,
};

export function limitsFor(role: Role | undefined): QualityLimits {
  return role === 'DOCUMENT' ? DOCUMENT_LIMITS : SELFIE_LIMITS;
}

interface Sample {
  luma: Float32Array;
  w: number;
  h: number;
}

/** Luma of the face box, averaged (over up to 16 points a cell) down to at most SAMPLE px a side (never upsampled). */
function faceLuma(image: DecodedImage, face: Face): Sample {
  const b = clip(face.box, image.workWidth, image.workHeight);
  // int32 (`| 0`): Math.round's and Math.floor's whole numbers are doubles, which V8 carries into index arithmetic.
  const w = Math.max(1, Math.min(SAMPLE, Math.round(b.w))) | 0;
  const h = Math.max(1, Math.min(SAMPLE, Math.round(b.h))) | 0;
  const luma = new Float32Array(w * h);
  const { rgb, workWidth } = image;
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor(b.y + (y * b.h) / h) | 0;
    const y1 = Math.max(y0 + 1, Math.floor(b.y + ((y + 1) * b.h) / h)) | 0;
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor(b.x + (x * b.w) / w) | 0;
      const x1 = Math.max(x0 + 1, Math.floor(b.x + ((x + 1) * b.w) / w)) | 0;
      let s = 0;
      let n = 0;
      // At most 4 × 4 reads per cell: a large face costs no more than a small one (~1 ms in all).
      const sy = Math.max(1, Math.floor((y1 - y0) / 4)) | 0;
      const sx = Math.max(1, Math.floor((x1 - x0) / 4)) | 0;
      for (let yy = y0; yy < y1 && yy < image.workHeight; yy += sy)
        for (let xx = x0; xx < x1 && xx < workWidth; xx += sx) {
          const i = (yy * workWidth + xx) * 3;
          s += 0.299 * (rgb[i] ?? 0) + 0.587 * (rgb[i + 1] ?? 0) + 0.114 * (rgb[i + 2] ?? 0);
          n++;
        }
      luma[y * w + x] = n > 0 ? s / n : 0;
    }
  }
  return { luma, w, h };
}

/** Inside the ellipse inscribed in the central part of the box: skin, eyes and mouth, little background or hair. */
const inner = (x: number, y: number, w: number, h: number): boolean =>
  ((x + 0.5 - w / 2) / (0.4 * w)) ** 2 + ((y + 0.5 - h / 2) / (0.45 * h)) ** 2 <= 1;

const DEG = 180 / Math.PI;
// Nose tip between the eye line (0) and the mouth line (1) on a frontal face. dlib's 68-point mean shape says
// 0.54; face-api's landmark net places point 30 lower: 0.6 is its median on the genuine photos of `pnpm eval`.
const FRONTAL_NOSE = 0.6;
// Change of that ratio per radian of pitch: nose-tip protrusion (~0.32) minus the mouth's (~0.14 × 0.54), both
// relative to the eye–mouth distance (adult anthropometry). A coarse model: pitch is the least precise angle.
const NOSE_PER_RADIAN = 0.24;

/** A face whose 68 landmarks were located, with the eye centres and roll detect.ts derived from them. */
type LocatedFace = Required<Pick<Face, 'landmarks' | 'leftEye' | 'rightEye' | 'roll'>>;

/** Yaw, pitch and roll (degrees) from the 68 landmarks, in the frame of the eye line. */
export function headPose(face: LocatedFace): { yaw: number; pitch: number; roll: number } {
  const { landmarks: lm, rightEye: right, leftEye: left, roll } = face;
  const c = Math.cos(-roll);
  const s = Math.sin(-roll);
  const r = (p: Pt | undefined): Pt => ({
    x: (p?.x ?? 0) * c - (p?.y ?? 0) * s,
    y: (p?.x ?? 0) * s + (p?.y ?? 0) * c,
  });
  const jawL = r(lm[0]);
  const jawR = r(lm[16]);
  const nose = r(lm[30]);
  const eyes = r(mean([right, left]));
  const mouth = r(mean([lm[48] ?? eyes, lm[54] ?? eyes]));
  const half = (jawR.x - jawL.x) / 2;
  // The nose tip turns about the head's vertical axis about one half-face width in front of it.
  const offset = (nose.x - (jawL.x + half)) / Math.max(1, half);
  const ratio = (nose.y - eyes.y) / Math.max(1, mouth.y - eyes.y);
  const asin = (v: number): number => Math.asin(Math.max(-1, Math.min(1, v))) * DEG;
  const pitch = Math.max(-90, Math.min(90, ((ratio - FRONTAL_NOSE) / NOSE_PER_RADIAN) * DEG));
  return { yaw: asin(offset), pitch, roll: roll * DEG };
}

function located(face: Face): face is Face & LocatedFace {
  return face.landmarks?.length === 68 && !!face.leftEye && !!face.rightEye && face.roll !== undefined;
}

/** The native measures of one face (working-copy landmarks, when located, give eye distance and pose). */
export function measureFace(image: DecodedImage, face: Face): FaceMeasures {
  const { luma, w, h } = faceLuma(image, face);
  let sum = 0;
  let sq = 0;
  let clipped = 0;
  let n = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (!inner(x, y, w, h)) continue;
      const v = luma[y * w + x] ?? 0;
      sum += v;
      sq += v * v;
      if (v >= CLIPPED) clipped++;
      n++;
    }
  const brightness = sum / Math.max(1, n);
  const variance = Math.max(0, sq / Math.max(1, n) - brightness ** 2);
  // Variance of the 4-neighbour Laplacian: low when edges are soft (defocus, motion blur, heavy compression).
  let lapSum = 0;
  let lapSq = 0;
  let m = 0;
  for (let y = 1; y < h - 1; y++)
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const lap =
        (luma[i - 1] ?? 0) +
        (luma[i + 1] ?? 0) +
        (luma[i - w] ?? 0) +
        (luma[i + w] ?? 0) -
        4 * (luma[i] ?? 0);
      lapSum += lap;
      lapSq += lap * lap;
      m++;
    }
  const lapVar = m > 0 ? Math.max(0, lapSq / m - (lapSum / m) ** 2) : 0;
  const eyes =
    face.leftEye && face.rightEye
      ? Math.hypot(face.leftEye.x - face.rightEye.x, face.leftEye.y - face.rightEye.y) * image.scale
      : undefined;
  return {
    facePx: Math.round(face.box.h * image.scale),
    brightness,
    contrast: Math.sqrt(variance),
    laplacian: lapVar,
    // Variance 0 (a flat patch) is no face detail at all.
    sharpness: variance > 1 ? lapVar / variance : 0,
    glare: clipped / Math.max(1, n),
    ...(eyes !== undefined ? { eyePx: eyes } : {}),
    ...(located(face) ? headPose(face) : {}),
  };
}

/** 0 at `lost`, 100 at `fine`, linear in log of the measure between them (size- and blur-like measures). */
function logScore(v: number, lost: number, fine: number): number {
  if (!(v > 0)) return 0;
  return 100 * Math.max(0, Math.min(1, Math.log(v / lost) / Math.log(fine / lost)));
}

/** 0 at `lost`, 100 at `fine` (either order), linear between them. */
function linScore(v: number, lost: number, fine: number): number {
  return 100 * Math.max(0, Math.min(1, (v - lost) / (fine - lost)));
}

/**
 * Component scores, 0 where the eval saw recognition lost and 100 where it saw no effect (OFIQ maps each native
 * measure to 0–100 with a fitted sigmoid; we map linearly between two measured anchors).
 */
export function qualityScores(q: FaceMeasures): NonNullable<QualitySummary['scores']> {
  const exposure = Math.min(linScore(q.brightness, 8, 50), linScore(q.brightness, 250, 200));
  const pose =
    q.yaw === undefined
      ? 100
      : Math.min(linScore(Math.abs(q.yaw), 75, 20), linScore(Math.abs(q.roll ?? 0), 55, 35));
  return {
    resolution: Math.round(q.eyePx === undefined ? 100 : logScore(q.eyePx, 6, 25)),
    sharpness: Math.round(logScore(q.sharpness, 0.002, 0.05)),
    exposure: Math.round(exposure),
    glare: Math.round(linScore(q.glare, 0.25, 0.01)),
    pose: Math.round(pose),
  };
}

/** What keeps the face below the limits. */
export function qualityIssues(q: FaceMeasures, limits: QualityLimits): QualityIssue[] {
  const issues: QualityIssue[] = [];
  if (q.eyePx !== undefined ? q.eyePx < limits.minEyePx : q.facePx < limits.minEyePx * 3)
    issues.push('too_small');
  if (q.sharpness < limits.minSharpness) issues.push('blurry');
  if (q.brightness < limits.minBrightness) issues.push('too_dark');
  if (q.brightness > limits.maxBrightness) issues.push('too_bright');
  if (q.glare > limits.maxGlare) issues.push('glare');
  if (Math.abs(q.yaw ?? 0) > limits.maxYaw || Math.abs(q.roll ?? 0) > limits.maxRoll) issues.push('pose');
  return issues;
}

const r2 = (v: number): number => Math.round(v * 100) / 100;

/** The answer's quality summary: measures, scores, and the issues against the role's limits. */
export function qualitySummary(q: FaceMeasures, role?: Role): QualitySummary {
  const scores = qualityScores(q);
  const issues = qualityIssues(q, limitsFor(role));
  return {
    face_px: q.facePx,
    brightness: r2(q.brightness),
    sharpness: r2(q.laplacian),
    glare: r2(q.glare),
    sharpness_ratio: Math.round(q.sharpness * 1e4) / 1e4,
    issues,
    eye_distance_px: r2(q.eyePx ?? 0),
    yaw: r2(q.yaw ?? 0),
    pitch: r2(q.pitch ?? 0),
    roll: r2(q.roll ?? 0),
    scores,
    score: Math.min(...Object.values(scores).map(Number)),
    judged_as: role ?? 'ROLE_UNSPECIFIED',
    acceptable: issues.length === 0,
  };
}

/** Detect's summary of a face: judged against the selfie limits. */
export function qualityOf(image: DecodedImage, face: Face): QualitySummary {
  return qualitySummary(measureFace(image, face));
}
