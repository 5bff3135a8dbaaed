// Messages between the pool (main thread) and its worker entry, on top of the task protocol of contract/tasks.ts.
// Types and constants only: the worker entry imports this file, and must stay light to start.
import type { TaskOp, TaskOutcome, WorkerInit } from '../contract/tasks';

/**
 * A worker's `workerData`: the WorkerInit the handler module reads, plus the module the pool's entry loads.
 * A superset, so a handler that reads `workerData` as WorkerInit keeps working.
 */
export interface PoolWorkerData extends WorkerInit {
  handlerFile: string;
}

/** What the entry answers for each task: the handler's outcome and when the worker took the task. */
export interface TaskEnvelope<K extends TaskOp = TaskOp> {
  op: K;
  /** performance.timeOrigin + performance.now() in the worker: an epoch time comparable across threads. */
  startedAt: number;
  outcome: TaskOutcome<K>;
}

/** Posted on parentPort by the entry once the handler module has loaded and the warm-up has run. */
export const WORKER_READY = 'deepface.pool.worker-ready';
/** Posted instead when loading or the warm-up failed. */
export const WORKER_FAILED = 'deepface.pool.worker-failed';

export interface WorkerReadyMessage {
  type: typeof WORKER_READY;
  threadId: number;
  backend: string;
}

export interface WorkerFailedMessage {
  type: typeof WORKER_FAILED;
  threadId: number;
  message: string;
}
