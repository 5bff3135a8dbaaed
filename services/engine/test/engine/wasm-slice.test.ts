// The wasm backend's Slice kernel replaced by one that copies whole rows (src/inference/backends/wasm-slice.ts): every slice
// gives the values the original kernel gives, on the engine's own backend.
import * as tf from '@tensorflow/tfjs';
// Registers the wasm backend's kernels, so the original Slice can be read before the engine replaces it.
import '@tensorflow/tfjs-backend-wasm';
import { installWasmSlice } from '../../src/inference/backends/wasm-slice';
import { initBackend } from '../../src/inference/backends/index';

const original = tf.getKernel(tf.Slice, 'wasm');

/** The slice on tfjs' cpu backend, as the reference. */
async function reference(
  values: number[],
  shape: number[],
  dtype: 'int32' | 'float32',
  begin: number[],
  size: number[],
) {
  await tf.setBackend('cpu');
  try {
    return tf.tidy(() => Array.from(tf.slice(tf.tensor(values, shape, dtype), begin, size).dataSync()));
  } finally {
    await tf.setBackend('wasm');
  }
}

describe('wasm Slice kernel', () => {
  beforeAll(async () => {
    await initBackend('wasm'); // starts tfjs on wasm, which installs the kernel (an onnx engine loads no tfjs)
  });

  it('is installed once, in place of the original', () => {
    expect(original).toBeDefined();
    const installed = tf.getKernel(tf.Slice, 'wasm');
    expect(installed?.kernelFunc).not.toBe(original?.kernelFunc);
    installWasmSlice();
    expect(tf.getKernel(tf.Slice, 'wasm')?.kernelFunc).toBe(installed?.kernelFunc);
  });

  const cases: [string, number[], number[], number[]][] = [
    ['an image crop', [9, 11, 3], [2, 3, 0], [5, 6, 3]],
    ['a crop reaching the border', [9, 11, 3], [4, 0, 0], [-1, 11, 3]],
    ['whole rows (contiguous)', [9, 11, 3], [2, 0, 0], [3, -1, -1]],
    ['a channel (original kernel)', [9, 11, 3], [1, 1, 1], [4, 4, 1]],
    ['rank 2', [7, 5], [2, 0], [3, 5]],
    ['rank 4, a batch of crops', [2, 6, 7, 3], [0, 1, 2, 0], [2, 3, 4, 3]],
    ['rank 4, part of the last axis', [2, 6, 7, 3], [1, 1, 2, 1], [1, 3, 4, 2]],
  ];

  it.each(cases)('%s gives the same values', async (_name, shape, begin, size) => {
    expect(tf.getBackend()).toBe('wasm');
    for (const dtype of ['int32', 'float32'] as const) {
      const n = shape.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: n }, (_, i) =>
        dtype === 'int32' ? (i * 7919) % 256 : i * 0.37 - 5,
      );
      const before = tf.memory().numTensors;
      const x = tf.tensor(values, shape, dtype);
      const sliced = tf.slice(x, begin, size);
      const expected = await reference(values, shape, dtype, begin, size);
      expect(Array.from(await sliced.data())).toEqual(expected);
      x.dispose();
      sliced.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
