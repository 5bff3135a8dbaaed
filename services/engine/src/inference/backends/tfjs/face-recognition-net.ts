import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { foldScaledConv } from '../folding';
import { isTensor, loadedParams } from './common';
import { INPUT_SIZE, MEAN_RGB, RESIDUAL_LAYERS } from './face-recognition-layout';

/**
 * face-api's FaceRecognitionNet (ResNet-34-like, 128-d descriptors) with the same weights and input, on fewer
 * tfjs ops:
 * - every conv's scale layer (mul + add) is folded into its filter and bias, and the conv runs fused with that bias
 *   (and relu where face-api applies one): 5 ops become 1;
 * - `normalize()`'s mean image (fill + concat along channels, slow on wasm) and the / 255 are folded into the first
 *   conv, which pads nothing ('valid'), so that is exact up to rounding;
 * - the zero padding of the residual-down layers is tf.pad instead of zeros + concat.
 */

export interface ConvLayerParams {
  conv: { filters: tf.Tensor4D; bias: tf.Tensor1D };
  scale: { weights: tf.Tensor1D; biases: tf.Tensor1D };
}

export interface ResidualLayerParams {
  conv1: ConvLayerParams;
  conv2: ConvLayerParams;
}

type ResidualName = (typeof RESIDUAL_LAYERS)[number];

/** The weights of face-api's loaded FaceRecognitionNet (`faceapi.nets.faceRecognitionNet.params`). */
export type FaceRecognitionNetParams = { conv32_down: ConvLayerParams; fc: tf.Tensor2D } & {
  [K in ResidualName]: ResidualLayerParams;
};

// face-api faceRecognitionNet: input size, mean RGB.

type Record_ = Record<string, unknown>;
const isObject = (v: unknown): v is Record_ => typeof v === 'object' && v !== null;
const isConvLayer = (v: unknown): boolean =>
  isObject(v) &&
  isObject(v.conv) &&
  isTensor(v.conv.filters, 4) &&
  isTensor(v.conv.bias, 1) &&
  isObject(v.scale) &&
  isTensor(v.scale.weights, 1) &&
  isTensor(v.scale.biases, 1);

/**
 * The params of face-api's loaded FaceRecognitionNet, checked to be the layout this module runs (face-api types
 * them against its own copy of tfjs; at run time they are tensors of the one tfjs instance).
 */
export function faceRecognitionNetParams(
  net: { isLoaded: boolean; params: unknown } = faceapi.nets.faceRecognitionNet,
): FaceRecognitionNetParams {
  const p = loadedParams(net, 'FaceRecognitionNet') as Record_;
  const ok =
    isConvLayer(p.conv32_down) &&
    RESIDUAL_LAYERS.every((k) => {
      const r = p[k];
      return isObject(r) && isConvLayer(r.conv1) && isConvLayer(r.conv2);
    }) &&
    isTensor(p.fc, 2);
  if (!ok)
    throw new Error(
      'FaceRecognitionNet - unexpected params layout (not a loaded face-api FaceRecognitionNet)',
    );
  return p as unknown as FaceRecognitionNetParams;
}

interface FoldedConv {
  filter: tf.Tensor4D;
  bias: tf.Tensor1D;
}

interface Folded {
  conv32Down: FoldedConv;
  residual: Record<ResidualName, { conv1: FoldedConv; conv2: FoldedConv }>;
  tensors: tf.Tensor[];
}

const foldedByParams = new WeakMap<FaceRecognitionNetParams, Folded>();

/** The conv with its scale layer (and, with `mean`, the input normalisation) folded in: backends/folding.ts. */
function foldConv(p: ConvLayerParams, tensors: tf.Tensor[], mean?: readonly number[]): FoldedConv {
  const shape = p.conv.filters.shape;
  const { filter, bias } = foldScaledConv(
    p.conv.filters.dataSync(),
    p.conv.bias.dataSync(),
    { weights: p.scale.weights.dataSync(), biases: p.scale.biases.dataSync() },
    shape,
    mean,
  );
  const folded = {
    filter: tf.keep(tf.tensor4d(filter, shape)),
    bias: tf.keep(tf.tensor1d(bias)),
  };
  tensors.push(folded.filter, folded.bias);
  return folded;
}

function foldedFor(params: FaceRecognitionNetParams): Folded {
  const cached = foldedByParams.get(params);
  if (cached?.tensors.every((t) => !t.isDisposed)) return cached;
  releaseFaceRecognitionNet(params);
  const tensors: tf.Tensor[] = [];
  try {
    const conv32Down = foldConv(params.conv32_down, tensors, MEAN_RGB);
    const residual = {} as Folded['residual'];
    for (const k of RESIDUAL_LAYERS)
      residual[k] = { conv1: foldConv(params[k].conv1, tensors), conv2: foldConv(params[k].conv2, tensors) };
    const entry = { conv32Down, residual, tensors };
    foldedByParams.set(params, entry);
    return entry;
  } catch (error) {
    tensors.forEach((t) => t.dispose());
    throw error;
  }
}

/** Frees the folded weights built for these params (e.g. before face-api's net is disposed or reloaded). */
export function releaseFaceRecognitionNet(params: FaceRecognitionNetParams): void {
  foldedByParams.get(params)?.tensors.forEach((t) => t.dispose());
  foldedByParams.delete(params);
}

function conv(
  x: tf.Tensor4D,
  c: FoldedConv,
  stride: 1 | 2,
  relu: boolean,
  pad: 'same' | 'valid' = 'same',
): tf.Tensor4D {
  return tf.fused.conv2d({
    x,
    filter: c.filter,
    strides: [stride, stride],
    pad,
    bias: c.bias,
    activation: relu ? 'relu' : 'linear',
  });
}

function residual(x: tf.Tensor4D, r: Folded['residual'][ResidualName]): tf.Tensor4D {
  const out = conv(conv(x, r.conv1, 1, true), r.conv2, 1, false);
  return tf.relu(tf.add<tf.Tensor4D>(out, x));
}

function residualDown(x: tf.Tensor4D, r: Folded['residual'][ResidualName]): tf.Tensor4D {
  let out = conv(conv(x, r.conv1, 2, true, 'valid'), r.conv2, 1, false);
  let pooled = tf.avgPool(x, 2, 2, 'valid');
  // face-api: a zero row and column appended to `out` when the pooled input is larger; the pooled input's channels
  // doubled with zeros when `out` has more.
  if (pooled.shape[1] !== out.shape[1] || pooled.shape[2] !== out.shape[2])
    out = tf.pad(out, [
      [0, 0],
      [0, 1],
      [0, 1],
      [0, 0],
    ]);
  if (pooled.shape[3] !== out.shape[3])
    pooled = tf.pad(pooled, [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, pooled.shape[3]],
    ]);
  return tf.relu(tf.add<tf.Tensor4D>(pooled, out));
}

/**
 * face-api's `NetInput.toBatchTensor(150, true)` for a batch of equal-sized images: zeros around the shorter side
 * (the larger half after the image), then a bilinear resize to 150 × 150. Call inside `tf.tidy`.
 */
function toCenteredBatch(images: tf.Tensor4D): tf.Tensor4D {
  const [, height, width] = images.shape;
  let x: tf.Tensor4D = images.dtype === 'float32' ? images : tf.cast(images, 'float32');
  const diff = Math.abs(height - width);
  if (diff > 0) {
    const after = Math.round(diff * 0.5);
    const pad: [number, number] = [diff - after, after];
    x = tf.pad(x, height > width ? [[0, 0], [0, 0], pad, [0, 0]] : [[0, 0], pad, [0, 0], [0, 0]]);
  }
  const side = Math.max(height, width);
  return side === INPUT_SIZE ? x : tf.image.resizeBilinear(x, [INPUT_SIZE, INPUT_SIZE], false, false);
}

/** The descriptors [n, 128] for a batch of face chips [n, h, w, 3] (face-api's net input: 150 × 150). */
function faceRecognitionNetForward(chips: tf.Tensor4D, params: FaceRecognitionNetParams): tf.Tensor2D {
  const folded = foldedFor(params);
  return tf.tidy(() => {
    const x = toCenteredBatch(chips);
    let out = conv(x, folded.conv32Down, 2, true, 'valid');
    out = tf.maxPool(out, 3, 2, 'valid');
    for (const k of RESIDUAL_LAYERS)
      out = k.includes('_down') ? residualDown(out, folded.residual[k]) : residual(out, folded.residual[k]);
    return tf.matMul(tf.mean(out, [1, 2]), params.fc);
  });
}

/**
 * face-api's `nets.faceRecognitionNet.computeFaceDescriptor(list of chips)`: one 128-d descriptor per chip of the
 * batch `chips` [n, h, w, 3] (RGB 0-255, any numeric dtype; 150 × 150 needs no resize), in order. Leaves no
 * tensors behind (the folded weights are built once per params object at the first call and kept).
 */
export async function faceDescriptors(
  chips: tf.Tensor4D,
  params: FaceRecognitionNetParams,
): Promise<Float32Array[]> {
  if (chips.isDisposed) throw new Error('chips tensor is disposed');
  if (chips.rank !== 4 || chips.shape[3] !== 3)
    throw new Error(`expected RGB face chips [n, h, w, 3], have [${chips.shape.join(', ')}]`);
  const [n, height, width] = chips.shape;
  if (n === 0) return [];
  if (height < 1 || width < 1) throw new Error(`empty face chips [${chips.shape.join(', ')}]`);
  const out = faceRecognitionNetForward(chips, params);
  let data: Float32Array;
  try {
    data = (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
  const size = out.shape[1];
  return Array.from({ length: n }, (_, i) => data.slice(i * size, (i + 1) * size));
}
