// Moving images to a worker instead of cloning them.
//
// Structured cloning a Uint8Array copies its whole backing ArrayBuffer, and the image bytes grpc-js hands us are
// views into the received message: cloning img1 and img2 would copy that message twice. Transferring is free but
// only safe for an ArrayBuffer that holds exactly this image and nothing else (never a slice of the message, nor
// Node's shared Buffer pool). So an image that owns its buffer is moved as is, and any other is copied once into a
// buffer of its own, which is then moved: at most one copy, and never of more than the image. The same holds for
// the face crops of a shared Analyze (a `race` task), and an Analyze's share port must be moved to be sent at all.
import type { MessagePort } from 'node:worker_threads';
import type { FaceBatch } from '../contract/share';
import type { Task } from '../contract/tasks';

function owned(view: Uint8Array, taken: Set<ArrayBufferLike>): Uint8Array<ArrayBuffer> {
  const buffer = view.buffer;
  if (
    buffer instanceof ArrayBuffer &&
    view.byteOffset === 0 &&
    view.byteLength === buffer.byteLength &&
    !taken.has(buffer)
  ) {
    taken.add(buffer);
    return new Uint8Array(buffer);
  }
  const copy = new Uint8Array(view.byteLength);
  copy.set(view);
  taken.add(copy.buffer);
  return copy;
}

function ownedFloats(batch: FaceBatch, taken: Set<ArrayBufferLike>): FaceBatch {
  const { data } = batch;
  const bytes = owned(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), taken);
  return { ...batch, data: new Float32Array(bytes.buffer) };
}

/**
 * The task with every image in a buffer of its own, and those buffers (and an Analyze's share port) to pass as
 * the transfer list.
 * The caller must not use the task's images afterwards: they may be detached once the task is posted.
 */
export function forTransfer(task: Task): { task: Task; transferList: (ArrayBuffer | MessagePort)[] } {
  const taken = new Set<ArrayBufferLike>();
  const own = (view: Uint8Array) => owned(view, taken);
  let moved: Task;
  switch (task.op) {
    case 'verify':
    case 'compare':
      moved = { ...task, img1: own(task.img1), img2: own(task.img2) };
      break;
    case 'race':
      moved = { ...task, input: ownedFloats(task.input, taken) };
      break;
    case 'analyze':
    case 'detect':
    case 'represent':
    case 'readDocument':
    case 'evidence':
      moved = { ...task, image: own(task.image) };
      break;
    case 'warmup':
      moved = task;
      break;
  }
  const transferList: (ArrayBuffer | MessagePort)[] = [];
  for (const buffer of taken) if (buffer instanceof ArrayBuffer) transferList.push(buffer);
  if (moved.op === 'analyze' && moved.share) transferList.push(moved.share);
  return { task: moved, transferList };
}
