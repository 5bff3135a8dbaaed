import type { Nets } from './nets';
import { OnnxNets } from './onnx/nets';
import type * as TfjsSetup from './tfjs/setup';
import type * as TfjsNetsModule from './tfjs/nets';
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
  /** Live tfjs tensors (the per-task leak check), on the tfjs backends only: onnx loads no tfjs. */
  tensorCount?: () => number;
}

// tfjs and its nets are loaded only for the tfjs backends, so an onnx worker carries neither tfjs nor its wasm heap.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tfjsSetup = (): typeof TfjsSetup => require('./tfjs/setup') as typeof TfjsSetup;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tfjsNets = (): typeof TfjsNetsModule => require('./tfjs/nets') as typeof TfjsNetsModule;

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
      `onnxruntime ${provider === 'cuda' ? 'CUDA' : 'CPU'} provider, ${threadsOf(options)} intra-op thread(s); no tfjs`,
      cudaError ? `CUDA provider failed: ${cudaError.message}` : '',
    ]
      .filter(Boolean)
      .join('; ');
  } else if (choice === 'auto' || choice === 'tensorflow') {
    const { loadTfjsNode, tensorflowRegistered } = tfjsSetup();
    const failure = loadTfjsNode();
    if (!failure && tensorflowRegistered()) target = 'tensorflow';
    else if (choice === 'tensorflow')
      throw new Error(
        `ENGINE_BACKEND=tensorflow but @tensorflow/tfjs-node did not load: ${failure?.message ?? 'no backend'}`,
      );
    else {
      target = 'wasm';
      note = `${note ? note + '; ' : ''}tfjs-node binding not available: using wasm`;
    }
  } else target = choice;

  // The onnx backend needs no tfjs: every input is built from plain pixels (inference/pixels/).
  if (target !== 'onnx') {
    const slow = await tfjsSetup().setTfjsBackend(target);
    if (slow) note = `${note ? note + '; ' : ''}${slow}`;
  }
  if (target === 'cpu') note = 'pure-JS cpu backend requested explicitly: about 30x slower than wasm';
  return onnx ? { name: target, note, onnx } : { name: target, note };
}

/**
 * The backend for this thread with its networks, chosen once: onnx's sessions, or the tfjs networks loaded after
 * tfjs is set on its backend. Everything else reaches the networks through the Nets interface.
 */
export async function openBackend(choice: BackendChoice, options: BackendOptions = {}): Promise<Backend> {
  const { onnx, ...status } = await initBackend(choice, options);
  if (onnx) return { ...status, nets: onnx };
  return { ...status, nets: await tfjsNets().TfjsNets.load(), tensorCount: tfjsSetup().tensorCount };
}
