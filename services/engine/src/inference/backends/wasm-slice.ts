// tfjs-backend-wasm's Slice kernel is JavaScript: it first copies the whole input out of the wasm heap (readSync),
// then copies a rank-3 slice one pixel at a time, with one subarray per pixel. face-api's extractFaceTensors slices
// every face that way: ~140 k short-lived objects and a multi-megabyte copy for a 320×430 face, i.e. garbage that
// made V8 collect during nearly every call. This kernel reads the input in place and copies whole rows when the
// slice keeps the last axis whole (how images and face crops are sliced); any other slice goes to the original
// kernel. Same values (test/engine/wasm-slice.test.ts).
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const FAST = Symbol('deepface.fast-slice');

type SliceKernel = tf.KernelConfig & { [FAST]?: true };

/** Copies a slice of `x` that keeps its last axis whole, a row of the last two axes at a time. */
function rowSlice(x: tf.TensorInfo, begin: number[], size: number[], backend: BackendWasm): tf.TensorInfo {
  const rank = x.shape.length;
  const out = backend.makeOutput(size, x.dtype);
  // Views only after makeOutput: an allocation may grow the heap, which detaches earlier views.
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const strides = tf.util.computeStrides(x.shape);
  // A row: the slice's run along axis rank-2 with the whole last axis, contiguous in both tensors.
  const rowLength = (size[rank - 2] ?? 1) * (x.shape[rank - 1] ?? 1);
  const outer = size.slice(0, Math.max(0, rank - 2));
  const index = outer.map(() => 0);
  const rows = outer.reduce((n, s) => n * s, 1);
  for (let row = 0; row < rows; row++) {
    let offset = (begin[rank - 2] ?? 0) * (strides[rank - 2] ?? 0);
    for (let axis = 0; axis < outer.length; axis++)
      offset += ((begin[axis] ?? 0) + (index[axis] ?? 0)) * (strides[axis] ?? 0);
    dst.set(src.subarray(offset, offset + rowLength), row * rowLength);
    // Next index over the outer axes, last fastest.
    for (let axis = outer.length - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] ?? 0) + 1;
      if ((index[axis] ?? 0) < (outer[axis] ?? 0)) break;
      index[axis] = 0;
    }
  }
  return out;
}

/** Replaces the wasm backend's Slice kernel (once; later calls do nothing). */
export function installWasmSlice(): void {
  const original = tf.getKernel(tf.Slice, 'wasm') as SliceKernel | undefined;
  if (!original || original[FAST]) return;
  const kernelFunc = ((args: Parameters<tf.KernelFunc>[0]) => {
    const x = args.inputs.x;
    const attrs = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const rank = x?.shape.length ?? 0;
    if (!x || x.dtype === 'string' || rank < 2 || rank > 4) return original.kernelFunc(args);
    const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin, attrs.size) as [number[], number[]];
    const whole = begin[rank - 1] === 0 && size[rank - 1] === x.shape[rank - 1];
    if (!whole || size.some((s) => s <= 0)) return original.kernelFunc(args);
    return rowSlice(x, begin, size, args.backend as BackendWasm);
  }) as tf.KernelFunc;
  tf.unregisterKernel(tf.Slice, 'wasm');
  tf.registerKernel({ ...original, kernelFunc, [FAST]: true } as SliceKernel);
}
