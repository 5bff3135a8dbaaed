import { performance } from 'node:perf_hooks';
import { status } from '@grpc/grpc-js';
import * as calibration from '../../src/inference/calibration';
import { errorDetailOf, type Reason__Output, SERVICE_NAME } from '@deepface/proto';
import {
  command,
  deadline,
  fails,
  healthStatus,
  IMAGE,
  newClient,
  ok,
  reflect,
  rpc,
  startEngine,
  type TestEngine,
  until,
  watchHealth,
} from '../support/harness';

describe('engine server while loading', () => {
  let engine: TestEngine;

  beforeAll(async () => {
    // Long enough that the checks below run while loading even on a busy machine (600 ms was not).
    engine = await startEngine({ fake: { initMs: [3000] }, waitReady: false });
  });
  afterAll(() => engine.stop());

  it('reports NOT_SERVING and refuses calls with NOT_READY until the workers are ready, then SERVING', async () => {
    expect(await healthStatus(engine.address)).toBe('NOT_SERVING');
    expect(await healthStatus(engine.address, SERVICE_NAME)).toBe('NOT_SERVING');

    const error = await fails(engine.rpc.Detect({ image: IMAGE }));
    expect(error.code).toBe(status.UNAVAILABLE);
    expect(errorDetailOf(error)).toMatchObject({ reason: 'NOT_READY', retryable: true });
    const loading = await ok(engine.rpc.GetInfo());
    expect(loading).toMatchObject({ ready: false, model: { backend: '' } });

    await engine.pool.ready;
    expect(await healthStatus(engine.address)).toBe('SERVING');
    expect(await healthStatus(engine.address, SERVICE_NAME)).toBe('SERVING');
    const info = await ok(engine.rpc.GetInfo());
    expect(info).toMatchObject({ ready: true, model: { backend: 'fake' } });
    expect((await ok(engine.rpc.Detect({ image: IMAGE }))).faces).toHaveLength(1);
  });
});

describe('engine server', () => {
  let engine: TestEngine;

  beforeAll(async () => {
    engine = await startEngine({
      env: {
        ENGINE_WORKERS: '1',
        ENGINE_QUEUE_SIZE: '2',
        ENGINE_MAX_IMAGE_BYTES: '2048',
        ENGINE_REFLECTION: 'true',
      },
    });
  });
  afterAll(() => engine.stop());

  it('serves reflection, when ENGINE_REFLECTION=true, for the engine and health services', async () => {
    const listed = await reflect(engine.address, { list_services: '' });
    const names = listed.list_services_response?.service.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining([SERVICE_NAME, 'grpc.health.v1.Health']));
    // What `grpcurl describe` asks next: the file defining the service.
    const described = await reflect(engine.address, { file_containing_symbol: SERVICE_NAME });
    const files = described.file_descriptor_response?.file_descriptor_proto ?? [];
    const text = files.map((f) => f.toString('latin1')).join('');
    expect(text).toContain('deepface.engine.v1');
    for (const method of ['Verify', 'Compare', 'Analyze', 'Detect', 'Represent', 'GetInfo']) {
      expect(text).toContain(method);
    }
    // And Health, so `grpcurl ... grpc.health.v1.Health/Check` works through reflection.
    const health = await reflect(engine.address, { file_containing_symbol: 'grpc.health.v1.Health' });
    expect(health.file_descriptor_response?.file_descriptor_proto.length).toBeGreaterThan(0);
  });

  it('answers GetInfo with limits, thresholds and load', async () => {
    const info = await ok(engine.rpc.GetInfo());
    expect(info).toMatchObject({
      workers: 1,
      queue_capacity: 2,
      queue_depth: 0,
      threshold: calibration.THRESHOLD,
      min_threshold: calibration.MIN_THRESHOLD,
      max_threshold: calibration.MAX_THRESHOLD,
      max_image_bytes: 2048,
      max_image_pixels: 40_000_000,
      ready: true,
    });
    expect(info.model?.engine_version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('answers each RPC with the worker result, queue time included', async () => {
    const verify = await ok(engine.rpc.Verify({ img1: IMAGE, img2: IMAGE }));
    expect(verify).toMatchObject({ verified: true, decision: 'PASSED', threshold: 0.5 });
    expect(verify.timings?.queue_ms).toBeGreaterThanOrEqual(0);
    expect(verify.timings?.total_ms).toBeCloseTo(5 + verify.timings!.queue_ms, 6);
    expect((await ok(engine.rpc.Compare({ img1: IMAGE, img2: IMAGE }))).label).toBe('HIGH');
    const analyze = await ok(engine.rpc.Analyze({ image: IMAGE, actions: ['AGE', 'AGE'] }));
    expect(analyze.faces[0]).toMatchObject({ age: { age: 31 }, emotion: null });
    const detect = await ok(engine.rpc.Detect({ image: IMAGE, skip_landmarks: true }));
    expect(detect.faces[0]?.landmarks).toEqual([]);
    const represent = await ok(engine.rpc.Represent({ image: IMAGE }));
    expect(represent.faces[0]?.embedding).toHaveLength(3);
  });

  it('passes a threshold within bounds to the worker, exactly as the caller sent it (a double)', async () => {
    const verify = await ok(engine.rpc.Verify({ img1: IMAGE, img2: IMAGE, threshold: 0.45 }));
    expect(verify.threshold).toBe(0.45);
    // More digits than a 32-bit float holds (it made 0.58 0.5799999833106995) arrive unchanged.
    for (const threshold of [0.58, 0.5812345678901])
      expect((await ok(engine.rpc.Verify({ img1: IMAGE, img2: IMAGE, threshold }))).threshold).toBe(
        threshold,
      );
    const { MIN_THRESHOLD, MAX_THRESHOLD } = calibration;
    const atMin = await ok(engine.rpc.Verify({ img1: IMAGE, img2: IMAGE, threshold: MIN_THRESHOLD }));
    expect(atMin.threshold).toBe(MIN_THRESHOLD);
    const atMax = await ok(engine.rpc.Verify({ img1: IMAGE, img2: IMAGE, threshold: MAX_THRESHOLD }));
    expect(atMax.threshold).toBe(MAX_THRESHOLD);
  });

  describe('request validation', () => {
    const big = Buffer.alloc(2049, 1);
    const cases: [string, (engine: TestEngine) => ReturnType<typeof fails>, Reason__Output, string][] = [
      [
        'empty img1',
        (e) => fails(e.rpc.Verify({ img1: Buffer.alloc(0), img2: IMAGE })),
        'BAD_REQUEST',
        'IMG1',
      ],
      ['empty img2', (e) => fails(e.rpc.Compare({ img1: IMAGE })), 'BAD_REQUEST', 'IMG2'],
      ['img2 too large', (e) => fails(e.rpc.Verify({ img1: IMAGE, img2: big })), 'IMAGE_TOO_LARGE', 'IMG2'],
      ['image too large', (e) => fails(e.rpc.Detect({ image: big })), 'IMAGE_TOO_LARGE', 'IMG1'],
      ['empty image', (e) => fails(e.rpc.Represent({})), 'BAD_REQUEST', 'IMG1'],
      [
        'no actions',
        (e) => fails(e.rpc.Analyze({ image: IMAGE, actions: [] })),
        'BAD_REQUEST',
        'IMAGE_REF_UNSPECIFIED',
      ],
      [
        'unspecified action',
        (e) => fails(e.rpc.Analyze({ image: IMAGE, actions: ['AGE', 'ACTION_UNSPECIFIED'] })),
        'BAD_REQUEST',
        'IMAGE_REF_UNSPECIFIED',
      ],
      [
        'threshold too high',
        (e) => fails(e.rpc.Verify({ img1: IMAGE, img2: IMAGE, threshold: calibration.MAX_THRESHOLD + 0.01 })),
        'BAD_REQUEST',
        'IMAGE_REF_UNSPECIFIED',
      ],
      [
        'threshold a hair above the maximum',
        (e) => fails(e.rpc.Verify({ img1: IMAGE, img2: IMAGE, threshold: calibration.MAX_THRESHOLD + 1e-9 })),
        'BAD_REQUEST',
        'IMAGE_REF_UNSPECIFIED',
      ],
      [
        'threshold too low',
        (e) => fails(e.rpc.Verify({ img1: IMAGE, img2: IMAGE, threshold: calibration.MIN_THRESHOLD - 0.01 })),
        'BAD_REQUEST',
        'IMAGE_REF_UNSPECIFIED',
      ],
      [
        'as_of not a date',
        (e) => fails(e.rpc.Verify({ img1: IMAGE, img2: IMAGE, as_of: '2026-02-30' })),
        'BAD_REQUEST',
        'IMAGE_REF_UNSPECIFIED',
      ],
    ];

    it.each(cases)(
      '%s → INVALID_ARGUMENT %s without reaching a worker',
      async (_name, call, reason, image) => {
        const ran = engine.counters.ran();
        const error = await call(engine);
        expect(error.code).toBe(status.INVALID_ARGUMENT);
        expect(errorDetailOf(error)).toMatchObject({ reason, image, retryable: false });
        expect(error.details).toMatch(new RegExp(`^${reason}: `));
        expect(engine.counters.ran()).toBe(ran);
      },
    );
  });

  describe('reason → status', () => {
    const table: [Reason__Output, status, boolean][] = [
      ['ID_REQUIRED', status.INVALID_ARGUMENT, false],
      ['SELFIE_REQUIRED', status.INVALID_ARGUMENT, false],
      ['NO_FACE', status.INVALID_ARGUMENT, false],
      ['MULTIPLE_FACES', status.INVALID_ARGUMENT, false],
      ['INVALID_IMAGE', status.INVALID_ARGUMENT, false],
      ['IMAGE_TOO_LARGE', status.INVALID_ARGUMENT, false],
      ['UNSUPPORTED_FORMAT', status.INVALID_ARGUMENT, false],
      ['FACE_TOO_SMALL', status.INVALID_ARGUMENT, false],
      ['BAD_REQUEST', status.INVALID_ARGUMENT, false],
      ['OVERLOADED', status.RESOURCE_EXHAUSTED, true],
      ['NOT_READY', status.UNAVAILABLE, true],
      ['INTERNAL_ERROR', status.INTERNAL, false],
    ];

    it.each(table)('%s → status %i', async (reason, code, retryable) => {
      const img2 = command({ fail: reason, image: 'IMG2', message: 'the second image says so' });
      const error = await fails(engine.rpc.Verify({ img1: img2, img2: IMAGE }));
      expect(error.code).toBe(code);
      const detail = errorDetailOf(error);
      expect(detail).toMatchObject({
        reason,
        image: 'IMG2',
        retryable,
        retry_after_ms: retryable ? 1000 : 0,
      });
      const message = reason === 'INTERNAL_ERROR' ? 'internal error' : 'the second image says so';
      expect(detail?.message).toBe(message);
      expect(error.details).toBe(`${reason}: ${message}`);
    });

    it('LOW_QUALITY carries the issues in the detail, by their stable names', async () => {
      const img2 = command({ fail: 'LOW_QUALITY', image: 'IMG2', qualityIssues: ['blurry', 'pose'] });
      const error = await fails(engine.rpc.Verify({ img1: img2, img2: IMAGE }));
      expect(errorDetailOf(error)).toMatchObject({
        reason: 'LOW_QUALITY',
        quality_issues: ['blurry', 'pose'],
      });
      const other = await fails(engine.rpc.Verify({ img1: command({ fail: 'NO_FACE' }), img2: IMAGE }));
      expect(errorDetailOf(other)?.quality_issues).toEqual([]);
    });

    it('hides an internal failure’s cause and answers a missing reason as INTERNAL_ERROR', async () => {
      const secret = command({ fail: 'INTERNAL_ERROR', message: 'Error: boom\n    at secret.js:1:1' });
      const internal = await fails(engine.rpc.Detect({ image: secret }));
      expect(internal.details).toBe('INTERNAL_ERROR: internal error');
      const unspecified = await fails(engine.rpc.Detect({ image: command({ fail: 'REASON_UNSPECIFIED' }) }));
      expect(unspecified.code).toBe(status.INTERNAL);
      expect(errorDetailOf(unspecified)?.reason).toBe('INTERNAL_ERROR');
    });
  });

  it('refuses calls beyond workers + queue at once with RESOURCE_EXHAUSTED / OVERLOADED', async () => {
    // "At once": each refusal is answered before any accepted call has finished.
    let acceptedDone = 0;
    const calls = Array.from({ length: 6 }, () =>
      engine.rpc.Detect({ image: command({ delayMs: 600 }) }).then((r) => {
        if (r.ok) acceptedDone++;
        return { ...r, acceptedDoneBefore: acceptedDone };
      }),
    );
    const results = await Promise.all(calls);
    const accepted = results.filter((r) => r.ok);
    const refused = results.flatMap((r) => (r.ok ? [] : [r]));
    expect(accepted).toHaveLength(3);
    expect(refused).toHaveLength(3);
    for (const r of refused) {
      expect(r.acceptedDoneBefore).toBe(0);
      expect(r.error.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(errorDetailOf(r.error)).toMatchObject({
        reason: 'OVERLOADED',
        retryable: true,
        retry_after_ms: 1000,
      });
    }
  });

  it('answers INTERNAL for a worker crash, and the next call succeeds on its replacement', async () => {
    const error = await fails(engine.rpc.Detect({ image: command({ crash: 'uncaught' }) }));
    expect(error.code).toBe(status.INTERNAL);
    expect(errorDetailOf(error)).toMatchObject({ reason: 'INTERNAL_ERROR', message: 'internal error' });
    expect((await ok(engine.rpc.Detect({ image: IMAGE }))).faces).toHaveLength(1);
  });

  it('does not run a call whose deadline passed while it was queued', async () => {
    const ran = engine.counters.ran();
    const slow = ok(engine.rpc.Detect({ image: command({ delayMs: 500 }) }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const late = await fails(engine.rpc.Detect({ image: IMAGE }, deadline(150)));
    expect(late.code).toBe(status.DEADLINE_EXCEEDED);
    // The server sees the deadline pass at about the time the client does: the queued task is dropped.
    await until(() => engine.pool.stats().queueDepth === 0);
    await slow;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(engine.counters.ran() - ran).toBe(1);
  });
});

describe('engine server shutdown', () => {
  it('lets an in-flight call finish, reports NOT_SERVING and refuses new calls', async () => {
    const engine = await startEngine({ env: { ENGINE_SHUTDOWN_GRACE_MS: '5000' } });
    const watch = watchHealth(engine.address);
    await until(() => watch.statuses.includes('SERVING'));

    const inFlight = ok(engine.rpc.Detect({ image: command({ delayMs: 500 }) }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const t0 = performance.now();
    const stopped = engine.server.shutdown();
    // Health flips first; the watch is itself an open call, so it must end for the drain to complete.
    await until(() => watch.statuses.at(-1) === 'NOT_SERVING');
    watch.cancel();

    const late = newClient(engine.address);
    const refused = await fails(rpc(late).Detect({ image: IMAGE }, deadline(2000)));
    late.close();
    expect(refused.code).toBe(status.UNAVAILABLE);

    expect((await inFlight).faces).toHaveLength(1);
    await stopped;
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(engine.pool.isReady()).toBe(false);
    engine.client.close();
  });

  it('cancels what is left after the grace period', async () => {
    const engine = await startEngine({ env: { ENGINE_SHUTDOWN_GRACE_MS: '200' } });
    const stuck = engine.rpc.Detect({ image: command({ delayMs: 3000 }) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await engine.server.shutdown();
    // Cancelled, not waited for: the call would have succeeded after its 3 s.
    const result = await stuck;
    expect(result.ok).toBe(false);
    engine.client.close();
  });
});
