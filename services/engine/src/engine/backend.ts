import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendStatus {
  name: BackendName;
  /** Why this backend, e.g. "tfjs-node binding not installed: using wasm". */
  note: string;
}

function loadTfjsNode(): Error | undefined {
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

/**
 * Selects the tfjs backend for this thread. Never falls back to the pure-JS `cpu` backend silently (it is ~30x
 * slower than wasm): `cpu` runs only when asked for by name.
 */
export async function initBackend(choice: BackendChoice): Promise<BackendStatus> {
  let note = '';
  let target: BackendName;
  if (choice === 'auto' || choice === 'tensorflow') {
    const failure = loadTfjsNode();
    if (!failure && tf.findBackend('tensorflow')) target = 'tensorflow';
    else if (choice === 'tensorflow')
      throw new Error(
        `ENGINE_BACKEND=tensorflow but @tensorflow/tfjs-node did not load: ${failure?.message ?? 'no backend'}`,
      );
    else {
      target = 'wasm';
      note = 'tfjs-node binding not available: using wasm';
    }
  } else target = choice;

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
  if (target === 'wasm' && !(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')))
    note = `${note ? note + '; ' : ''}wasm without SIMD (slow)`;
  if (target === 'cpu') note = 'pure-JS cpu backend requested explicitly: about 30x slower than wasm';
  return { name: target, note };
}
