// face-api's TinyFaceDetector as ONNX, with the math of the engine's fused reimplementation
// (src/inference/backends/tfjs/tiny-face-detector.ts): the mean-RGB normalisation and / 255 folded into conv0 (which pads
// nothing), leaky relu after each max pool. The yolo box decoding and face-api's NMS stay in JS
// (nets/tiny-face-detector.ts `tinyFaceDetections`): a few hundred cells, exact in double precision there.
//
// Input `input` [1, S, S, 3] float32 RGB 0-255 for any S divisible by 32 (the engine uses 416 and 800): face-api's
// `toBatchTensor(S, false)` (nets/common.ts `toSquareBatch`). Output `output` [1, S/32, S/32, 25] (NHWC, as tfjs).
import { foldInputNormalisation } from '../../../src/inference/backends/folding';
import { TINY_MEAN_RGB as MEAN_RGB } from '../../../src/inference/backends/tfjs/detector-layouts';
import { GraphBuilder } from '../builder';
import { hwioToOihw } from '../layers';
import { floatWeight, readFaceApiWeights, weightShape, type WeightMap } from '../weights';

const TINY_MODEL = 'tiny_face_detector_model';
// face-api's leaky(): x * 0.1 in float32.
const LEAKY_ALPHA = 0.10000000149011612;

/** tfjs conv 'valid' (1×1 or conv0's 3×3) + bias. */
function conv(
  g: GraphBuilder,
  x: string,
  filter: Float32Array,
  shape: readonly number[],
  bias: Float32Array,
) {
  const [kh, kw, cin, cout] = shape as [number, number, number, number];
  return g.op(
    'Conv',
    [x, g.constFloat(hwioToOihw(filter, shape), [cout, cin, kh, kw], 'w'), g.constFloat(bias, [cout], 'b')],
    { kernel_shape: [kh, kw] },
  );
}

/** pad 1 + separableConv2d('valid') + bias: a 3×3 grouped conv padded by 1 and a 1×1 conv with bias. */
function separable(g: GraphBuilder, w: WeightMap, x: string, prefix: string): string {
  const dwShape = weightShape(w, `${prefix}/depthwise_filter`);
  const [kh, kw, cin] = dwShape as [number, number, number, number];
  const pwShape = weightShape(w, `${prefix}/pointwise_filter`);
  const cout = pwShape[3] ?? 0;
  const depth = g.op(
    'Conv',
    [
      x,
      g.constFloat(
        hwioToOihw(floatWeight(w, `${prefix}/depthwise_filter`), [kh, kw, 1, cin]),
        [cin, 1, kh, kw],
        'dw',
      ),
    ],
    { group: cin, kernel_shape: [kh, kw], pads: [1, 1, 1, 1] },
  );
  return conv(
    g,
    depth,
    floatWeight(w, `${prefix}/pointwise_filter`, pwShape),
    pwShape,
    floatWeight(w, `${prefix}/bias`, [cout]),
  );
}

const leaky = (g: GraphBuilder, x: string): string => g.op('LeakyRelu', [x], { alpha: { f: LEAKY_ALPHA } });

// tfjs maxPool 'same' pads the odd pixel after (ONNX SAME_UPPER); the sizes stay symbolic.
const leakyPool = (g: GraphBuilder, x: string, stride: number): string =>
  leaky(g, g.op('MaxPool', [x], { kernel_shape: [2, 2], strides: [stride, stride], auto_pad: 'SAME_UPPER' }));

/** conv0 reading 0-255 pixels, folded as the tfjs backend folds it. */
function foldedConv0(w: WeightMap): { filter: Float32Array; bias: Float32Array; shape: readonly number[] } {
  const shape = weightShape(w, 'conv0/filters');
  const cout = shape[3] ?? 0;
  const folded = foldInputNormalisation(
    floatWeight(w, 'conv0/filters', shape),
    floatWeight(w, 'conv0/bias', [cout]),
    shape,
    MEAN_RGB,
  );
  return { ...folded, shape };
}

/** Exports face-api's tiny face detector from `<modelDir>/tiny_face_detector_model-weights_manifest.json`. */
export function exportTinyFaceDetector(modelDir: string): Uint8Array {
  const w = readFaceApiWeights(modelDir, TINY_MODEL);
  const g = new GraphBuilder('tiny_face_detector');
  g.input('input', [1, 'S', 'S', 3]);
  const c0 = foldedConv0(w);
  let out = g.op('Transpose', ['input'], { perm: [0, 3, 1, 2] });
  out = leakyPool(g, conv(g, out, c0.filter, c0.shape, c0.bias), 2);
  for (const layer of ['conv1', 'conv2', 'conv3', 'conv4'])
    out = leakyPool(g, separable(g, w, out, layer), 2);
  out = leakyPool(g, separable(g, w, out, 'conv5'), 1);
  for (const layer of ['conv6', 'conv7'])
    if (w.has(`${layer}/bias`)) out = leaky(g, separable(g, w, out, layer));
  const shape = weightShape(w, 'conv8/filters');
  out = conv(
    g,
    out,
    floatWeight(w, 'conv8/filters', shape),
    shape,
    floatWeight(w, 'conv8/bias', [shape[3] ?? 0]),
  );
  g.output(g.op('Transpose', [out], { perm: [0, 2, 3, 1] }), 'output', [1, 'C', 'C', shape[3] ?? 0]);
  return g.toBytes('face-api TinyFaceDetector: input [1,S,S,3] RGB 0-255 → output [1,S/32,S/32,25] (NHWC)');
}
