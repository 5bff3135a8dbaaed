import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { assertImage, isTensor, loadedParams, toSquareBatch, type Detection } from './common';
import { foldInputNormalisation } from '../folding';
import { TINY_MEAN_RGB } from './detector-layouts';

export type { Detection } from './common';
export {
  tinyFaceDetections,
  tinyFaceDetectorOptions,
  type TinyFaceDetectorOptions,
} from '../decode/tiny-face';
import {
  TINY_ANCHORS,
  TINY_BOX_ENCODING_SIZE,
  tinyFaceDetections,
  tinyFaceDetectorOptions,
  type TinyFaceDetectorOptions,
} from '../decode/tiny-face';

/**
 * face-api's TinyFaceDetector (a TinyYolov2 with separable convolutions, 7 filter sizes, a plain first conv) with
 * the same weights, input and box decoding, on fewer and fused tfjs ops:
 * - `normalize()` builds a mean image with fill + concat (about half of the net's time on wasm): here the mean
 *   and the / 255 are folded into conv0's filter and bias (conv0 pads nothing, so this is exact up to rounding);
 * - pad + separableConv2d + add bias is depthwiseConv2d('same') + a 1×1 conv fused with its bias;
 * - leaky() (3 ops) is one leakyRelu, applied after the max pool (they commute: leaky relu is monotonic), on a
 *   quarter of the values;
 * - the box decoding reads the output once; NMS is face-api's own, on the same numbers.
 */

export interface ConvParams {
  filters: tf.Tensor4D;
  bias: tf.Tensor1D;
}

export interface SeparableConvParams {
  depthwise_filter: tf.Tensor4D;
  pointwise_filter: tf.Tensor4D;
  bias: tf.Tensor1D;
}

/** The weights of face-api's loaded TinyFaceDetector (`faceapi.nets.tinyFaceDetector.params`). */
export interface TinyFaceDetectorParams {
  conv0: ConvParams;
  conv1: SeparableConvParams;
  conv2: SeparableConvParams;
  conv3: SeparableConvParams;
  conv4: SeparableConvParams;
  conv5: SeparableConvParams;
  conv6?: SeparableConvParams;
  conv7?: SeparableConvParams;
  conv8: ConvParams;
}

const MEAN_RGB = TINY_MEAN_RGB;
// face-api's leaky(): x * 0.1 (in float32) subtracted, relu, added back.
const LEAKY_ALPHA = 0.10000000149011612;

function isConv(value: unknown): value is ConvParams {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return isTensor(v.filters, 4) && isTensor(v.bias, 1);
}

function isSeparable(value: unknown): value is SeparableConvParams {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return isTensor(v.depthwise_filter, 4) && isTensor(v.pointwise_filter, 4) && isTensor(v.bias, 1);
}

/**
 * The params of face-api's loaded TinyFaceDetector, checked to be the layout this module runs (face-api types
 * them against its own copy of tfjs; at run time they are tensors of the one tfjs instance).
 */
export function tinyFaceDetectorParams(
  net: { isLoaded: boolean; params: unknown } = faceapi.nets.tinyFaceDetector,
): TinyFaceDetectorParams {
  const p = loadedParams(net, 'TinyFaceDetector') as Record<string, unknown>;
  const ok =
    isConv(p.conv0) &&
    p.conv0.filters.shape[2] === 3 &&
    ['conv1', 'conv2', 'conv3', 'conv4', 'conv5'].every((k) => isSeparable(p[k])) &&
    ['conv6', 'conv7'].every((k) => p[k] === undefined || isSeparable(p[k])) &&
    isConv(p.conv8) &&
    p.conv8.filters.shape[3] === TINY_ANCHORS.length * TINY_BOX_ENCODING_SIZE;
  if (!ok)
    throw new Error('TinyFaceDetector - unexpected params layout (not a loaded face-api TinyFaceDetector)');
  return p as unknown as TinyFaceDetectorParams;
}

interface Prepared {
  /** conv0 with the input normalisation folded in: it reads pixel values 0..255 directly. */
  conv0: { filter: tf.Tensor4D; bias: tf.Tensor1D };
  tensors: tf.Tensor[];
}

const prepared = new WeakMap<TinyFaceDetectorParams, Prepared>();

/**
 * face-api feeds conv0 (x − mean) / 255. conv0 pads nothing ('valid'), so conv0(x) with filter / 255 and
 * bias − Σ filter × mean / 255 is the same function (float rounding aside), without two passes over the input.
 */
function preparedFor(params: TinyFaceDetectorParams): Prepared {
  const cached = prepared.get(params);
  if (cached?.tensors.every((t) => !t.isDisposed)) return cached;
  releaseTinyFaceDetector(params);
  const { filters, bias } = params.conv0;
  const folded = foldInputNormalisation(filters.dataSync(), bias.dataSync(), filters.shape, MEAN_RGB);
  const entry = {
    conv0: {
      filter: tf.keep(tf.tensor4d(folded.filter, filters.shape)),
      bias: tf.keep(tf.tensor1d(folded.bias)),
    },
    tensors: [] as tf.Tensor[],
  };
  entry.tensors.push(entry.conv0.filter, entry.conv0.bias);
  prepared.set(params, entry);
  return entry;
}

/** Frees the folded conv0 built for these params (e.g. before face-api's net is disposed or reloaded). */
export function releaseTinyFaceDetector(params: TinyFaceDetectorParams): void {
  prepared.get(params)?.tensors.forEach((t) => t.dispose());
  prepared.delete(params);
}

const conv = (x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D): tf.Tensor4D =>
  tf.fused.conv2d({ x, filter, strides: [1, 1], pad: 'valid', bias });

// face-api's leaky() is leakyRelu(x, 0.1) in 3 ops. Leaky relu is monotonic, so it commutes with max pooling:
// applied after a stride-2 pool it touches a quarter of the values (and wasm's fused leakyrelu is slower still).
const leakyPool = (x: tf.Tensor4D, stride: 1 | 2): tf.Tensor4D =>
  tf.leakyRelu(tf.maxPool(x, [2, 2], [stride, stride], 'same'), LEAKY_ALPHA);

/** face-api's pad 1 + separableConv2d('valid') + bias = depthwiseConv2d('same', 3×3) + 1×1 conv with bias. */
function separable(x: tf.Tensor4D, p: SeparableConvParams): tf.Tensor4D {
  return conv(tf.depthwiseConv2d(x, p.depthwise_filter, [1, 1], 'same'), p.pointwise_filter, p.bias);
}

/** The net's raw output [1, cells, cells, 5 anchors × 5] for an image tensor. */
function tinyFaceDetectorForward(
  image: tf.Tensor3D,
  params: TinyFaceDetectorParams,
  inputSize: number,
): tf.Tensor4D {
  const { conv0 } = preparedFor(params);
  return tf.tidy(() => {
    const x = toSquareBatch(image, inputSize);
    let out = leakyPool(conv(x, conv0.filter, conv0.bias), 2);
    out = leakyPool(separable(out, params.conv1), 2);
    out = leakyPool(separable(out, params.conv2), 2);
    out = leakyPool(separable(out, params.conv3), 2);
    out = leakyPool(separable(out, params.conv4), 2);
    out = leakyPool(separable(out, params.conv5), 1);
    if (params.conv6) out = tf.leakyRelu(separable(out, params.conv6), LEAKY_ALPHA);
    if (params.conv7) out = tf.leakyRelu(separable(out, params.conv7), LEAKY_ALPHA);
    return conv(out, params.conv8.filters, params.conv8.bias);
  });
}

/**
 * face-api's `nets.tinyFaceDetector.locateFaces(image, new TinyFaceDetectorOptions(options))`: faces in decreasing
 * score, boxes in the pixels of `image` (an RGB tensor [h, w, 3], any numeric dtype). Leaves no tensors behind.
 */
export async function tinyFaceDetect(
  image: tf.Tensor3D,
  params: TinyFaceDetectorParams,
  options: TinyFaceDetectorOptions = {},
): Promise<Detection[]> {
  const checked = tinyFaceDetectorOptions(options);
  assertImage(image);

  const out = tinyFaceDetectorForward(image, params, checked.inputSize);
  let data: Float32Array;
  try {
    data = (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
  return tinyFaceDetections(data, out.shape[1], { width: image.shape[1], height: image.shape[0] }, checked);
}
