// face-api's FaceExpressionNet as ONNX.
//
// Input `input` [N, 112, 112, 3] float32 RGB 0-255: face-api's `NetInput.toBatchTensor(112, true)` of the face
// crops, before normalisation (as the landmark net).
// Output `expressions` [N, 7]: softmax probabilities in face-api's order, EXPRESSION_LABELS
// (src/inference/backends/onnx/outputs.ts).
import { GraphBuilder } from '../builder';
import { dense, flatten1x1, nhwcInput } from '../layers';
import { floatWeight, readFaceApiWeights } from '../weights';
import { FEATURE_INPUT_SIZE, faceFeatureExtractor, subtractMean } from './face-feature-extractor';

const EXPRESSION_MODEL = 'face_expression_model';
/** Exports face-api's expression net from `<modelDir>/face_expression_model-weights_manifest.json`. */
export function exportFaceExpressionNet(modelDir: string): Uint8Array {
  const w = readFaceApiWeights(modelDir, EXPRESSION_MODEL);
  const g = new GraphBuilder('face_expression');
  const x = subtractMean(g, nhwcInput(g, 'input', FEATURE_INPUT_SIZE, FEATURE_INPUT_SIZE));
  const features = flatten1x1(g, faceFeatureExtractor(g, w, x));
  const logits = dense(
    g,
    features,
    floatWeight(w, 'fc/weights', [256, 7]),
    floatWeight(w, 'fc/bias', [7]),
    [256, 7],
  );
  g.output(g.op('Softmax', [logits], { axis: 1 }), 'expressions', ['N', 7]);
  return g.toBytes('face-api FaceExpressionNet: input [N,112,112,3] RGB 0-255 → expressions [N,7] softmax');
}
