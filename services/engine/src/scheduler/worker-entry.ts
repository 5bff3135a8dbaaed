// The module piscina runs in each worker thread. It loads the task handler module named in workerData (the real
// worker, or a fake in tests), runs the warm-up, then tells the pool this thread is ready. Piscina awaits this
// module's default export (a Promise) before the thread takes tasks, so "ready" is exact per thread.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import type { Task, TaskOutcome } from '../contract/tasks';
import {
  type TaskEnvelope,
  WORKER_FAILED,
  WORKER_READY,
  type WorkerFailedMessage,
  type WorkerReadyMessage,
} from './protocol';

type Handler = (task: Task) => Promise<TaskOutcome>;

function handlerFileOf(data: unknown): string {
  if (
    typeof data === 'object' &&
    data !== null &&
    'handlerFile' in data &&
    typeof data.handlerFile === 'string'
  ) {
    return data.handlerFile;
  }
  throw new Error('workerData.handlerFile is missing: this module must be started by the engine pool');
}

function isHandler(value: unknown): value is Handler {
  return typeof value === 'function';
}

/** Accepts `module.exports = handler` and `export default handler`, either of which may be a Promise of it. */
async function loadHandler(file: string): Promise<Handler> {
  const exported: unknown = await createRequire(__filename)(file);
  let candidate = exported;
  if (
    !isHandler(candidate) &&
    typeof candidate === 'object' &&
    candidate !== null &&
    'default' in candidate
  ) {
    candidate = await candidate.default;
  }
  if (!isHandler(candidate)) {
    throw new Error(`${file} must export a task handler (or a Promise of one) as its default export`);
  }
  return candidate;
}

function post(message: WorkerReadyMessage | WorkerFailedMessage): void {
  parentPort?.postMessage(message);
}

async function boot(): Promise<(task: Task) => Promise<TaskEnvelope>> {
  const handler = await loadHandler(handlerFileOf(workerData));
  const warm = await handler({ op: 'warmup' });
  if (!warm.ok) throw new Error(`warm-up failed: ${warm.error.reason}: ${warm.error.message}`);
  const backend = 'backend' in warm.value ? warm.value.backend : undefined;
  if (typeof backend !== 'string') throw new Error('warm-up did not report the backend');
  post({ type: WORKER_READY, threadId, backend });
  return async (task) => {
    const startedAt = performance.timeOrigin + performance.now();
    const outcome = await handler(task);
    return { op: task.op, startedAt, outcome };
  };
}

export default boot().catch((error: unknown) => {
  post({ type: WORKER_FAILED, threadId, message: error instanceof Error ? error.message : String(error) });
  // A thread without models is useless. Ending it (rather than rejecting, which piscina would swallow, leaving a
  // thread that fails every task) lets the pool see the loss; piscina does not retry a thread that dies while
  // starting, except for the initial ones, which the pool stops itself.
  process.exit(1);
});
