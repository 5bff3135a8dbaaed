// The worker pool: piscina runs the threads (spawning, transfer, replacing a crashed one), this class decides what
// runs when. It keeps its own bounded FIFO on the main thread and hands piscina at most one task per worker,
// because piscina alone cannot give three things the engine needs:
// - drop a queued task whose call was cancelled without killing a worker (aborting a running piscina task
//   terminates its thread, i.e. reloads the models; and tasks given an AbortSignal bypass piscina's maxQueue);
// - the time each task waited, for timings.queue_ms;
// - a drain on close that lets every queued task run (piscina's close() can stop waiting with work still queued);
// - fairness between tenants (the gateway's per-account keys, fair-queue.ts): one account's backlog cannot hold
//   every worker, nor every queue place, while another's calls wait.
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Piscina } from 'piscina';
import type { Logger } from '../log';
import type { Task, TaskOp, TaskResults, WorkerInit } from '../contract/tasks';
import { isTaskEnvelope, lifecycleMessage } from './checks';
import { FairQueue } from './fair-queue';
import { type PoolWorkerData, WORKER_FAILED } from './protocol';
import { forTransfer } from './transfer';
import { configureWorkerHeaps } from './worker-heap';
import {
  type Cancelled,
  type EnginePool,
  failure,
  type PoolReady,
  type PoolStats,
  type RunOptions,
  type RunResult,
} from './types';

export interface PoolOptions {
  /** Module whose default export is `(task: Task) => Promise<TaskOutcome>`, or a Promise of that function. */
  handlerFile: string;
  workers: number;
  queueSize: number;
  init: WorkerInit;
  logger: Logger;
  /** Node flags for the worker threads; tests pass a TypeScript loader since the entry is then a .ts file. */
  execArgv?: string[];
  /** Called each time a worker finishes loading, e.g. to log "n/N workers ready". */
  onWorkerReady?: (progress: { ready: number; total: number; backend: string }) => void;
}

/** The entry beside this file: worker-entry.js once built, worker-entry.ts when run from source (tests). */
const ENTRY = path.join(__dirname, `worker-entry${path.extname(__filename)}`);

const CANCELLED: Cancelled = { ok: false, cancelled: true };
const OVERLOADED = () => failure('OVERLOADED', 'the engine is busy, retry shortly');
const INTERNAL = () => failure('INTERNAL_ERROR', 'the inference worker failed');
const now = () => performance.timeOrigin + performance.now();

/** The results decided on the main thread, valid for any op. */
type Settled = ReturnType<typeof failure> | Cancelled;

interface Job {
  readonly task: Task;
  readonly tenant: string;
  readonly submittedAt: number;
  readonly signal: AbortSignal | undefined;
  /** Settles the caller's promise with the worker's raw answer, or with a failure decided here. */
  readonly complete: (raw: unknown) => void;
  readonly settle: (result: Settled) => void;
  onAbort?: () => void;
}

export class WorkerPool implements EnginePool {
  readonly ready: Promise<PoolReady>;
  private readonly piscina: Piscina;
  private readonly waiting = new FairQueue<Job>();
  /** Backend reported by each thread that finished loading, by threadId (dead threads are pruned lazily). */
  private readonly loaded = new Map<number, string>();
  private running = 0;
  private completed = 0;
  private rejected = 0;
  private readyState: PoolReady | undefined;
  private resolveReady!: (ready: PoolReady) => void;
  private rejectReady!: (error: Error) => void;
  private closing: Promise<void> | undefined;
  private onIdle: (() => void) | undefined;

  constructor(private readonly options: PoolOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1)
      throw new RangeError('workers must be >= 1');
    if (!Number.isInteger(options.queueSize) || options.queueSize < 0)
      throw new RangeError('queueSize must be >= 0');
    this.ready = new Promise<PoolReady>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // Whoever needs readiness awaits it; an unobserved failure must not crash the process on its own.
    this.ready.catch(() => undefined);
    const workerData: PoolWorkerData = { ...options.init, handlerFile: options.handlerFile };
    // Before piscina starts the threads: their isolates read it when created (worker-heap.ts says why).
    configureWorkerHeaps();
    this.piscina = new Piscina({
      filename: ENTRY,
      minThreads: options.workers,
      maxThreads: options.workers,
      concurrentTasksPerWorker: 1,
      // Threads hold loaded models: never retire an idle one.
      idleTimeout: Infinity,
      workerData,
      ...(options.execArgv ? { execArgv: options.execArgv } : {}),
    });
    this.piscina.on('message', (message: unknown) => this.onLifecycle(message));
    // A thread that dies with no task in flight: piscina replaces it; without a listener this would crash us.
    this.piscina.on('error', (error: unknown) =>
      options.logger.error({ err: error }, 'worker thread failed'),
    );
  }

  isReady(): boolean {
    return this.readyState !== undefined && this.closing === undefined;
  }

  run<T extends Task>(task: T, options: RunOptions = {}): Promise<RunResult<T['op']>> {
    if (this.closing) return Promise.resolve(failure('NOT_READY', 'the engine is shutting down'));
    const { signal } = options;
    const tenant = options.tenant ?? '';
    if (signal?.aborted) return Promise.resolve(CANCELLED);
    if (this.running >= this.options.workers && this.waiting.length >= this.options.queueSize) {
      // Full: the caller is refused, unless another tenant holds more of the queue (its newest task gives way).
      const evicted = this.waiting.evictFor(tenant);
      this.rejected++;
      if (!evicted) return Promise.resolve(OVERLOADED());
      this.unlisten(evicted);
      evicted.settle(OVERLOADED());
    }
    return new Promise<RunResult<T['op']>>((resolve) => {
      const submittedAt = now();
      const job: Job = {
        task,
        tenant,
        submittedAt,
        signal,
        complete: (raw) => resolve(this.interpret<T['op']>(raw, task.op, submittedAt)),
        settle: resolve,
      };
      if (this.running < this.options.workers) {
        this.dispatch(job);
        return;
      }
      if (signal) {
        job.onAbort = () => {
          this.waiting.remove(tenant, job);
          job.settle(CANCELLED);
          this.checkIdle();
        };
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.waiting.push(tenant, job);
    });
  }

  stats(): PoolStats {
    return {
      workers: this.options.workers,
      readyWorkers: this.countLoaded(),
      busyWorkers: this.running,
      queueDepth: this.waiting.length,
      queueCapacity: this.options.queueSize,
      completed: this.completed,
      rejected: this.rejected,
    };
  }

  close({ timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<void> {
    this.closing ??= this.drainAndStop(timeoutMs);
    return this.closing;
  }

  private async drainAndStop(timeoutMs: number): Promise<void> {
    if (!this.readyState) this.rejectReady(new Error('the pool was closed before its workers were ready'));
    const drained = new Promise<boolean>((resolve) => {
      this.onIdle = () => resolve(true);
      this.checkIdle();
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const clean = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    if (!clean) {
      const dropped = this.waiting.drain();
      for (const job of dropped) job.settle(failure('NOT_READY', 'the engine is shutting down'));
      this.options.logger.warn(
        { running: this.running, dropped: dropped.length, timeoutMs },
        'pool drain timed out; ending running tasks',
      );
    }
    // Running tasks (only after a timeout) are rejected by piscina and answered INTERNAL_ERROR.
    await this.piscina.destroy();
  }

  private unlisten(job: Job): void {
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
  }

  private dispatch(job: Job): void {
    this.unlisten(job);
    // Checked when a worker frees up for it: a call that gave up while queued never runs.
    if (job.signal?.aborted) {
      job.settle(CANCELLED);
      return;
    }
    this.running++;
    this.waiting.started(job.tenant);
    const { task, transferList } = forTransfer(job.task);
    this.piscina
      .run(task, { transferList })
      .then(
        (raw: unknown) => job.complete(raw),
        (error: unknown) => {
          // A throw in the handler, or the thread died under the task (piscina then replaces the thread).
          this.options.logger.error({ err: error, op: job.task.op }, 'task failed in its worker');
          job.settle(INTERNAL());
        },
      )
      .finally(() => {
        this.running--;
        this.waiting.finished(job.tenant);
        this.completed++;
        this.pump();
      });
  }

  private pump(): void {
    while (this.running < this.options.workers) {
      const next = this.waiting.shift();
      if (!next) break;
      this.dispatch(next.item);
    }
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.onIdle && this.running === 0 && this.waiting.length === 0) this.onIdle();
  }

  private interpret<K extends TaskOp>(raw: unknown, op: K, submittedAt: number): RunResult<K> {
    if (!isTaskEnvelope(raw, op)) {
      this.options.logger.error({ op }, 'worker answered with a malformed outcome');
      return INTERNAL();
    }
    const { outcome } = raw;
    if (outcome.ok) addQueueTime(outcome.value, Math.max(0, raw.startedAt - submittedAt));
    return outcome;
  }

  private onLifecycle(raw: unknown): void {
    const parsed = lifecycleMessage.safeParse(raw);
    if (!parsed.success) {
      this.options.logger.warn('ignored an unknown message from a worker');
      return;
    }
    const message = parsed.data;
    if (message.type === WORKER_FAILED) {
      const error = new Error(`worker ${message.threadId} failed to load: ${message.message}`);
      this.options.logger.error(
        { threadId: message.threadId, reason: message.message },
        'worker failed to load',
      );
      if (!this.readyState) {
        // Every thread loads the same models: one failing means they all would. Stop rather than reload forever.
        this.rejectReady(error);
        void this.close({ timeoutMs: 0 });
      }
      return;
    }
    this.loaded.set(message.threadId, message.backend);
    const ready = this.countLoaded();
    this.options.onWorkerReady?.({ ready, total: this.options.workers, backend: message.backend });
    if (!this.readyState && !this.closing && ready >= this.options.workers) {
      const backends = new Set(this.loaded.values());
      if (backends.size > 1)
        this.options.logger.warn({ backends: [...backends] }, 'workers run on different backends');
      this.readyState = { backend: message.backend, workers: this.options.workers };
      this.resolveReady(this.readyState);
    }
  }

  /** Live threads that reported ready; a thread that died (and its replacement, until it loads) does not count. */
  private countLoaded(): number {
    const live = new Set(this.piscina.threads.map((worker) => worker.threadId));
    for (const id of this.loaded.keys()) if (!live.has(id)) this.loaded.delete(id);
    return this.loaded.size;
  }
}

/** Adds the wait to the result's timings (warm-up results have none). */
function addQueueTime(value: TaskResults[TaskOp], queueMs: number): void {
  if (!('timings' in value) || !value.timings) return;
  const timings = value.timings;
  const waited = Math.round(queueMs * 1000) / 1000;
  timings.queue_ms = waited;
  if (timings.total_ms !== undefined) timings.total_ms = Number(timings.total_ms) + waited;
}
