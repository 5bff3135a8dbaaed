import type { QualitySummary } from '@deepface/proto';
import type { Face } from './detect';
import { clip } from './geometry';
import type { DecodedImage } from '../contract/image';

// Measured on the fixtures (bench/eval): below these, recognition distances drift upwards.
const MIN_FACE_PX = 48;
const MIN_SHARPNESS = 60;
const MIN_BRIGHTNESS = 50;
const MAX_GLARE = 0.12;
const SAMPLE = 96;

/** Luma of the face resampled to SAMPLE×SAMPLE (nearest pixel): the measures below are then size-independent. */
function faceLuma(image: DecodedImage, face: Face): Float32Array {
  const b = clip(face.box, image.workWidth, image.workHeight);
  const out = new Float32Array(SAMPLE * SAMPLE);
  for (let y = 0; y < SAMPLE; y++) {
    const sy = Math.min(image.workHeight - 1, Math.floor(b.y + ((y + 0.5) * b.h) / SAMPLE));
    for (let x = 0; x < SAMPLE; x++) {
      const sx = Math.min(image.workWidth - 1, Math.floor(b.x + ((x + 0.5) * b.w) / SAMPLE));
      const i = (sy * image.workWidth + sx) * 3;
      out[y * SAMPLE + x] =
        0.299 * (image.rgb[i] ?? 0) + 0.587 * (image.rgb[i + 1] ?? 0) + 0.114 * (image.rgb[i + 2] ?? 0);
    }
  }
  return out;
}

/** Size, exposure, glare and focus of a face, with the problems that make recognition unreliable. */
export function qualityOf(image: DecodedImage, face: Face): QualitySummary {
  const luma = faceLuma(image, face);
  let sum = 0;
  let clipped = 0;
  for (const v of luma) {
    sum += v;
    if (v >= 250) clipped++;
  }
  // Variance of the 4-neighbour Laplacian: low when edges are soft (defocus, motion blur, heavy compression).
  let lapSum = 0;
  let lapSq = 0;
  let n = 0;
  for (let y = 1; y < SAMPLE - 1; y++) {
    for (let x = 1; x < SAMPLE - 1; x++) {
      const i = y * SAMPLE + x;
      const lap =
        (luma[i - 1] ?? 0) +
        (luma[i + 1] ?? 0) +
        (luma[i - SAMPLE] ?? 0) +
        (luma[i + SAMPLE] ?? 0) -
        4 * (luma[i] ?? 0);
      lapSum += lap;
      lapSq += lap * lap;
      n++;
    }
  }
  const brightness = sum / luma.length;
  const sharpness = lapSq / n - (lapSum / n) ** 2;
  const glare = clipped / luma.length;
  const facePx = Math.round(face.box.h * image.scale);
  const issues: string[] = [];
  if (facePx < MIN_FACE_PX) issues.push('too_small');
  if (sharpness < MIN_SHARPNESS) issues.push('blurry');
  if (brightness < MIN_BRIGHTNESS) issues.push('too_dark');
  if (glare > MAX_GLARE) issues.push('glare');
  const r = (v: number): number => Math.round(v * 100) / 100;
  return { face_px: facePx, brightness: r(brightness), sharpness: r(sharpness), glare: r(glare), issues };
}
