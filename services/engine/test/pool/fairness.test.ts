import type { WorkerPool } from '../../src/scheduler/pool';
import type { RunResult } from '../../src/scheduler/types';
import { command, createTestPool, testConfig } from '../support/harness';

// Scheduling between tenants (the gateway's opaque per-account keys) with the fake worker: a task's answer order
// is its start order on one worker, so completion order shows who was served when.

function detect(delayMs: number) {
  return { op: 'detect' as const, image: command({ delayMs }), skipLandmarks: false };
}

function outcome(result: RunResult): string {
  if (result.ok) return 'ok';
  if ('cancelled' in result) return 'cancelled';
  return result.error.reason;
}

/** Runs a task for `tenant` and records its label in `order` when it completes. */
function runAs(pool: WorkerPool, order: string[], tenant: string, label: string, delayMs: number) {
  return pool.run(detect(delayMs), { tenant }).then((result) => {
    order.push(label);
    return outcome(result);
  });
}

describe('worker pool fairness between tenants', () => {
  it('serves waiting tasks round-robin: a backlog of one tenant delays another by at most one task', async () => {
    const { pool } = createTestPool(testConfig({ ENGINE_WORKERS: '1', ENGINE_QUEUE_SIZE: '10' }));
    try {
      await pool.ready;
      const order: string[] = [];
      const runs = ['a1', 'a2', 'a3', 'a4', 'a5'].map((label) => runAs(pool, order, 'A', label, 80));
      runs.push(runAs(pool, order, 'B', 'b1', 10), runAs(pool, order, 'B', 'b2', 10));
      expect(await Promise.all(runs)).toEqual(Array(7).fill('ok'));
      // FIFO would run a1..a5 first: B's first task waits for one of A's (the one running), not for all of them.
      expect(order).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'a4', 'a5']);
    } finally {
      await pool.close();
    }
  });

  it('gives a free worker to the tenant running the fewest tasks', async () => {
    const { pool } = createTestPool(testConfig({ ENGINE_WORKERS: '2', ENGINE_QUEUE_SIZE: '8' }));
    try {
      await pool.ready;
      const order: string[] = [];
      const runs = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map((label) => runAs(pool, order, 'A', label, 300));
      runs.push(runAs(pool, order, 'B', 'b1', 20));
      expect(await Promise.all(runs)).toEqual(Array(7).fill('ok'));
      // A held both workers; the first one to free up goes to B, whose task ends long before A's next ones.
      expect(order.indexOf('b1')).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('when the queue is full, a newcomer takes the place of the newest task of the tenant holding the most', async () => {
    const { pool, counters } = createTestPool(testConfig({ ENGINE_WORKERS: '1', ENGINE_QUEUE_SIZE: '3' }));
    try {
      await pool.ready;
      const before = counters.ran();
      const order: string[] = [];
      const flood = ['a1', 'a2', 'a3', 'a4'].map((label) => runAs(pool, order, 'A', label, 150));
      // A fills the worker and the queue; one more of A's own is refused, as before.
      expect(await runAs(pool, order, 'A', 'a5', 150)).toBe('OVERLOADED');
      const other = runAs(pool, order, 'B', 'b1', 10);
      expect(await Promise.all([...flood, other])).toEqual(['ok', 'ok', 'ok', 'OVERLOADED', 'ok']);
      expect(order.slice(0, 2)).toEqual(['a5', 'a4']); // both refused at once
      expect(order.indexOf('b1')).toBe(3); // after a1, the task that was running
      expect(counters.ran() - before).toBe(4);
      expect(pool.stats().rejected).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('does not evict for a tenant that already holds as many waiting tasks as the largest', async () => {
    const { pool } = createTestPool(testConfig({ ENGINE_WORKERS: '1', ENGINE_QUEUE_SIZE: '2' }));
    try {
      await pool.ready;
      const order: string[] = [];
      const runs = [
        runAs(pool, order, 'A', 'a1', 100),
        runAs(pool, order, 'A', 'a2', 10),
        runAs(pool, order, 'B', 'b1', 10),
      ];
      // Queue: a2, b1. B's second would leave A with 0 and B with 2: no better, so it is refused.
      expect(await runAs(pool, order, 'B', 'b2', 10)).toBe('OVERLOADED');
      expect(await Promise.all(runs)).toEqual(['ok', 'ok', 'ok']);
    } finally {
      await pool.close();
    }
  });

  it('drops a cancelled waiting task of one tenant without disturbing the others', async () => {
    const { pool } = createTestPool(testConfig({ ENGINE_WORKERS: '1', ENGINE_QUEUE_SIZE: '4' }));
    try {
      await pool.ready;
      const order: string[] = [];
      const running = runAs(pool, order, 'A', 'a1', 150);
      const controller = new AbortController();
      const cancelled = pool.run(detect(10), { tenant: 'B', signal: controller.signal });
      const others = [runAs(pool, order, 'B', 'b2', 10), runAs(pool, order, 'A', 'a2', 10)];
      controller.abort();
      expect(outcome(await cancelled)).toBe('cancelled');
      expect(pool.stats().queueDepth).toBe(2);
      expect(await Promise.all([running, ...others])).toEqual(['ok', 'ok', 'ok']);
      expect(order).toEqual(['a1', 'b2', 'a2']);
    } finally {
      await pool.close();
    }
  });
});
