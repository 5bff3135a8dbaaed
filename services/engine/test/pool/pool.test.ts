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
    const progress: { ready: number; at: number }[] = [];
    const t0 = performance.now();
    const { pool } = createTestPool(
      testConfig({ ENGINE_WORKERS: '2' }),
      { initMs: [50, 900] },
      { onWorkerReady: ({ ready }) => progress.push({ ready, at: performance.now() - t0 }) },
    );
    try {
      expect(pool.isReady()).toBe(false);
      const info = await pool.ready;
      const readyAt = performance.now() - t0;
      expect(info).toEqual({ backend: 'fake', workers: 2 });
      expect(pool.isReady()).toBe(true);
      // The fast worker reported long before the pool called itself ready; the slow one gated it.
      expect(progress.map((p) => p.ready)).toEqual([1, 2]);
      expect(progress[0]!.at).toBeLessThan(700);
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
    const t0 = performance.now();
    const runs = Array.from({ length: 6 }, () => pool.run(detect({ delayMs: 300 })));
    expect(pool.stats()).toMatchObject({ busyWorkers: 1, queueDepth: 2, queueCapacity: 2, workers: 1 });
    const refusedAt = await Promise.race(runs.slice(3)).then(() => performance.now() - t0);
    expect(refusedAt).toBeLessThan(100);
    const results = await Promise.all(runs);
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.slice(3).map(reasonOf)).toEqual(['OVERLOADED', 'OVERLOADED', 'OVERLOADED']);
    expect(counters.ran() - before).toBe(3);
    expect(pool.stats().rejected).toBeGreaterThanOrEqual(3);
  });

  it('measures the time a task waited and adds it to the timings', async () => {
    const first = pool.run(detect({ delayMs: 250 }));
    const second = await pool.run(detect());
    await first;
    const timings = valueOf(second).timings!;
    expect(Number(timings.queue_ms)).toBeGreaterThanOrEqual(200);
    expect(Number(timings.queue_ms)).toBeLessThan(1000);
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
    const t0 = performance.now();
    await pool.close({ timeoutMs: 100 });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(reasonOf(await queued)).toBe('NOT_READY');
    expect(reasonOf(await stuck)).toBe('INTERNAL_ERROR');
  });
});
