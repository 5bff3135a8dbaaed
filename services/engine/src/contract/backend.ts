// The inference backends: what the configuration may ask for and what a worker ends up running.
import * as os from 'node:os';

export const BACKEND_CHOICES = ['auto', 'onnx', 'tensorflow', 'wasm', 'cpu'] as const;
/** auto = onnx when onnxruntime-node loads, else tfjs-node when its binding loads, else wasm. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendName = Exclude<BackendChoice, 'auto'>;

/**
 * Intra-op threads per session: the worker pool already runs one inference per worker, so threads × workers must
 * not exceed the cores (more would only time-slice the same cores and add synchronisation).
 */
export function intraOpThreads(workers: number, cores: number = os.availableParallelism()): number {
  return Math.max(1, Math.floor(cores / Math.max(1, workers)));
}
