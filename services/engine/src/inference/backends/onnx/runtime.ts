// onnxruntime-node for the engine's workers: loading the binding, picking the execution provider and the thread
// settings, creating sessions. onnxruntime-node ships its CPU runtime in the npm package (no install script
// needed); the CUDA provider exists only where its install script fetched the CUDA libraries (GPU images).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Ort from 'onnxruntime-node';

export type OrtModule = typeof Ort;
export type ExecutionProvider = 'cpu' | 'cuda';

/** onnxruntime-node, or why it did not load (optional at run time: other backends remain). */
export function loadOrt(): { ort: OrtModule } | { error: Error } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { ort: require('onnxruntime-node') as OrtModule };
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/** The CUDA provider library sits beside the binding only where onnxruntime-node's install script fetched it. */
export function cudaProviderPresent(ort: OrtModule): boolean {
  if (!ort.listSupportedBackends().some((b) => b.name === 'cuda')) return false;
  const binding = path.join(
    path.dirname(require.resolve('onnxruntime-node/package.json')),
    'bin',
    'napi-v6',
    process.platform,
    process.arch,
  );
  return fs.existsSync(path.join(binding, 'libonnxruntime_providers_cuda.so'));
}

export interface SessionSettings {
  intraOpThreads: number;
  /** Try CUDA first when its provider is present (falls back to CPU when it fails to initialise). */
  preferCuda: boolean;
}

/** What every session is created with (exported for its test: these options are the workers' memory and speed). */
export function sessionOptions(
  settings: SessionSettings,
  provider: ExecutionProvider,
): Ort.InferenceSession.SessionOptions {
  return {
    executionProviders: provider === 'cuda' ? ['cuda', 'cpu'] : ['cpu'],
    intraOpNumThreads: settings.intraOpThreads,
    // Our graphs are chains: the parallel executor and inter-op threads would add threads, not speed.
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Memory patterns plan each input shape's activations as one block taken from the session's arena, which
    // keeps the largest block it ever gave: measured, they held 2–3× the activations a tensor-by-tensor allocation
    // does (SSD 68 → 25 MB, the face nets at batch 4 12–17 → 3–6 MB), for no speed on these nets (each net's CPU
    // per run within 1 %). The arena itself stays: without it every run pays fresh pages (tiny detector 5× slower).
    enableMemPattern: false,
    // Warnings only (ORT logs every unused initializer it removes at 'info').
    logSeverityLevel: 3,
    // Idle intra-op threads must not spin: the other workers and libvips need the cores.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
}

/** A session on the best available provider: CUDA when asked for and it initialises, else CPU. */
export async function createSession(
  ort: OrtModule,
  modelPath: string,
  settings: SessionSettings,
): Promise<{ session: Ort.InferenceSession; provider: ExecutionProvider; cudaError?: Error }> {
  let cudaError: Error | undefined;
  if (settings.preferCuda) {
    try {
      return {
        session: await ort.InferenceSession.create(modelPath, sessionOptions(settings, 'cuda')),
        provider: 'cuda',
      };
    } catch (error) {
      cudaError = error instanceof Error ? error : new Error(String(error));
    }
  }
  const session = await ort.InferenceSession.create(modelPath, sessionOptions(settings, 'cpu'));
  return cudaError ? { session, provider: 'cpu', cudaError } : { session, provider: 'cpu' };
}
