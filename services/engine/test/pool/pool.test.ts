import { performance } from 'node:perf_hooks';
import type { WorkerPool } from '../../src/scheduler/pool';
import type { RunResult } from '../../src/scheduler/types';
import type { TaskOp, TaskResults } from '../../src/contract/tasks';
import { command, createTestPool, type FakeCounters, testConfig } from '../support/harness';

function detect(value: Record<string, unknown> = {}) {
  return { op: 'detect' as const, image: command(value), skipLandmarks: false };
}

function valueOf<K extends TaskOp>(result: RunResult<K>): TaskResults[K] {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result)}`);
  return result.value;
}

function reasonOf(result: RunResult): string {
  if (result.ok || 'cancelled' in result)
    throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result.error.reason;
}

describe('worker pool readiness', () => {
  it('is ready only once every worker has loaded and warmed up', async () => {
    const progress: { ready: number; poolReady: boolean }[] = [];
    const t0 = performance.now();
    const holder: { pool?: WorkerPool } = {};
    const { pool } = createTestPool(
      testConfig({ ENGINE_WORKERS: '2' }),
      { initMs: [50, 900] },
      { onWorkerReady: ({ ready }) => progress.push({ ready, poolReady: holder.pool?.isReady() ?? false }) },
    );
    holder.pool = pool;
    try {
      expect(pool.isReady()).toBe(false);
      const info = await pool.ready;
      const readyAt = performance.now() - t0;
      expect(info).toEqual({ backend: 'fake', workers: 2 });
      expect(pool.isReady()).toBe(true);
      // The fast worker reported while the pool was not yet ready; the slow one gated it (a lower bound only:
      // the slow worker cannot have loaded sooner than its 900 ms).
      expect(progress).toEqual([
        { ready: 1, poolReady: false },
        { ready: 2, poolReady: false },
      ]);
      expect(readyAt).toBeGreaterThanOrEqual(900);
      expect(pool.stats().readyWorkers).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('rejects readiness when a worker fails to load its models', async () => {
    const { pool } = createTestPool(testConfig(), { failInit: true });
    try {
      await expect(pool.ready).rejects.toThrow(/fake models failed to load/);
      expect(pool.isReady()).toBe(false);
    } finally {
      await pool.close();
    }
  });

  it('rejects readiness when the warm-up fails', async () => {
    const { pool } = createTestPool(testConfig(), { failWarmup: true });
    try {
      await expect(pool.ready).rejects.toThrow(/warm-up failed: INTERNAL_ERROR: fake warm-up failed/);
    } finally {
      await pool.close();
    }
  });
});

describe('worker pool', () => {
  let pool: WorkerPool;
  let counters: FakeCounters;

  beforeAll(async () => {
    ({ pool, counters } = createTestPool(testConfig({ ENGINE_WORKERS: '1', ENGINE_QUEUE_SIZE: '2' })));
    await pool.ready;
  });
  afterAll(() => pool.close());

  it('runs a task and returns the worker value', async () => {
    const value = valueOf(await pool.run(detect()));
    expect(value.image_width).toBe(100);
    expect(value.faces).toHaveLength(1);
  });

  it('accepts workers + queue size tasks and refuses the rest at once', async () => {
    const before = counters.ran();
    const runs = Array.from({ length: 6 }, () => pool.run(detect({ delayMs: 300 })));
    expect(pool.stats()).toMatchObject({ busyWorkers: 1, queueDepth: 2, queueCapacity: 2, workers: 1 });
    // "At once": every refusal settles while the accepted tasks are still running or queued.
    let acceptedSettled = 0;
    for (const run of runs.slice(0, 3)) void run.then(() => acceptedSettled++);
    await Promise.all(runs.slice(3));
    expect(acceptedSettled).toBe(0);
    const results = await Promise.all(runs);
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.slice(3).map(reasonOf)).toEqual(['OVERLOADED', 'OVERLOADED', 'OVERLOADED']);
    expect(counters.ran() - before).toBe(3);
    expect(pool.stats().rejected).toBeGreaterThanOrEqual(3);
  });

  it('measures the time a task waited and adds it to the timings', async () => {
    const first = pool.run(detect({ delayMs: 250 }));
    const t0 = performance.now();
    const second = await pool.run(detect());
    const waited = performance.now() - t0;
    await first;
    const timings = valueOf(second).timings!;
    // Bounded by what the caller saw, not by a wall-clock guess that a loaded machine would break.
    expect(Number(timings.queue_ms)).toBeGreaterThanOrEqual(200);
    expect(Number(timings.queue_ms)).toBeLessThanOrEqual(waited);
    // The fake reports total_ms 5 for its own work.
    expect(Number(timings.total_ms)).toBeCloseTo(5 + Number(timings.queue_ms), 6);
  });

  it('drops a queued task whose caller gave up, without running it', async () => {
    const before = counters.ran();
    const running = pool.run(detect({ delayMs: 200 }));
    const controller = new AbortController();
    const queued = pool.run(detect(), { signal: controller.signal });
    expect(pool.stats().queueDepth).toBe(1);
    controller.abort();
    expect(await queued).toEqual({ ok: false, cancelled: true });
    expect(pool.stats().queueDepth).toBe(0);
    await running;
    expect(counters.ran() - before).toBe(1);
  });

  it('turns a throw inside a task into INTERNAL_ERROR and keeps the worker', async () => {
    const started = counters.started();
    expect(reasonOf(await pool.run(detect({ throw: 'handler bug' })))).toBe('INTERNAL_ERROR');
    expect(valueOf(await pool.run(detect())).faces).toHaveLength(1);
    expect(counters.started()).toBe(started);
  });

  it.each(['uncaught', 'exit'])(
    'replaces a worker that crashes (%s) and fails only its task',
    async (crash) => {
      const started = counters.started();
      const queued = pool.run(detect({ delayMs: 10 }));
      const crashed = pool.run(detect({ crash }));
      // Order: the queued task went first, so it finished before the crash.
      expect(valueOf(await queued).faces).toHaveLength(1);
      expect(reasonOf(await crashed)).toBe('INTERNAL_ERROR');
      expect(valueOf(await pool.run(detect())).faces).toHaveLength(1);
      expect(counters.started()).toBe(started + 1);
      expect(pool.stats().readyWorkers).toBe(1);
    },
  );
});

describe('worker pool with two workers', () => {
  it('fails only the crashed worker’s task while the other keeps running', async () => {
    const { pool } = createTestPool(testConfig({ ENGINE_WORKERS: '2', ENGINE_QUEUE_SIZE: '0' }));
    try {
      await pool.ready;
      const slow = pool.run(detect({ delayMs: 400 }));
      const crashed = pool.run(detect({ delayMs: 50, crash: 'uncaught' }));
      expect(reasonOf(await crashed)).toBe('INTERNAL_ERROR');
      expect(valueOf(await slow).faces).toHaveLength(1);
    } finally {
      await pool.close();
    }
  });
});

describe('worker pool close', () => {
  it('lets queued and running tasks finish, then refuses new ones', async () => {
    const { pool, counters } = createTestPool(testConfig({ ENGINE_WORKERS: '1', ENGINE_QUEUE_SIZE: '2' }));
    await pool.ready;
    const runs = [pool.run(detect({ delayMs: 150 })), pool.run(detect({ delayMs: 50 })), pool.run(detect())];
    const closed = pool.close();
    expect(reasonOf(await pool.run(detect()))).toBe('NOT_READY');
    expect(pool.isReady()).toBe(false);
    const results = await Promise.all(runs);
    expect(results.every((r) => r.ok)).toBe(true);
    await closed;
    expect(counters.ran()).toBe(3);
    expect(pool.stats()).toMatchObject({ busyWorkers: 0, queueDepth: 0, readyWorkers: 0 });
  });

  it('gives up on tasks still running after the timeout', async () => {
    const { pool } = createTestPool(testConfig({ ENGINE_WORKERS: '1', ENGINE_QUEUE_SIZE: '2' }));
    await pool.ready;
    const stuck = pool.run(detect({ delayMs: 10_000 }));
    const queued = pool.run(detect());
    await pool.close({ timeoutMs: 100 });
    // The stuck task was abandoned, not waited for: a finished one would have succeeded.
    expect(reasonOf(await stuck)).toBe('INTERNAL_ERROR');
    expect(reasonOf(await queued)).toBe('NOT_READY');
  });
});
