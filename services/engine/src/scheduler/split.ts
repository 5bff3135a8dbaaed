// Verify and Compare on two workers at once. A pair's two images are independent until the final decision, so
// when two workers are idle each examines one image (an `evidence` task) and the inference layer's decidePair
// (inference/ops/pair.ts) decides here, on the main thread, exactly as a worker would after examining both: the
// call takes about one image's time instead of two. Under load the whole pair stays one task in one worker, so
// splitting never costs throughput. This module only schedules: it makes no decision of its own.
import { performance } from 'node:perf_hooks';
import type { ImageEvidence } from '../contract/evidence';
import type { PairTask } from '../contract/tasks';
import { decidePair, evidenceNeeds, withTotal } from '../inference/ops/pair';
import type { EnginePool, PoolStats, RunOptions, RunResult } from './types';

/**
 * Workers that could start a task now: free ones, none while tasks wait (splitting would make them wait longer).
 * The rule for every split (pairs here, an Analyze's faces in analyze-split.ts).
 */
export function idleWorkers(stats: PoolStats): number {
  return stats.queueDepth === 0 ? Math.max(0, stats.readyWorkers - stats.busyWorkers) : 0;
}

/** Both images can start at once. */
function canSplit(stats: PoolStats): boolean {
  return idleWorkers(stats) >= 2;
}

/** Runs the pair as two evidence tasks and decides; pool failures (cancelled, crashed, closing) pass through. */
async function runSplit<T extends PairTask>(
  pool: EnginePool,
  task: T,
  options: RunOptions,
): Promise<RunResult<T['op']>> {
  const started = performance.now();
  const needs = evidenceNeeds(task);
  const halves = await Promise.all([
    pool.run({ op: 'evidence', image: task.img1, ref: 'IMG1', ...needs }, options),
    pool.run({ op: 'evidence', image: task.img2, ref: 'IMG2', ...needs }, options),
  ]);
  const evidence: ImageEvidence[] = [];
  for (const half of halves) {
    if (!half.ok) return half;
    evidence.push(half.value);
  }
  const [e1, e2] = evidence as [ImageEvidence, ImageEvidence];
  const decided = decidePair(task, e1, e2);
  if (!decided.ok) return decided;
  // The images waited side by side: the call waited as long as the longer wait, and took its wall time.
  const value = withTotal(decided.value, performance.now() - started);
  value.timings = {
    ...value.timings,
    queue_ms: Math.max(Number(e1.timings.queue_ms ?? 0), Number(e2.timings.queue_ms ?? 0)),
  };
  return { ok: true, value };
}

/** A Verify or Compare: on two workers when both are free (runSplit), else as one task in one worker. */
export function runPair<T extends PairTask>(
  pool: EnginePool,
  task: T,
  options: RunOptions,
): Promise<RunResult<T['op']>> {
  return canSplit(pool.stats()) ? runSplit(pool, task, options) : pool.run(task, options);
}
