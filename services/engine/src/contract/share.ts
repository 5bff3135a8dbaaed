// Part of one Analyze's per-face work run by an idle worker: the messages on the port the scheduler gives an
// Analyze task when another worker is free (scheduler/analyze-split.ts). The worker that found the faces offers
// the inputs it built; the scheduler answers with the other worker's outputs, or declines and the offering worker
// runs them itself. Either way the same networks read the same inputs, so the answer is the same.
import type { MessagePort } from 'node:worker_threads';

/** NHWC float32 face crops, [n, height, width, 3]: the inference layer's PixelBatch, as it crosses threads. */
export interface FaceBatch {
  data: Float32Array;
  shape: [n: number, height: number, width: number, channels: 3];
}

/** Worker → scheduler: GEAR's input for the faces another worker may run. */
export interface ShareOffer {
  race: FaceBatch;
}

/** Scheduler → worker: GEAR's 5 probabilities per offered face, or declined (no idle worker, or it failed). */
export type ShareAnswer = { race: number[][] } | { declined: true };

/** The scheduler's end stays on the main thread; this one travels with the Analyze task. */
export type SharePort = MessagePort;
