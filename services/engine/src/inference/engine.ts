import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Task, TaskOutcome, TaskResults, WorkerInit } from '../contract/tasks';
import { createLogger, type Logger } from '../log';
import { openBackend, type BackendStatus } from './backends';
import type { EngineContext } from './context';
import { EngineFailure } from '../contract/failure';
import { runSsd, runTiny } from './detection';
import { emptyBatch } from './pixels/rgb-image';
import { analyze } from './ops/analyze';
import { compare } from './ops/compare';
import { detect, represent } from './ops/detect';
import { imageEvidence } from './ops/evidence';
import { presentation, type Presentation } from './ops/presentation';
import type { PresentationNetworks } from '../contract/liveness';
import { readDocument } from './ops/read-document';
import { inspect, verify, type Inspection } from './ops/verify';

export interface Engine {
  backend: BackendStatus;
  /** What its operations share (limits, backend, models): for benchmarks that run one step alone. */
  context: EngineContext;
  run<T extends Task>(task: T): Promise<TaskOutcome<T['op']>>;
  /** Verify's per-image steps (faces, role evidence), in-process only: evaluation and diagnostics. */
  inspect(bytes: Uint8Array): Promise<Inspection>;
  /** The presentation-attack networks on an image's main face, in-process only: evaluation. */
  presentation(bytes: Uint8Array, networks?: PresentationNetworks): Promise<Presentation>;
}

// A real photo shipped in face-api's npm package: the warm-up runs every network on a face, not on zeros.
const WARMUP_IMAGE = path.join(
  path.dirname(require.resolve('@vladmandic/face-api/package.json')),
  'demo',
  'sample1.jpg',
);

async function dispatch(ctx: EngineContext, task: Task): Promise<TaskResults[Task['op']]> {
  switch (task.op) {
    case 'verify':
      return verify(ctx, task);
    case 'compare':
      return compare(ctx, task);
    case 'analyze':
      try {
        return await analyze(ctx, task);
      } finally {
        // The share port lives as long as its task (an open port would keep its listeners).
        task.share?.close();
      }
    case 'race':
      return { race: await ctx.nets.race(task.input) };
    case 'detect':
      return detect(ctx, task);
    case 'represent':
      return represent(ctx, task);
    case 'readDocument':
      return readDocument(ctx, task);
    case 'evidence':
      return imageEvidence(ctx, task);
    case 'warmup': {
      const image = new Uint8Array(await fs.readFile(WARMUP_IMAGE));
      await analyze(ctx, { image, actions: ['AGE', 'GENDER', 'RACE', 'EMOTION'] });
      await represent(ctx, { image, allFaces: false });
      await detect(ctx, { image, skipLandmarks: false });
      return { backend: ctx.backend };
    }
  }
}

/**
 * Our fused forward passes fold their weights at first use and keep them, and onnxruntime plans its memory at its
 * first run: do it now, not inside a task.
 */
async function primeNets(ctx: EngineContext): Promise<void> {
  // Every network takes plain pixels or float batches (on onnx they run without tfjs), the detectors at the input
  // sizes every call may use: each size has its lent input buffer and grows its session's arena. Not the tiny
  // detector's small-faces size (TINY_SMALL_FACES_INPUT), which runs only when no other pass found a face: its
  // arena (~50 MB more on onnx, kept for good) is paid by the worker that first needs it, not by every worker.
  const image = { rgb: new Uint8Array(64 * 64 * 3), width: 64, height: 64 };
  await runTiny(ctx.nets, image);
  await runSsd(ctx.nets, image);
  await ctx.nets.descriptors(emptyBatch(1, 150, 150));
  await ctx.nets.antispoof(emptyBatch(1, 128, 128));
  await ctx.nets.liveness(emptyBatch(1, 32, 32));
  await ctx.nets.personMask(new Float32Array(256 * 256 * 3));
}

/** One tfjs instance and one model set: created once per worker thread. */
export async function createEngine(
  init: WorkerInit,
  logger: Logger = createLogger(init.logLevel),
): Promise<Engine> {
  const { nets, tensorCount, ...backend } = await openBackend(init.backend, {
    intraOpThreads: init.intraOpThreads,
  });
  // Why this backend (e.g. onnx's provider and threads, or why auto fell back to wasm): once per worker.
  logger.info({ backend: backend.name, note: backend.note }, `inference backend: ${backend.name}`);
  const ctx: EngineContext = {
    limits: { maxPixels: init.maxImagePixels, workMaxSide: init.workMaxSide },
    backend: backend.name,
    nets,
  };
  await primeNets(ctx);
  return {
    backend,
    context: ctx,
    inspect: (bytes) => inspect(ctx, bytes),
    presentation: (bytes, networks) => presentation(ctx, bytes, networks),
    async run<T extends Task>(task: T): Promise<TaskOutcome<T['op']>> {
      const before = tensorCount?.() ?? 0;
      try {
        // dispatch answers each op with its own result type (TaskResults[op]).
        const value = (await dispatch(ctx, task)) as TaskResults[T['op']];
        return { ok: true, value };
      } catch (error) {
        if (error instanceof EngineFailure) return { ok: false, error: error.toTaskFailure() };
        throw error;
      } finally {
        // Every path disposes what it allocates; a leak is a bug worth a loud log, not a slow death (tfjs only:
        // the onnx backend holds no tfjs tensors).
        const leaked = (tensorCount?.() ?? 0) - before;
        if (leaked !== 0) logger.error({ op: task.op, leaked }, 'tensors leaked');
      }
    },
  };
}
