import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { assertImage, isTensor, loadedParams, toSquareBatch, type Detection } from './common';
import { iou, type Box } from '../../geometry';
import { foldDepthwiseBatchNorm } from '../folding';
import { SSD_BN_EPSILON, SSD_IOU_THRESHOLD, SSD_STRIDE_2_LAYERS } from './detector-layouts';

export type { Detection } from './common';
export {
  SSD_INPUT_SIZE,
  ssdDetections,
  ssdMobilenetv1Options,
  type SsdMobilenetv1Options,
  type SsdPick,
} from '../decode/ssd';
import {
  SSD_INPUT_SIZE,
  ssdDetections,
  ssdMobilenetv1Options,
  type SsdMobilenetv1Options,
} from '../decode/ssd';

/**
 * face-api's SsdMobilenetv1 with the same weights, input, box decoding and NMS, on fused tfjs ops:
 * - each depthwise conv's batch norm is folded into its filter and a bias (once per params object, cached), and the
 *   depthwise conv runs fused with that bias and relu6 (face-api: depthwiseConv2d, batchNorm, clipByValue);
 * - every pointwise conv runs fused with its bias and relu6 (face-api: conv2d, add, clipByValue);
 * - the output layer decodes only the boxes above the score threshold, in JS with float32 rounding at each step
 *   as face-api's tensor ops do, and the NMS reads them from an array (face-api re-reads the whole box tensor
 *   for every IoU it computes).
 */

export interface PointwiseConvParams {
  filters: tf.Tensor4D;
  batch_norm_offset: tf.Tensor1D;
}

export interface DepthwiseConvParams {
  filters: tf.Tensor4D;
  batch_norm_scale: tf.Tensor1D;
  batch_norm_offset: tf.Tensor1D;
  batch_norm_mean: tf.Tensor1D;
  batch_norm_variance: tf.Tensor1D;
}

export interface ConvPairParams {
  depthwise_conv: DepthwiseConvParams;
  pointwise_conv: PointwiseConvParams;
}

export interface ConvParams {
  filters: tf.Tensor4D;
  bias: tf.Tensor1D;
}

export interface BoxPredictionParams {
  box_encoding_predictor: ConvParams;
  class_predictor: ConvParams;
}

type Indexed<P extends string, N extends number, T> = { [K in `${P}${N}`]: T };

export type MobileNetV1Params = Indexed<'conv_', 0, PointwiseConvParams> &
  Indexed<'conv_', 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13, ConvPairParams>;

export type PredictionLayerParams = Indexed<'conv_', 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7, PointwiseConvParams> &
  Indexed<'box_predictor_', 0 | 1 | 2 | 3 | 4 | 5, BoxPredictionParams>;

/** The weights of face-api's loaded SsdMobilenetv1 (`faceapi.nets.ssdMobilenetv1.params`). */
export interface SsdMobilenetv1Params {
  mobilenetv1: MobileNetV1Params;
  prediction_layer: PredictionLayerParams;
  output_layer: { extra_dim: tf.Tensor3D };
}

// face-api ssdMobilenetv1: fixed input size, batch-norm epsilon, NMS IoU threshold.
const INPUT_SIZE = SSD_INPUT_SIZE;
const BN_EPSILON = SSD_BN_EPSILON;
const IOU_THRESHOLD = SSD_IOU_THRESHOLD;
const DEPTHWISE_LAYERS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] as const;
const STRIDE_2_LAYERS = SSD_STRIDE_2_LAYERS;

type Record_ = Record<string, unknown>;
const isObject = (v: unknown): v is Record_ => typeof v === 'object' && v !== null;
const isPointwise = (v: unknown): boolean =>
  isObject(v) && isTensor(v.filters, 4) && isTensor(v.batch_norm_offset, 1);
const isConv = (v: unknown): boolean => isObject(v) && isTensor(v.filters, 4) && isTensor(v.bias, 1);
const isDepthwise = (v: unknown): boolean =>
  isObject(v) &&
  isTensor(v.filters, 4) &&
  ['batch_norm_scale', 'batch_norm_offset', 'batch_norm_mean', 'batch_norm_variance'].every((k) =>
    isTensor(v[k], 1),
  );

/**
 * The params of face-api's loaded SsdMobilenetv1, checked to be the layout this module runs (face-api types them
 * against its own copy of tfjs; at run time they are tensors of the one tfjs instance).
 */
export function ssdMobilenetv1Params(
  net: { isLoaded: boolean; params: unknown } = faceapi.nets.ssdMobilenetv1,
): SsdMobilenetv1Params {
  const p = loadedParams(net, 'SsdMobilenetv1') as Record_;
  const m = p.mobilenetv1;
  const pl = p.prediction_layer;
  const ol = p.output_layer;
  const ok =
    isObject(m) &&
    isPointwise(m.conv_0) &&
    DEPTHWISE_LAYERS.every((i) => {
      const pair = m[`conv_${i}`];
      return isObject(pair) && isDepthwise(pair.depthwise_conv) && isPointwise(pair.pointwise_conv);
    }) &&
    isObject(pl) &&
    [0, 1, 2, 3, 4, 5, 6, 7].every((i) => isPointwise(pl[`conv_${i}`])) &&
    [0, 1, 2, 3, 4, 5].every((i) => {
      const b = pl[`box_predictor_${i}`];
      return isObject(b) && isConv(b.box_encoding_predictor) && isConv(b.class_predictor);
    }) &&
    isObject(ol) &&
    isTensor(ol.extra_dim, 3);
  if (!ok)
    throw new Error('SsdMobilenetv1 - unexpected params layout (not a loaded face-api SsdMobilenetv1)');
  return p as unknown as SsdMobilenetv1Params;
}

interface Folded {
  /** Per depthwise layer 1..13 (index 0 unused): filter × BN scale, and BN offset − mean × scale. */
  depthwise: { filter: tf.Tensor4D; bias: tf.Tensor1D }[];
  /** The anchors (output_layer/extra_dim) [5118 × 4]. */
  anchors: Float32Array;
  tensors: tf.Tensor[];
}

const folded = new WeakMap<SsdMobilenetv1Params, Folded>();

function foldBatchNorm(p: DepthwiseConvParams): { filter: tf.Tensor4D; bias: tf.Tensor1D } {
  const [fh, fw, channels, multiplier] = p.filters.shape;
  if (multiplier !== 1)
    throw new Error('SsdMobilenetv1 - expected depthwise filters with channel multiplier 1');
  const { filter, bias } = foldDepthwiseBatchNorm(
    p.filters.dataSync(),
    {
      gamma: p.batch_norm_scale.dataSync(),
      beta: p.batch_norm_offset.dataSync(),
      mean: p.batch_norm_mean.dataSync(),
      variance: p.batch_norm_variance.dataSync(),
    },
    channels,
    BN_EPSILON,
  );
  return { filter: tf.tensor4d(filter, [fh, fw, channels, multiplier]), bias: tf.tensor1d(bias) };
}

/** Folded weights for these params: built at first use, kept (outside any tidy) until `releaseSsdMobilenetv1`. */
function foldedFor(params: SsdMobilenetv1Params): Folded {
  const cached = folded.get(params);
  if (cached?.tensors.every((t) => !t.isDisposed)) return cached;
  releaseSsdMobilenetv1(params);
  const depthwise: Folded['depthwise'] = [];
  const tensors: tf.Tensor[] = [];
  let anchors: Float32Array;
  try {
    for (const i of DEPTHWISE_LAYERS) {
      const f = foldBatchNorm(params.mobilenetv1[`conv_${i}`].depthwise_conv);
      tensors.push(tf.keep(f.filter), tf.keep(f.bias));
      depthwise[i] = f;
    }
    anchors = Float32Array.from(params.output_layer.extra_dim.dataSync());
  } catch (error) {
    tensors.forEach((t) => t.dispose());
    throw error;
  }
  const entry = { depthwise, anchors, tensors };
  folded.set(params, entry);
  return entry;
}

/** Frees the folded weights built for these params (e.g. before face-api's net is disposed or reloaded). */
export function releaseSsdMobilenetv1(params: SsdMobilenetv1Params): void {
  folded.get(params)?.tensors.forEach((t) => t.dispose());
  folded.delete(params);
}

function relu6Conv(x: tf.Tensor4D, p: PointwiseConvParams, stride: 1 | 2): tf.Tensor4D {
  return tf.fused.conv2d({
    x,
    filter: p.filters,
    strides: [stride, stride],
    pad: 'same',
    bias: p.batch_norm_offset,
    activation: 'relu6',
  });
}

function predictor(x: tf.Tensor4D, p: ConvParams): tf.Tensor4D {
  return tf.fused.conv2d({ x, filter: p.filters, strides: [1, 1], pad: 'same', bias: p.bias });
}

/**
 * The net up to the output layer: the box encodings [anchors, 4] (relative to the anchors) and the face scores
 * [anchors] (sigmoid of class 1), for an image tensor.
 */
function ssdMobilenetv1Forward(
  image: tf.Tensor3D,
  params: SsdMobilenetv1Params,
): { encodings: tf.Tensor2D; scores: tf.Tensor1D } {
  const fold = foldedFor(params);
  return tf.tidy(() => {
    const batch = toSquareBatch(image, INPUT_SIZE);
    const x = tf.sub<tf.Tensor4D>(tf.div(batch, 127.5), 1);
    const m = params.mobilenetv1;
    let out = relu6Conv(x, m.conv_0, 2);
    let conv11: tf.Tensor4D | undefined;
    for (const i of DEPTHWISE_LAYERS) {
      const dw = fold.depthwise[i];
      if (!dw) throw new Error(`SsdMobilenetv1 - no folded weights for layer ${i}`);
      const stride = STRIDE_2_LAYERS.includes(i) ? 2 : 1;
      out = tf.fused.depthwiseConv2d({
        x: out,
        filter: dw.filter,
        strides: [stride, stride],
        pad: 'same',
        bias: dw.bias,
        activation: 'relu6',
      });
      out = relu6Conv(out, m[`conv_${i}`].pointwise_conv, 1);
      if (i === 11) conv11 = out;
    }
    if (!conv11) throw new Error('SsdMobilenetv1 - no output of conv layer 11');

    const pl = params.prediction_layer;
    const c0 = relu6Conv(out, pl.conv_0, 1);
    const c1 = relu6Conv(c0, pl.conv_1, 2);
    const c2 = relu6Conv(c1, pl.conv_2, 1);
    const c3 = relu6Conv(c2, pl.conv_3, 2);
    const c4 = relu6Conv(c3, pl.conv_4, 1);
    const c5 = relu6Conv(c4, pl.conv_5, 2);
    const c6 = relu6Conv(c5, pl.conv_6, 1);
    const c7 = relu6Conv(c6, pl.conv_7, 2);
    const sources: [tf.Tensor4D, BoxPredictionParams][] = [
      [conv11, pl.box_predictor_0],
      [out, pl.box_predictor_1],
      [c1, pl.box_predictor_2],
      [c3, pl.box_predictor_3],
      [c5, pl.box_predictor_4],
      [c7, pl.box_predictor_5],
    ];
    const encodings = tf.concat<tf.Tensor2D>(
      sources.map(([t, p]) => tf.reshape(predictor(t, p.box_encoding_predictor), [-1, 4])),
      0,
    );
    const classes = tf.concat<tf.Tensor2D>(
      sources.map(([t, p]) => tf.reshape(predictor(t, p.class_predictor), [-1, 3])),
      0,
    );
    const scores = tf.reshape<tf.Rank.R1>(tf.sigmoid(tf.slice(classes, [0, 1], [-1, 1])), [-1]);
    return { encodings, scores };
  });
}

const f32 = Math.fround;

/**
 * face-api's output layer (decodeBoxesLayer) for one anchor, with its float32 rounding after every op:
 * [ymin, xmin, ymax, xmax] relative to the padded square input.
 */
function decodeBox(
  anchors: Float32Array,
  encodings: Float32Array,
  i: number,
): [number, number, number, number] {
  const anchor = (k: number): number => anchors[i * 4 + k] as number;
  const encoding = (k: number): number => encodings[i * 4 + k] as number;
  const size0 = f32(anchor(2) - anchor(0));
  const size1 = f32(anchor(3) - anchor(1));
  const center0 = f32(anchor(0) + f32(size0 / 2));
  const center1 = f32(anchor(1) + f32(size1 / 2));
  const half0 = f32(f32(f32(Math.exp(f32(encoding(2) / 5))) * size0) / 2);
  const mid0 = f32(f32(f32(encoding(0) / 10) * size0) + center0);
  const half1 = f32(f32(f32(Math.exp(f32(encoding(3) / 5))) * size1) / 2);
  const mid1 = f32(f32(f32(encoding(1) / 10) * size1) + center1);
  return [f32(mid0 - half0), f32(mid1 - half1), f32(mid0 + half0), f32(mid1 + half1)];
}

/**
 * A decoded box (corners, min/max-ordered as face-api's NMS reads them) as a geometry Box. The corners are float32,
 * so max − min is exact in double precision and x + w gives the corner back: the engine's one IoU computes
 * face-api's ssdMobilenetv1/nonMaxSuppression IOU on it, to the bit.
 */
function cornerBox([y0, x0, y1, x1]: readonly [number, number, number, number]): Box {
  const x = Math.min(x0, x1);
  const y = Math.min(y0, y1);
  return { x, y, w: Math.max(x0, x1) - x, h: Math.max(y0, y1) - y };
}

/**
 * face-api's `nets.ssdMobilenetv1.locateFaces(image, new SsdMobilenetv1Options(options))`: faces in decreasing
 * score, boxes in the pixels of `image` (an RGB tensor [h, w, 3], any numeric dtype). Leaves no tensors behind
 * (the folded weights are built once per params object at the first call and kept).
 */
export async function ssdMobilenetv1Detect(
  image: tf.Tensor3D,
  params: SsdMobilenetv1Params,
  options: SsdMobilenetv1Options = {},
): Promise<Detection[]> {
  const { minConfidence, maxResults } = ssdMobilenetv1Options(options);
  assertImage(image);

  const { anchors } = foldedFor(params);
  const { encodings, scores } = ssdMobilenetv1Forward(image, params);
  let encodingData: Float32Array;
  let scoreData: Float32Array;
  try {
    [encodingData, scoreData] = (await Promise.all([encodings.data(), scores.data()])) as [
      Float32Array,
      Float32Array,
    ];
  } finally {
    encodings.dispose();
    scores.dispose();
  }

  // face-api's NMS: candidates above the threshold by decreasing score (stable), each kept unless it overlaps a
  // kept one by more than the IoU threshold.
  const numBoxes = scoreData.length;
  const outputSize = Math.min(maxResults, numBoxes);
  const candidates: number[] = [];
  for (let i = 0; i < numBoxes; i++) if ((scoreData[i] as number) > minConfidence) candidates.push(i);
  candidates.sort((a, b) => (scoreData[b] as number) - (scoreData[a] as number));
  const selected: number[] = [];
  const boxes = new Map<number, [number, number, number, number]>();
  const kept = new Map<number, Box>();
  for (const c of candidates) {
    if (selected.length >= outputSize) break;
    const box = decodeBox(anchors, encodingData, c);
    boxes.set(c, box);
    const b = cornerBox(box);
    kept.set(c, b);
    if (selected.every((s) => iou(b, kept.get(s) as Box) <= IOU_THRESHOLD)) selected.push(c);
  }

  const [height, width] = image.shape;
  return ssdDetections(
    selected.map((s) => ({
      box: boxes.get(s) as [number, number, number, number],
      score: scoreData[s] as number,
    })),
    width,
    height,
  );
}
