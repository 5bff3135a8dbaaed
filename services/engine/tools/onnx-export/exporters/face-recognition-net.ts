// face-api's FaceRecognitionNet (ResNet-34-like, 128-d descriptors) as ONNX, with the math of the engine's fused
// reimplementation (src/inference/backends/tfjs/face-recognition-net.ts): each conv's scale layer folded into its filter and
// bias, and the mean-RGB normalisation and / 255 folded into the first conv (exact: it pads nothing).
//
// Input `input` [N, 150, 150, 3] float32 RGB 0-255: the aligned 150 × 150 chips (recognize.ts `alignedChips`), i.e.
// face-api's `toBatchTensor(150, true)` output before normalisation; chips of another size must be padded and
// resized by the caller first.
// Output `descriptors` [N, 128].
import { foldScaledConv } from '../../../src/inference/backends/folding';
import { GraphBuilder } from '../builder';
import { add, conv, nhwcInput, pool, relu, type Act } from '../layers';
import { floatWeight, readFaceApiWeights, weightShape, type WeightMap } from '../weights';
import {
  INPUT_SIZE,
  MEAN_RGB,
  RESIDUAL_LAYERS,
} from '../../../src/inference/backends/tfjs/face-recognition-layout';

const RECOGNITION_MODEL = 'face_recognition_model';

/** The conv with its scale layer (and, with `mean`, the input normalisation) folded in, as the tfjs backend does. */
function foldedConv(
  w: WeightMap,
  prefix: string,
  mean?: readonly number[],
): { filter: Float32Array; bias: Float32Array; shape: readonly number[] } {
  const shape = weightShape(w, `${prefix}/conv/filters`);
  const cout = shape[3] ?? 0;
  const folded = foldScaledConv(
    floatWeight(w, `${prefix}/conv/filters`),
    floatWeight(w, `${prefix}/conv/bias`, [cout]),
    {
      weights: floatWeight(w, `${prefix}/scale/weights`, [cout]),
      biases: floatWeight(w, `${prefix}/scale/biases`, [cout]),
    },
    shape,
    mean,
  );
  return { ...folded, shape };
}

function layer(
  g: GraphBuilder,
  w: WeightMap,
  x: Act,
  prefix: string,
  stride: number,
  padding: 'same' | 'valid',
): Act {
  return conv(g, x, { ...foldedConv(w, prefix), stride, padding }, prefix.replace(/\//g, '_'));
}

function residual(g: GraphBuilder, w: WeightMap, x: Act, name: string): Act {
  const out = layer(g, w, relu(g, layer(g, w, x, `${name}/conv1`, 1, 'same')), `${name}/conv2`, 1, 'same');
  return relu(g, add(g, out, x));
}

function residualDown(g: GraphBuilder, w: WeightMap, x: Act, name: string): Act {
  let out = layer(g, w, relu(g, layer(g, w, x, `${name}/conv1`, 2, 'valid')), `${name}/conv2`, 1, 'same');
  let pooled = pool(g, 'AveragePool', x, 2, 2, 'valid');
  // face-api: a zero row and column appended to `out` when the pooled input is larger; the pooled input's channels
  // doubled with zeros when `out` has more.
  if (pooled.h !== out.h || pooled.w !== out.w) {
    const pads = g.constInt64([0, 0, 0, 0, 0, 0, pooled.h - out.h, pooled.w - out.w]);
    out = { ...out, name: g.op('Pad', [out.name, pads]), h: pooled.h, w: pooled.w };
  }
  if (pooled.c !== out.c) {
    const pads = g.constInt64([0, 0, 0, 0, 0, out.c - pooled.c, 0, 0]);
    pooled = { ...pooled, name: g.op('Pad', [pooled.name, pads]), c: out.c };
  }
  return relu(g, add(g, pooled, out));
}

/** Exports face-api's recognition net from `<modelDir>/face_recognition_model-weights_manifest.json`. */
export function exportFaceRecognitionNet(modelDir: string): Uint8Array {
  const w = readFaceApiWeights(modelDir, RECOGNITION_MODEL);
  const g = new GraphBuilder('face_recognition');
  const x = nhwcInput(g, 'input', INPUT_SIZE, INPUT_SIZE);
  let out = relu(
    g,
    conv(g, x, { ...foldedConv(w, 'conv32_down', MEAN_RGB), stride: 2, padding: 'valid' }, 'conv32_down'),
  );
  out = pool(g, 'MaxPool', out, 3, 2, 'valid');
  for (const name of RESIDUAL_LAYERS)
    out = name.includes('_down') ? residualDown(g, w, out, name) : residual(g, w, out, name);
  // Opset 17: ReduceMean's axes are an attribute (an input from opset 18).
  const pooled = g.op('ReduceMean', [out.name], { axes: [2, 3], keepdims: 0 });
  const fc = g.constFloat(floatWeight(w, 'fc', [256, 128]), [256, 128], 'fc_w');
  g.output(g.op('MatMul', [pooled, fc]), 'descriptors', ['N', 128]);
  return g.toBytes('face-api FaceRecognitionNet: input [N,150,150,3] RGB 0-255 → descriptors [N,128]');
}
