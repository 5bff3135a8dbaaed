// The engine as one pool worker runs it, but in this process (no gRPC, no pool): the engine's own configuration and
// defaults (limits, working-copy size) with one onnxruntime thread. Shared by the in-process tools (profile-*,
// bench-refusals, bench-inference, analyze-outputs).
import { loadConfig, workerInit } from '@deepface/engine/config';

export function inProcessEngine(backend = process.env.ENGINE_BACKEND ?? 'onnx') {
  const init = workerInit(
    loadConfig({ ENGINE_BACKEND: backend, ENGINE_ONNX_THREADS: '1', LOG_LEVEL: 'warn' }),
  );
  return { init, limits: { maxPixels: init.maxImagePixels, workMaxSide: init.workMaxSide } };
}

/** CPU ms of this process (every thread: JS, onnxruntime, libvips) since `since`. */
export function cpuMsSince(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}
