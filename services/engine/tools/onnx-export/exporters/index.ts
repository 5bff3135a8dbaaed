// The ONNX exporters by model name: pure functions of a weights directory (nothing is downloaded), deterministic,
// so their bytes can be cached by a hash of the model's sources. Which files a model reads and its exporter's
// version live in the runtime's catalog (src/inference/backends/onnx/catalog.ts), which names the files it loads.
import {
  ONNX_MODELS,
  type OnnxModel,
  type OnnxModelName,
} from '../../../src/inference/backends/onnx/catalog';
import { exportAgeGenderNet } from './age-gender-net';
import { exportFaceExpressionNet } from './face-expression-net';
import { exportFaceLandmark68Net } from './face-landmark68-net';
import { exportFaceRecognitionNet } from './face-recognition-net';
import { exportGear } from './gear';
import { exportAntispoof, exportLiveness } from './presentation-attack';
import { exportSelfieSegmentation } from './selfie-segmentation';
import { exportSsdMobilenet } from './ssd-mobilenet';
import { exportTinyFaceDetector } from './tiny-face-detector';

export { ONNX_MODEL_NAMES, type OnnxModelName } from '../../../src/inference/backends/onnx/catalog';

export interface OnnxExporter extends OnnxModel {
  readonly export: (modelDir: string) => Uint8Array;
}

const EXPORT: Record<OnnxModelName, (modelDir: string) => Uint8Array> = {
  ssdMobilenetv1: exportSsdMobilenet,
  tinyFaceDetector: exportTinyFaceDetector,
  faceRecognitionNet: exportFaceRecognitionNet,
  faceLandmark68Net: exportFaceLandmark68Net,
  ageGenderNet: exportAgeGenderNet,
  faceExpressionNet: exportFaceExpressionNet,
  gear: (dir) => exportGear(dir, ['race_output']),
  antispoof: exportAntispoof,
  liveness: exportLiveness,
  selfie: exportSelfieSegmentation,
};

export const EXPORTERS = Object.fromEntries(
  Object.entries(ONNX_MODELS).map(([name, model]) => [
    name,
    { ...model, export: EXPORT[name as OnnxModelName] },
  ]),
) as Record<OnnxModelName, OnnxExporter>;
