// face-api's FaceLandmark68Net as ONNX.
//
// Input `input` [N, 112, 112, 3] float32 RGB 0-255: face-api's `NetInput.toBatchTensor(112, true)` of the face
// crops (each crop zero-padded to a square, centred, then resized bilinearly to 112), i.e. before normalisation.
// Output `landmarks` [N, 136]: the net's raw output, x0, y0, x1, y1 … relative to the 112 × 112 input (0-1);
// face-api's postProcess (undo the centring pad, scale to the crop) stays with the caller, see `toCropPoints`
// (src/inference/backends/onnx/outputs.ts).
import { GraphBuilder } from '../builder';
import { dense, flatten1x1, nhwcInput } from '../layers';
import { floatWeight, readFaceApiWeights } from '../weights';
import { FEATURE_INPUT_SIZE, faceFeatureExtractor, subtractMean } from './face-feature-extractor';

const LANDMARK68_MODEL = 'face_landmark_68_model';

/** Exports face-api's 68-point landmark net from `<modelDir>/face_landmark_68_model-weights_manifest.json`. */
export function exportFaceLandmark68Net(modelDir: string): Uint8Array {
  const w = readFaceApiWeights(modelDir, LANDMARK68_MODEL);
  const g = new GraphBuilder('face_landmark_68');
  const x = subtractMean(g, nhwcInput(g, 'input', FEATURE_INPUT_SIZE, FEATURE_INPUT_SIZE));
  const features = flatten1x1(g, faceFeatureExtractor(g, w, x));
  const out = dense(
    g,
    features,
    floatWeight(w, 'fc/weights', [256, 136]),
    floatWeight(w, 'fc/bias', [136]),
    [256, 136],
  );
  g.output(out, 'landmarks', ['N', 136]);
  return g.toBytes('face-api FaceLandmark68Net: input [N,112,112,3] RGB 0-255 → landmarks [N,136] relative');
}
