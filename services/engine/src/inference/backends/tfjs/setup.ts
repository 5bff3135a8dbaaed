// tfjs set on its backend for this thread: what the tfjs backends (wasm, tensorflow, cpu) need before their nets
// load. backends/index.ts imports this module only for them, so an onnx worker never loads tfjs or its wasm heap.
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { installWasmSlice } from '../wasm-slice';

export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu';

/** The native binding, or why it did not load. */
export function loadTfjsNode(): Error | undefined {
  try {
    // Optional dependency: its native binding exists only where it was built (images built with internet).
    // The GPU image installs @tensorflow/tfjs-node-gpu instead (same 'tensorflow' backend, CUDA kernels).
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('@tensorflow/tfjs-node-gpu');
    } catch {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('@tensorflow/tfjs-node');
    }
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Whether tfjs-node registered its backend. */
export const tensorflowRegistered = (): boolean => tf.findBackend('tensorflow') !== null;

/** Sets tfjs on `target` (throws when it does not initialise); a note when it runs slowly. */
export async function setTfjsBackend(target: TfjsBackendName): Promise<string | undefined> {
  if (target === 'wasm') {
    // The .wasm binaries ship in the npm package: load them from disk, never from a CDN.
    setWasmPaths(
      path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')) +
        path.sep,
    );
  }
  const ok = await tf.setBackend(target);
  await tf.ready();
  if (!ok || tf.getBackend() !== target)
    throw new Error(`tfjs backend ${target} failed to initialise (got ${tf.getBackend()})`);
  if (target !== 'wasm') return undefined;
  installWasmSlice();
  return (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? undefined : 'wasm without SIMD (slow)';
}

/** Live tfjs tensors: the engine's per-task leak check. */
export const tensorCount = (): number => tf.memory().numTensors;
