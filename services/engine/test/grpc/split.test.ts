// Verify and Compare over gRPC with two workers: split into one `evidence` task per image when both workers are
// free, one whole task otherwise (the fake worker answers both; its canned whole-task Verify says threshold 0.5,
// while a split Verify is decided by ops/pair.ts at the calibrated threshold).
import { status } from '@grpc/grpc-js';
import { errorDetailOf } from '@deepface/proto';
import { THRESHOLD } from '../../src/inference/calibration';
import { command, fails, IMAGE, ok, startEngine, type TestEngine, until } from '../support/harness';

describe('pairs on two workers', () => {
  let engine: TestEngine;

  beforeAll(async () => {
    engine = await startEngine({ env: { ENGINE_WORKERS: '2', ENGINE_QUEUE_SIZE: '4' } });
  });
  afterAll(() => engine.stop());

  it('runs an idle-time Verify as one task per image and decides on the main thread', async () => {
    const ran = engine.counters.ran();
    const r = await ok(engine.rpc.Verify({ img1: IMAGE, img2: IMAGE }));
    expect(engine.counters.ran() - ran).toBe(2);
    expect(r).toMatchObject({
      verified: true,
      decision: 'PASSED',
      distance: 0.25,
      threshold: THRESHOLD,
      roles_swapped: false,
      img1_role: { role: 'DOCUMENT', mrz: true },
      img2_role: { role: 'SELFIE', faces: 1 },
      model: { backend: 'fake', detector: 'face-api TinyFaceDetector' },
    });
    // Stage times are both images' work; the wait is the longer of the two.
    expect(r.timings?.decode_ms).toBe(2);
    expect(r.timings?.queue_ms).toBeGreaterThanOrEqual(0);
    expect(r.timings?.total_ms).toBeGreaterThan(0);
  });

  it('passes the caller’s threshold to the decision', async () => {
    const r = await ok(engine.rpc.Verify({ img1: IMAGE, img2: IMAGE, threshold: 0.42 }));
    expect(r).toMatchObject({ threshold: 0.42, verified: true });
  });

  it('splits Compare too', async () => {
    const ran = engine.counters.ran();
    const r = await ok(engine.rpc.Compare({ img1: IMAGE, img2: IMAGE }));
    expect(engine.counters.ran() - ran).toBe(2);
    expect(r).toMatchObject({ distance: 0.25, threshold: THRESHOLD, same_person: true });
  });

  it('reports the earliest stage’s failure whatever image it came from', async () => {
    const late = command({
      evidence: {
        failure: { stage: 'describe', error: { reason: 'NO_FACE', message: 'no face here', image: 'IMG1' } },
      },
    });
    const early = command({
      evidence: {
        failure: { stage: 'decode', error: { reason: 'INVALID_IMAGE', message: 'corrupt', image: 'IMG2' } },
      },
    });
    const e = await fails(engine.rpc.Verify({ img1: late, img2: early }));
    expect(e.code).toBe(status.INVALID_ARGUMENT);
    expect(errorDetailOf(e)).toMatchObject({ reason: 'INVALID_IMAGE', image: 'IMG2', message: 'corrupt' });
    const c = await fails(engine.rpc.Compare({ img1: late, img2: early }));
    expect(errorDetailOf(c)).toMatchObject({ reason: 'INVALID_IMAGE', image: 'IMG2' });
  });

  it('answers a worker’s failure on one image as that failure', async () => {
    const e = await fails(engine.rpc.Verify({ img1: IMAGE, img2: command({ throw: 'boom' }) }));
    expect(e.code).toBe(status.INTERNAL);
    expect(errorDetailOf(e)).toMatchObject({ reason: 'INTERNAL_ERROR', message: 'internal error' });
  });

  it('keeps the pair whole when only one worker is free', async () => {
    // Busy long enough that the Verify surely arrives while it runs, even on a loaded machine.
    const before = engine.counters.ran();
    const busy = ok(engine.rpc.Detect({ image: command({ delayMs: 8000 }) }));
    // The pool counts the task busy when it dispatches it; the thread counts it when it starts, maybe later on a
    // loaded machine. Both must have happened, or the Detect's own count would land inside the Verify's.
    await until(() => engine.pool.stats().busyWorkers === 1 && engine.counters.ran() === before + 1);
    const ran = engine.counters.ran();
    const r = await ok(engine.rpc.Verify({ img1: IMAGE, img2: IMAGE }));
    expect(engine.counters.ran() - ran).toBe(1);
    expect(r.threshold).toBe(0.5); // the fake's whole-task answer
    await busy;
  });
});
