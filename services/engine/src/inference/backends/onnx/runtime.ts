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

function options(
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
        session: await ort.InferenceSession.create(modelPath, options(settings, 'cuda')),
        provider: 'cuda',
      };
    } catch (error) {
      cudaError = error instanceof Error ? error : new Error(String(error));
    }
  }
  const session = await ort.InferenceSession.create(modelPath, options(settings, 'cpu'));
  return cudaError ? { session, provider: 'cpu', cudaError } : { session, provider: 'cpu' };
}
