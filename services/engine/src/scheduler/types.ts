// What the gRPC layer sees of the worker pool: run a task, readiness, and load figures for GetInfo and metrics.
import type { Task, TaskOp, TaskOutcome } from '../contract/tasks';
import type { TaskFailure } from '../contract/failure';

/** The caller gave up (call cancelled or deadline exceeded) before a worker took the task: it never ran. */
export interface Cancelled {
  ok: false;
  cancelled: true;
}

export type RunResult<K extends TaskOp = TaskOp> = TaskOutcome<K> | Cancelled;

export interface RunOptions {
  /** Aborting removes the task from the queue; a task a worker already took runs to completion. */
  signal?: AbortSignal;
  /** Who the task is for (an opaque per-account key); waiting tasks are served fairly between tenants. */
  tenant?: string;
}

export interface PoolReady {
  /** Inference backend the workers' warm-up ran on (onnx, tensorflow, wasm or cpu). */
  backend: string;
  workers: number;
}

export interface PoolStats {
  /** Configured worker threads. */
  workers: number;
  /** Live workers that have loaded their models and run the warm-up. */
  readyWorkers: number;
  /** Tasks a worker is running. */
  busyWorkers: number;
  /** Tasks waiting for a worker. */
  queueDepth: number;
  /** Most tasks allowed to wait; beyond it run() answers OVERLOADED at once. */
  queueCapacity: number;
  /** Tasks that reached a worker and finished (successfully or not), since start. */
  completed: number;
  /** Tasks refused because the queue was full, since start. */
  rejected: number;
}

export interface EnginePool {
  /** Resolves once every worker has loaded its models and run the warm-up; rejects if one fails to. */
  readonly ready: Promise<PoolReady>;
  isReady(): boolean;
  /** Never rejects: overload, shutdown and worker crashes are failures with their Reason. */
  run<T extends Task>(task: T, options?: RunOptions): Promise<RunResult<T['op']>>;
  stats(): PoolStats;
  /** Stops accepting tasks, lets queued and running ones finish (up to timeoutMs), then ends the workers. */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

export function failure(reason: TaskFailure['reason'], message: string): { ok: false; error: TaskFailure } {
  return { ok: false, error: { reason, message } };
}
