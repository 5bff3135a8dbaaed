// The V8 heap of the inference threads. A worker keeps only ~11–16 MB of live JS objects (the pixels live in
// ArrayBuffers outside the heap), so V8 sized its old generation's limit at ~26–36 MB; the slack left was smaller
// than the young generation, and V8 started a full mark-compact every ~1.5 Verify in each worker, 20–50 ms of
// marking each. Each one also dropped the optimized code of the short-lived closures (V8 holds it weakly), which
// the compiler threads then rebuilt: together ~30 ms of CPU per Verify that the same calls in one thread did not pay.
// A floor under the old generation's limit lets V8 skip full collections below it (scavenges still free the big
// buffers, which die young). The flag is read when an isolate is created, so it must be set before the threads
// start; it changes no result, only when memory is collected.
import { setFlagsFromString } from 'node:v8';

/** Below this many MB of old generation, a worker's isolate does no full GC (V8's `initial_old_generation_size`). */
export const WORKER_OLD_SPACE_FLOOR_MB = 64;

const FLAG = '--initial-old-space-size';

/**
 * Sets the floor for every isolate created from now on (worker threads; the running main isolate keeps its own).
 * An operator's own `--initial-old-space-size` on the command line wins.
 */
export function configureWorkerHeaps(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((arg) => arg.startsWith(FLAG) || arg.startsWith('--initial_old_space_size'))) return;
  setFlagsFromString(`${FLAG}=${WORKER_OLD_SPACE_FLOOR_MB}`);
}
