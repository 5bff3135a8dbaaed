// RGB images as int32 tensors without a JS-side int32 copy. tf.tensor3d(bytes, shape, 'int32') first widens the
// bytes into a new Int32Array (4 bytes per value, ~6 MB for a detection copy) that the wasm backend then copies
// into its heap: short-lived external memory that made V8 run a full collection on nearly every call. On wasm the
// values are written straight into the tensor's heap memory instead; other backends take the plain path.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

function wasmBackend(): BackendWasm | undefined {
  return tf.getBackend() === 'wasm' ? (tf.backend() as BackendWasm) : undefined;
}

/**
 * An int32 tensor [height, width, 3] whose values `fill` writes, every one of them (the memory it gets is not
 * cleared). `fill` must not run tfjs ops: the view it gets lives in the wasm heap, which an allocation may move.
 */
export function int32Image(height: number, width: number, fill: (values: Int32Array) => void): tf.Tensor3D {
  const shape: [number, number, number] = [height, width, 3];
  const backend = wasmBackend();
  if (!backend) {
    const values = new Int32Array(height * width * 3);
    fill(values);
    return tf.tensor3d(values, shape, 'int32');
  }
  const info = backend.makeOutput(shape, 'int32');
  try {
    fill(backend.typedArrayFromHeap(info) as Int32Array);
  } catch (error) {
    backend.disposeData(info.dataId);
    throw error;
  }
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor3D;
}

/** The image's bytes (RGB, row-major) as an int32 tensor [height, width, 3]. */
export function rgbTensor(rgb: Uint8Array, height: number, width: number): tf.Tensor3D {
  return int32Image(height, width, (values) => values.set(rgb));
}
