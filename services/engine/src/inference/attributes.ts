import type { ClassResult, ClassScore } from '@deepface/proto';
import type { Face } from './detect';
import { type Box, pointsBox } from './geometry';
import type { Nets, PixelBatch } from './backends/nets';
import { MODEL_NAMES } from './about';
import { cropAndResizeBatch, type NormalisedBox } from './pixels/crop-resize';
import { faceInputBatch } from './pixels/face-input';
import type { RgbImage } from './pixels/rgb-image';

// face-api's expression labels (also the fixture files' names) → the API's emotion names.
export const EMOTIONS: Readonly<Record<string, string>> = {
  angry: 'angry',
  disgusted: 'disgust',
  fearful: 'fear',
  happy: 'happy',
  neutral: 'neutral',
  sad: 'sad',
  surprised: 'surprise',
};

// GEAR's race head predicts these five classes, in this order (human's gear.ts). We report them as they are:
// no "latino hispanic" or "middle eastern" probabilities are invented.
const RACES = ['white', 'black', 'asian', 'indian', 'other'] as const;

/**
 * Probabilities → percentages with two decimals that sum to exactly 100 (largest-remainder rounding), so the
 * figures a client adds up never disagree with the dominant class.
 */
export function toPercentages(labels: readonly string[], probabilities: ArrayLike<number>): ClassScore[] {
  const values = labels.map((_, i) => Math.max(0, probabilities[i] ?? 0));
  const total = values.reduce((a, b) => a + b, 0) || 1;
  const scaled = values.map((v) => (v / total) * 10000);
  const floors = scaled.map(Math.floor);
  let rest = 10000 - floors.reduce((a, b) => a + b, 0);
  const order = scaled.map((v, i) => ({ i, frac: v - Math.floor(v) })).sort((a, b) => b.frac - a.frac);
  for (const { i } of order) {
    if (rest <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    rest--;
  }
  return labels.map((label, i) => ({ label, percent: (floors[i] ?? 0) / 100 }));
}

function classResult(scores: ClassScore[], model: string): ClassResult {
  const dominant = scores.reduce(
    (a, b) => ((b.percent ?? 0) > (a.percent ?? 0) ? b : a),
    scores[0] ?? { label: '' },
  );
  return { dominant: dominant.label ?? '', scores, model };
}

/** The box face-api's attribute nets were trained on: the landmarks' bounding box grown by 20 %. */
function landmarkBox(face: Face): Box {
  const pts = face.landmarks;
  if (!pts || pts.length === 0) return face.box;
  const { x, y, w, h } = pointsBox(pts);
  return { x: x - 0.1 * w, y: y - 0.1 * h, w: 1.2 * w, h: 1.2 * h };
}

/** face-api's 112-px input batch of the faces' landmark boxes (its extractFaceTensors crops). */
export function attributeBatch(image: RgbImage, faces: Face[]): PixelBatch {
  return faceInputBatch(image, faces.map(landmarkBox)).batch;
}

export interface AgeGender {
  age: number;
  gender: ClassResult;
}

/** Age and gender per face of `batch` (attributeBatch). */
export async function ageGenderOf(nets: Nets, batch: PixelBatch): Promise<AgeGender[]> {
  if (batch.shape[0] === 0) return [];
  const predictions = await nets.ageGender(batch);
  return predictions.map((p) => {
    const male = p.male;
    return {
      age: Math.round(p.age * 10) / 10,
      gender: classResult(toPercentages(['Man', 'Woman'], [male, 1 - male]), MODEL_NAMES.ageGender),
    };
  });
}

/** Emotions per face of `batch` (attributeBatch). */
export async function emotionsOf(nets: Nets, batch: PixelBatch): Promise<ClassResult[]> {
  if (batch.shape[0] === 0) return [];
  const out = await nets.expressions(batch);
  const labels = Object.keys(EMOTIONS).sort();
  return out.map((e) =>
    classResult(
      toPercentages(
        labels.map((k) => EMOTIONS[k] ?? k),
        labels.map((k) => Number(e[k] ?? 0)),
      ),
      MODEL_NAMES.expression,
    ),
  );
}

export async function predictAgeGender(nets: Nets, image: RgbImage, faces: Face[]): Promise<AgeGender[]> {
  return faces.length === 0 ? [] : ageGenderOf(nets, attributeBatch(image, faces));
}

// GEAR's input: a face crop of 198×198 in [0,1], taken (as human does) from a square around the face with a
// 10 % margin trimmed left and right and at the bottom.
const GEAR_SIZE = 198;

/** GEAR's input batch [n, 198, 198, 3] in [0, 1] of the faces' crops. */
export function raceInput(image: RgbImage, faces: Face[]): PixelBatch {
  const { width: w, height: h } = image;
  const boxes = faces.map((f): NormalisedBox => {
    const b = landmarkBox(f);
    const side = Math.max(b.w, b.h) * 1.25;
    const cx = b.x + b.w / 2;
    const cy = b.y + b.h / 2 - 0.05 * side;
    const x0 = cx - side / 2;
    const y0 = cy - side / 2;
    // [y1, x1, y2, x2] normalised, after trimming 10 % left/right and bottom.
    return [y0 / h, (x0 + 0.1 * side) / w, (y0 + 0.9 * side) / h, (x0 + 0.9 * side) / w];
  });
  // tf.image.cropAndResize, bilinear, RGB / 255.
  return cropAndResizeBatch(image, boxes, GEAR_SIZE, 255);
}

/** GEAR's probabilities per face (Nets.race) as the API's race results. */
export function raceResults(rows: number[][]): ClassResult[] {
  return rows.map((row) => classResult(toPercentages(RACES, row), MODEL_NAMES.race));
}

export async function predictRace(nets: Nets, image: RgbImage, faces: Face[]): Promise<ClassResult[]> {
  if (faces.length === 0) return [];
  return raceResults(await nets.race(raceInput(image, faces)));
}
