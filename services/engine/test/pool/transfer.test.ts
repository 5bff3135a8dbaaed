import { MessageChannel } from 'node:worker_threads';
import { forTransfer } from '../../src/scheduler/transfer';
import type { Task } from '../../src/contract/tasks';
import { command, createTestPool, testConfig } from '../support/harness';

function owned(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

function imagesOf(task: Task): Uint8Array[] {
  if (task.op === 'verify' || task.op === 'compare') return [task.img1, task.img2];
  if (task.op === 'warmup' || task.op === 'race') return [];
  return [task.image];
}

describe('forTransfer', () => {
  it('copies images that are views into a larger message, once each and exactly sized', () => {
    // What grpc-js hands over: both images are slices of the one received message.
    const message = Buffer.alloc(100, 7);
    const task: Task = { op: 'compare', img1: message.subarray(5, 50), img2: message.subarray(50, 100) };
    const { task: moved, transferList } = forTransfer(task);
    const [img1, img2] = imagesOf(moved);
    expect(transferList.map((b) => (b instanceof ArrayBuffer ? b.byteLength : NaN))).toEqual([45, 50]);
    expect(img1!.buffer).toBe(transferList[0]);
    expect(img2!.buffer).toBe(transferList[1]);
    expect(Buffer.from(img1!).equals(message.subarray(5, 50))).toBe(true);
    expect(message.byteLength).toBe(100);
  });

  it('moves an image that owns its buffer without copying it', () => {
    const image = owned(Buffer.from('abc'));
    const { task, transferList } = forTransfer({ op: 'detect', image, skipLandmarks: false });
    expect(transferList).toEqual([image.buffer]);
    expect(imagesOf(task)[0]!.buffer).toBe(image.buffer);
  });

  it('never lists one buffer twice when both images share it', () => {
    const image = owned(Buffer.from('abc'));
    const { transferList } = forTransfer({ op: 'verify', img1: image, img2: image });
    expect(transferList).toHaveLength(2);
    expect(transferList[0]).not.toBe(transferList[1]);
  });

  it('moves a shared Analyze’s face crops, copying a view into a larger buffer once', () => {
    const floats = new Float32Array(8).fill(0.5);
    const whole = forTransfer({ op: 'race', input: { data: floats, shape: [1, 1, 2, 3] } });
    expect(whole.transferList).toEqual([floats.buffer]);
    const part = forTransfer({ op: 'race', input: { data: floats.subarray(2), shape: [1, 1, 2, 3] } });
    expect(part.task).toMatchObject({ input: { data: new Float32Array(6).fill(0.5), shape: [1, 1, 2, 3] } });
    expect(part.transferList).toHaveLength(1);
    expect(part.transferList[0]).not.toBe(floats.buffer);
  });

  it('moves an Analyze’s share port with its image (a port cannot be cloned)', () => {
    const { port1, port2 } = new MessageChannel();
    const image = owned(Buffer.from('abc'));
    const { transferList } = forTransfer({ op: 'analyze', image, actions: ['AGE'], share: port2 });
    expect(transferList).toEqual([image.buffer, port2]);
    port1.close();
  });
});

describe('pool transfer', () => {
  it('detaches a moved image in the main thread, and leaves a message slice intact', async () => {
    const { pool } = createTestPool(testConfig());
    try {
      await pool.ready;
      const image = owned(command({}));
      const message = Buffer.concat([Buffer.alloc(5), command({})]);
      const result = pool.run({ op: 'compare', img1: image, img2: message.subarray(5) });
      expect(image.byteLength).toBe(0); // transferred: the worker owns it now
      expect(message.byteLength).toBe(5 + command({}).byteLength);
      expect((await result).ok).toBe(true);
    } finally {
      await pool.close();
    }
  });
});
