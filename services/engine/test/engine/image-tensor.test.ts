// RGB bytes as int32 tensors: written straight into the wasm heap (what the engine's backends run tfjs on), or
// through a plain Int32Array on any other tfjs backend; the same values either way, and nothing left behind.
import * as tf from '@tensorflow/tfjs';
import { int32Image, rgbTensor } from '../../src/inference/backends/tfjs/image-tensor';
import { initBackend } from '../../src/inference/backends/index';

const bytes = Uint8Array.from({ length: 5 * 7 * 3 }, (_, i) => (i * 37) % 256);

async function check(): Promise<void> {
  const before = tf.memory();
  const t = rgbTensor(bytes, 5, 7);
  expect(t.shape).toEqual([5, 7, 3]);
  expect(t.dtype).toBe('int32');
  expect(Array.from(await t.data())).toEqual(Array.from(bytes));
  // Usable by ops like any tensor, then freed like one.
  const sum = tf.sum(t);
  expect((await sum.data())[0]).toBe(bytes.reduce((a, b) => a + b, 0));
  sum.dispose();
  t.dispose();
  // A fill that throws leaves no tensor and no memory behind.
  expect(() =>
    int32Image(5, 7, () => {
      throw new Error('fill failed');
    }),
  ).toThrow('fill failed');
  expect(tf.memory().numTensors).toBe(before.numTensors);
  expect(tf.memory().numBytes).toBe(before.numBytes);
}

describe('image tensors', () => {
  beforeAll(async () => {
    // The tfjs backends' way in (an onnx engine loads no tfjs).
    await initBackend('wasm');
  });

  it('on wasm, written into the heap', async () => {
    expect(tf.getBackend()).toBe('wasm');
    await check();
  });

  it('on another backend, through an Int32Array', async () => {
    await tf.setBackend('cpu');
    try {
      await check();
    } finally {
      await tf.setBackend('wasm');
    }
  });
});
