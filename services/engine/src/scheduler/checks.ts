// Main-thread checks of what workers send back (structured-cloned data, so typed nothing until checked).
import { z } from 'zod';
import { ImageRef, Reason } from '@deepface/proto';
import type { TaskOp } from '../contract/tasks';
import { type TaskEnvelope, WORKER_FAILED, WORKER_READY } from './protocol';

/** Piscina re-emits what a worker posts on parentPort as the pool's 'message' event. */
export const lifecycleMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal(WORKER_READY), threadId: z.number().int(), backend: z.string().min(1) }),
  z.object({ type: z.literal(WORKER_FAILED), threadId: z.number().int(), message: z.string() }),
]);

const REASONS = new Set<unknown>(Object.values(Reason));
const IMAGE_REFS = new Set<unknown>(Object.values(ImageRef));

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Checks the envelope and the outcome's discriminant. The value itself is built by our own worker against the
 * same types (checking it in full would cost more than the structured clone that carried it), so a mismatch
 * there is a bug in the worker, not untrusted input.
 */
export function isTaskEnvelope<K extends TaskOp>(raw: unknown, op: K): raw is TaskEnvelope<K> {
  if (!isObject(raw) || raw.op !== op || typeof raw.startedAt !== 'number') return false;
  const outcome = raw.outcome;
  if (!isObject(outcome)) return false;
  if (outcome.ok === true) return isObject(outcome.value);
  if (outcome.ok !== false || !isObject(outcome.error)) return false;
  const { reason, message, image } = outcome.error;
  return REASONS.has(reason) && typeof message === 'string' && (image === undefined || IMAGE_REFS.has(image));
}
