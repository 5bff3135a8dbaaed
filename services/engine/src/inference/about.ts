// Names and version the engine reports. Light on purpose: the main thread imports it (GetInfo) without tfjs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { DetectorName } from '../contract/evidence';

export const MODEL_NAMES = {
  recognition: 'face-api FaceRecognitionNet (ResNet-34 metric learning, 128-d, dlib-trained)',
  detector: 'face-api TinyFaceDetector with SsdMobilenetv1 fallback',
  landmarks: 'face-api FaceLandmark68Net',
  ageGender: 'face-api AgeGenderNet',
  expression: 'face-api FaceExpressionNet',
  race: 'human-models GEAR (race head, 5 classes)',
} as const;

const DETECTOR_NAMES: Record<DetectorName, string> = {
  tiny: 'face-api TinyFaceDetector',
  ssd: 'face-api SsdMobilenetv1',
};

/** The detector(s) that really found the faces, for the response's model info ("tiny / ssd" when both did). */
export function detectorNames(detectors: readonly DetectorName[]): string {
  return [...new Set(detectors.map((d) => DETECTOR_NAMES[d]))].join(' / ');
}

/** The package version, read once: src/inference and dist/inference both sit two levels below package.json. */
export const ENGINE_VERSION: string = z
  .object({ version: z.string() })
  .parse(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'))).version;
