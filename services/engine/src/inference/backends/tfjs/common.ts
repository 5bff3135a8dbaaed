import * as tf from '@tensorflow/tfjs';
export { reshapedDims, toImageBox, type Detection, type Dims } from '../decode/boxes';

/**
 * face-api's `NetInput.toBatchTensor(inputSize, false)` for one rank-3 image tensor: zeros appended below or to
 * the right to make it square, then a bilinear resize (no corner alignment, no half-pixel centres) to
 * inputSize × inputSize. Float32 [1, inputSize, inputSize, 3]. Call inside `tf.tidy`.
 */
export function toSquareBatch(image: tf.Tensor3D, inputSize: number): tf.Tensor4D {
  const [height, width] = image.shape;
  // Cast before padding: fewer values to convert (the wasm resize would cast the padded square).
  let x: tf.Tensor3D = image.dtype === 'float32' ? image : tf.cast(image, 'float32');
  // On wasm, PadV2 is fast for whole rows and slow for column padding, where Concat copies row by row.
  if (height < width)
    x = tf.pad(x, [
      [0, width - height],
      [0, 0],
      [0, 0],
    ]);
  else if (width < height) x = tf.concat([x, tf.zeros([height, height - width, 3], 'float32')], 1);
  const batch = tf.expandDims<tf.Tensor4D>(x, 0);
  return Math.max(height, width) === inputSize
    ? batch
    : tf.image.resizeBilinear(batch, [inputSize, inputSize], false, false);
}

export function assertImage(image: tf.Tensor3D): void {
  if (image.isDisposed) throw new Error('image tensor is disposed');
  if (image.rank !== 3 || image.shape[2] !== 3)
    throw new Error(`expected an RGB image tensor [h, w, 3], have [${image.shape.join(', ')}]`);
  if (image.shape[0] < 1 || image.shape[1] < 1)
    throw new Error(`empty image tensor [${image.shape.join(', ')}]`);
}

export function isTensor(value: unknown, rank: number): value is tf.Tensor {
  return value instanceof tf.Tensor && value.rank === rank && !value.isDisposed;
}

/** Reads `net.params` after checking the net is loaded: face-api's params are typed against its own copy of tfjs. */
export function loadedParams(net: { isLoaded: boolean; params: unknown }, name: string): object {
  if (!net.isLoaded || typeof net.params !== 'object' || net.params === null)
    throw new Error(`${name} - load model before inference`);
  return net.params;
}
