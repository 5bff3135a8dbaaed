// Analyze on two workers at once. One worker decodes the image and finds the faces; when another worker is idle,
// it offers part of the faces' per-face work (GEAR's crops, contract/share.ts) over a port this module holds, and
// this module runs them on the idle worker as a `race` task while the first runs the rest. As with a split pair
// (split.ts), an Analyze gets the port only when two workers are free and nothing waits, and an offer is taken
// only if a worker is still idle when it comes (else the first worker runs those faces itself): under load every
// Analyze stays whole on one worker, so sharing never costs throughput. This module only schedules.
import { MessageChannel } from 'node:worker_threads';
import type { ShareAnswer, ShareOffer } from '../contract/share';
import type { Task } from '../contract/tasks';
import { idleWorkers } from './split';
import type { EnginePool, RunOptions, RunResult } from './types';

type AnalyzeTask = Extract<Task, { op: 'analyze' }>;

const DECLINED: ShareAnswer = { declined: true };

/** What a worker offered: our own worker's message, checked only for its shape (as checks.ts does results). */
function isOffer(message: unknown): message is ShareOffer {
  if (typeof message !== 'object' || message === null || !('race' in message)) return false;
  const race: unknown = message.race;
  return (
    typeof race === 'object' &&
    race !== null &&
    'data' in race &&
    race.data instanceof Float32Array &&
    'shape' in race &&
    Array.isArray(race.shape)
  );
}

/** Runs an offer on an idle worker now, or declines it; never waits in the queue. */
async function answer(pool: EnginePool, offer: unknown, tenant: string | undefined): Promise<ShareAnswer> {
  if (!isOffer(offer) || idleWorkers(pool.stats()) < 1) return DECLINED;
  // Free and nothing waits: run() hands the task to that worker at once, never behind another call.
  const ran = await pool.run({ op: 'race', input: offer.race }, tenant === undefined ? {} : { tenant });
  return ran.ok ? { race: ran.value.race } : DECLINED;
}

/** An Analyze: with a share port when two workers are free, else as one task in one worker. */
export async function runAnalyze(
  pool: EnginePool,
  task: AnalyzeTask,
  options: RunOptions,
): Promise<RunResult<'analyze'>> {
  if (idleWorkers(pool.stats()) < 2) return pool.run(task, options);
  const { port1: ours, port2: theirs } = new MessageChannel();
  ours.on('message', (offer: unknown) => {
    void answer(pool, offer, options.tenant).then(
      (reply) => ours.postMessage(reply),
      () => ours.postMessage(DECLINED),
    );
  });
  try {
    return await pool.run({ ...task, share: theirs }, options);
  } finally {
    ours.close();
  }
}
