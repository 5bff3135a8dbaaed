// face-api's SsdMobilenetv1 as ONNX, with the math of the engine's fused reimplementation
// (src/inference/backends/tfjs/ssd-mobilenet.ts): depthwise batch norms folded into their filters, relu6 as Clip, the box
// decoding of face-api's output layer and its non-max suppression in the graph (ONNX NonMaxSuppression keeps
// candidates scoring > min_score by decreasing score, earlier anchor first on ties, and drops a box overlapping a
// kept one by IoU > 0.5: face-api's rule).
//
// Inputs: `input` [1, 512, 512, 3] float32 RGB 0-255 (face-api's `toBatchTensor(512, false)`: zero padding below or
// right to a square, bilinear resize; nets/common.ts `toSquareBatch`), `min_score` [1] float, `max_results` [1]
// int64. Outputs: `boxes` [K, 4] (ymin, xmin, ymax, xmax relative to the padded square, not yet clipped) and
// `scores` [K] of the kept detections, best first.
import { foldDepthwiseBatchNorm } from '../../../src/inference/backends/folding';
import {
  SSD_BN_EPSILON as BN_EPSILON,
  SSD_IOU_THRESHOLD as IOU_THRESHOLD,
  SSD_STRIDE_2_LAYERS as STRIDE_2_LAYERS,
} from '../../../src/inference/backends/tfjs/detector-layouts';
import { GraphBuilder } from '../builder';
import { axisPads, conv, hwioToOihw, nhwcInput, type Act } from '../layers';
import { floatWeight, readFaceApiWeights, weightShape, type WeightMap } from '../weights';

const SSD_MODEL = 'ssd_mobilenetv1_model';
const SSD_INPUT_SIZE = 512;

const f32 = Math.fround;

function relu6(g: GraphBuilder, x: Act): Act {
  return { ...x, name: g.op('Clip', [x.name, g.constFloat([0], []), g.constFloat([6], [])]) };
}

/** face-api's pointwiseConvLayer: conv 'same' + batch_norm_offset, relu6. */
function pointwise(g: GraphBuilder, w: WeightMap, x: Act, prefix: string, stride: number): Act {
  const shape = weightShape(w, `${prefix}/weights`);
  const cout = shape[3] ?? 0;
  return relu6(
    g,
    conv(
      g,
      x,
      {
        filter: floatWeight(w, `${prefix}/weights`, shape),
        shape,
        bias: floatWeight(w, `${prefix}/convolution_bn_offset`, [cout]),
        stride,
        padding: 'same',
      },
      prefix.replace(/\//g, '_'),
    ),
  );
}

/** Depthwise conv with its batch norm folded as the tfjs backend folds it (backends/folding.ts), relu6. */
function depthwise(g: GraphBuilder, w: WeightMap, x: Act, layer: number, stride: number): Act {
  const prefix = `MobilenetV1/Conv2d_${layer}_depthwise`;
  const shape = weightShape(w, `${prefix}/depthwise_weights`);
  const [kh, kw, channels, multiplier] = shape as [number, number, number, number];
  if (multiplier !== 1 || channels !== x.c) throw new Error(`${prefix}: unexpected filter shape`);
  const { filter: folded, bias } = foldDepthwiseBatchNorm(
    floatWeight(w, `${prefix}/depthwise_weights`, shape),
    {
      gamma: floatWeight(w, `${prefix}/BatchNorm/gamma`, [channels]),
      beta: floatWeight(w, `${prefix}/BatchNorm/beta`, [channels]),
      mean: floatWeight(w, `${prefix}/BatchNorm/moving_mean`, [channels]),
      variance: floatWeight(w, `${prefix}/BatchNorm/moving_variance`, [channels]),
    },
    channels,
    BN_EPSILON,
  );
  const ph = axisPads(x.h, kh, stride, 'same');
  const pw = axisPads(x.w, kw, stride, 'same');
  const name = g.op(
    'Conv',
    [
      x.name,
      g.constFloat(hwioToOihw(folded, [kh, kw, 1, channels]), [channels, 1, kh, kw], `dw${layer}_w`),
      g.constFloat(bias, [channels], `dw${layer}_b`),
    ],
    {
      group: channels,
      kernel_shape: [kh, kw],
      strides: [stride, stride],
      pads: [ph.pads[0], pw.pads[0], ph.pads[1], pw.pads[1]],
    },
  );
  return relu6(g, { name, c: channels, h: ph.out, w: pw.out });
}

/** A box predictor conv (1×1 + bias), NCHW → NHWC → [-1, per]: the anchor order of tfjs' reshape. */
function predictor(g: GraphBuilder, w: WeightMap, x: Act, prefix: string, per: number): string {
  const shape = weightShape(w, `${prefix}/weights`);
  const cout = shape[3] ?? 0;
  const out = conv(
    g,
    x,
    {
      filter: floatWeight(w, `${prefix}/weights`, shape),
      shape,
      bias: floatWeight(w, `${prefix}/biases`, [cout]),
      padding: 'same',
    },
    prefix.replace(/\//g, '_'),
  );
  const nhwc = g.op('Transpose', [out.name], { perm: [0, 2, 3, 1] });
  return g.op('Reshape', [nhwc, g.constInt64([-1, per])]);
}

/** Anchor sizes and centres as nets/ssd-mobilenet.ts `decodeBox` computes them (float32 after every op). */
function anchorGeometry(anchors: Float32Array): { sizes: Float32Array; centres: Float32Array } {
  const n = anchors.length / 4;
  const sizes = new Float32Array(n * 2);
  const centres = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const a = (k: number): number => anchors[i * 4 + k] as number;
    const size0 = f32(a(2) - a(0));
    const size1 = f32(a(3) - a(1));
    sizes[i * 2] = size0;
    sizes[i * 2 + 1] = size1;
    centres[i * 2] = f32(a(0) + f32(size0 / 2));
    centres[i * 2 + 1] = f32(a(1) + f32(size1 / 2));
  }
  return { sizes, centres };
}

/** Exports face-api's SSD MobileNet v1 from `<modelDir>/ssd_mobilenetv1_model-weights_manifest.json`. */
export function exportSsdMobilenet(modelDir: string): Uint8Array {
  const w = readFaceApiWeights(modelDir, SSD_MODEL);
  const g = new GraphBuilder('ssd_mobilenetv1');
  g.input('min_score', [1]);
  g.input('max_results', [1], 'int64');
  const input = nhwcInput(g, 'input', SSD_INPUT_SIZE, SSD_INPUT_SIZE);
  // face-api: x / 127.5 - 1 (before conv_0's zero padding, so not foldable).
  let out: Act = {
    ...input,
    name: g.op('Sub', [g.op('Div', [input.name, g.constFloat([127.5], [])]), g.constFloat([1], [])]),
  };
  out = pointwise(g, w, out, 'MobilenetV1/Conv2d_0_pointwise', 2);
  let conv11: Act | undefined;
  for (let i = 1; i <= 13; i++) {
    out = depthwise(g, w, out, i, STRIDE_2_LAYERS.includes(i) ? 2 : 1);
    out = pointwise(g, w, out, `MobilenetV1/Conv2d_${i}_pointwise`, 1);
    if (i === 11) conv11 = out;
  }
  if (!conv11) throw new Error('SsdMobilenetv1: no conv 11');
  const c0 = pointwise(g, w, out, 'Prediction/Conv2d_0_pointwise', 1);
  const c1 = pointwise(g, w, c0, 'Prediction/Conv2d_1_pointwise', 2);
  const c2 = pointwise(g, w, c1, 'Prediction/Conv2d_2_pointwise', 1);
  const c3 = pointwise(g, w, c2, 'Prediction/Conv2d_3_pointwise', 2);
  const c4 = pointwise(g, w, c3, 'Prediction/Conv2d_4_pointwise', 1);
  const c5 = pointwise(g, w, c4, 'Prediction/Conv2d_5_pointwise', 2);
  const c6 = pointwise(g, w, c5, 'Prediction/Conv2d_6_pointwise', 1);
  const c7 = pointwise(g, w, c6, 'Prediction/Conv2d_7_pointwise', 2);
  const sources = [conv11, out, c1, c3, c5, c7];
  const encodings = g.op(
    'Concat',
    sources.map((s, i) => predictor(g, w, s, `Prediction/BoxPredictor_${i}/BoxEncodingPredictor`, 4)),
    { axis: 0 },
  );
  const classes = g.op(
    'Concat',
    sources.map((s, i) => predictor(g, w, s, `Prediction/BoxPredictor_${i}/ClassPredictor`, 3)),
    { axis: 0 },
  );
  // Sigmoid of class 1 (face): [anchors].
  const scores = g.op('Sigmoid', [
    g.op('Squeeze', [
      g.op('Slice', [classes, g.constInt64([1]), g.constInt64([2]), g.constInt64([1])]),
      g.constInt64([1]),
    ]),
  ]);

  // face-api's output layer: centre + encoding / 10 × size, half size = exp(encoding / 5) × size / 2.
  const anchorData = floatWeight(w, 'Output/extra_dim');
  const { sizes, centres } = anchorGeometry(anchorData);
  const n = anchorData.length / 4;
  const slice = (from: number, to: number): string =>
    g.op('Slice', [encodings, g.constInt64([from]), g.constInt64([to]), g.constInt64([1])]);
  const size = g.constFloat(sizes, [n, 2], 'anchor_size');
  const half = g.op('Div', [
    g.op('Mul', [g.op('Exp', [g.op('Div', [slice(2, 4), g.constFloat([5], [])])]), size]),
    g.constFloat([2], []),
  ]);
  const mid = g.op('Add', [
    g.op('Mul', [g.op('Div', [slice(0, 2), g.constFloat([10], [])]), size]),
    g.constFloat(centres, [n, 2], 'anchor_centre'),
  ]);
  const boxes = g.op('Concat', [g.op('Sub', [mid, half]), g.op('Add', [mid, half])], { axis: 1 });

  const selected = g.op('NonMaxSuppression', [
    g.op('Unsqueeze', [boxes, g.constInt64([0])]),
    g.op('Unsqueeze', [scores, g.constInt64([0, 1])]),
    'max_results',
    g.constFloat([IOU_THRESHOLD], [1]),
    'min_score',
  ]);
  const picks = g.op('Squeeze', [
    g.op('Slice', [selected, g.constInt64([2]), g.constInt64([3]), g.constInt64([1])]),
    g.constInt64([1]),
  ]);
  g.output(g.op('Gather', [boxes, picks], { axis: 0 }), 'boxes', ['K', 4]);
  g.output(g.op('Gather', [scores, picks], { axis: 0 }), 'scores', ['K']);
  return g.toBytes(
    'face-api SsdMobilenetv1: input [1,512,512,3] RGB 0-255, min_score, max_results → boxes [K,4], scores [K]',
  );
}
