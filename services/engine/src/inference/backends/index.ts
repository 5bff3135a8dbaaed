import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { installWasmSlice } from './wasm-slice';
import type { Nets } from './nets';
import { OnnxNets } from './onnx/nets';
import { TfjsNets } from './tfjs/nets';
import { loadOrt } from './onnx/runtime';
import { intraOpThreads, type BackendChoice, type BackendName } from '../../contract/backend';

export interface BackendStatus {
  name: BackendName;
  /** Why this backend, e.g. "tfjs-node binding not available: using wasm". */
  note: string;
}

/** The chosen backend with its networks: what the engine carries in its context. */
export interface Backend extends BackendStatus {
  nets: Nets;
}

export interface BackendOptions {
  /** onnxruntime intra-op threads per session (threads × workers ≤ cores). */
  intraOpThreads?: number;
}

const threadsOf = (options: BackendOptions): number => options.intraOpThreads ?? intraOpThreads(1);
const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** onnxruntime-node with the exported models, or why not. */
async function loadOnnx(options: BackendOptions): Promise<{ nets: OnnxNets } | { error: string }> {
  const loaded = loadOrt();
  if ('error' in loaded) return { error: `onnxruntime-node did not load: ${loaded.error.message}` };
  try {
    const nets = await OnnxNets.create(loaded.ort, { intraOpThreads: threadsOf(options) });
    return { nets };
  } catch (error) {
    return { error: `onnx models failed to load: ${message(error)}` };
  }
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
 * Selects the inference backend for this thread (and the tfjs backend under it). Never falls back to the pure-JS `cpu` backend silently (it is ~30x
 * slower than wasm): `cpu` runs only when asked for by name.
 */
export async function initBackend(
  choice: BackendChoice,
  options: BackendOptions = {},
): Promise<BackendStatus & { onnx?: OnnxNets }> {
  let note = '';
  let target: BackendName;
  let onnx: OnnxNets | undefined;
  // auto: onnx first (the same networks with tested-equal outputs, native speed, its CPU runtime ships in the npm
  // package), then tfjs-node when its native binding was built, then wasm.
  if (choice === 'auto' || choice === 'onnx') {
    const loaded = await loadOnnx(options);
    if ('nets' in loaded) onnx = loaded.nets;
    else if (choice === 'onnx') throw new Error(`ENGINE_BACKEND=onnx but ${loaded.error}`);
    else note = loaded.error;
  }
  if (onnx) {
    target = 'onnx';
    const { provider, cudaError } = onnx;
    note = [
      `onnxruntime ${provider === 'cuda' ? 'CUDA' : 'CPU'} provider, ${threadsOf(options)} intra-op thread(s); tfjs on wasm for pre/post-processing`,
      cudaError ? `CUDA provider failed: ${cudaError.message}` : '',
    ]
      .filter(Boolean)
      .join('; ');
  } else if (choice === 'auto' || choice === 'tensorflow') {
    const failure = loadTfjsNode();
    if (!failure && tf.findBackend('tensorflow')) target = 'tensorflow';
    else if (choice === 'tensorflow')
      throw new Error(
        `ENGINE_BACKEND=tensorflow but @tensorflow/tfjs-node did not load: ${failure?.message ?? 'no backend'}`,
      );
    else {
      target = 'wasm';
      note = `${note ? note + '; ' : ''}tfjs-node binding not available: using wasm`;
    }
  } else target = choice;

  // The onnx backend keeps tfjs on wasm for the image work around the networks.
  const tfjsBackend = target === 'onnx' ? 'wasm' : target;
  if (tfjsBackend === 'wasm') {
    // The .wasm binaries ship in the npm package: load them from disk, never from a CDN.
    setWasmPaths(
      path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')) +
        path.sep,
    );
  }
  const ok = await tf.setBackend(tfjsBackend);
  await tf.ready();
  if (!ok || tf.getBackend() !== tfjsBackend)
    throw new Error(`tfjs backend ${tfjsBackend} failed to initialise (got ${tf.getBackend()})`);
  if (tfjsBackend === 'wasm') installWasmSlice();
  if (tfjsBackend === 'wasm' && !(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')))
    note = `${note ? note + '; ' : ''}wasm without SIMD (slow)`;
  if (target === 'cpu') note = 'pure-JS cpu backend requested explicitly: about 30x slower than wasm';
  return onnx ? { name: target, note, onnx } : { name: target, note };
}

/**
 * The backend for this thread with its networks, chosen once: onnx's sessions, or the tfjs networks loaded after
 * tfjs is set on its backend. Everything else reaches the networks through the Nets interface.
 */
export async function openBackend(choice: BackendChoice, options: BackendOptions = {}): Promise<Backend> {
  const { onnx, ...status } = await initBackend(choice, options);
  return { ...status, nets: onnx ?? (await TfjsNets.load()) };
}
