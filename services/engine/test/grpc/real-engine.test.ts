// The server with real worker threads running the real models (on support/backend.ts's backend): readiness, a real
// verification and a group photo's Analyze (each split over both workers, answering exactly as one worker does),
// typed refusals and load shedding end to end over gRPC.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { status } from '@grpc/grpc-js';
import { errorDetailOf, loadEngineProto } from '@deepface/proto';
import { facesDir, makeDocument, makeSelfie } from '@deepface/fixtures';
import { workerInit } from '../../src/config';
import { testBackend } from '../support/backend';
import { createEngineServer, type EngineServer } from '../../src/transport/grpc/server';
import { WorkerPool } from '../../src/scheduler/pool';
import {
  fails,
  healthStatus,
  newClient,
  ok,
  rpc,
  testConfig,
  testLogger,
  TS_EXEC_ARGV,
  type Rpc,
} from '../support/harness';
import { parseDay } from '../../src/contract/document';

/** A copy the pool may transfer to a worker (the fixture's Buffer shares Node's pool). */
const bytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer);
const { service } = loadEngineProto().FaceEngine;
/** A worker's answer as a client receives it (floats on the wire are 32-bit), without its timings. */
function onTheWire(method: 'Verify' | 'Compare' | 'Analyze', value: object): object {
  const { responseSerialize, responseDeserialize } = service[method];
  return withoutTimings(responseDeserialize(responseSerialize(value)));
}
function withoutTimings(response: object): object {
  const { timings: _timings, ...rest } = response as { timings?: unknown };
  return rest;
}

const REAL_WORKER = path.join(__dirname, '..', '..', 'src', 'worker.ts');

describe('engine with real models over gRPC', () => {
  let server: EngineServer;
  let pool: WorkerPool;
  let address: string;
  let call: Rpc;
  let close: () => void;
  let healthBeforeReady: string;

  beforeAll(async () => {
    // Two workers and room for one waiting task: the fourth concurrent call has nowhere to go.
    const config = testConfig({ ENGINE_WORKERS: '2', ENGINE_QUEUE_SIZE: '1', ENGINE_BACKEND: testBackend() });
    pool = new WorkerPool({
      handlerFile: REAL_WORKER,
      workers: 2,
      queueSize: 1,
      init: workerInit(config),
      logger: testLogger(),
      execArgv: TS_EXEC_ARGV,
    });
    server = createEngineServer({ config, pool, logger: testLogger() });
    address = `127.0.0.1:${await server.start()}`;
    // Models take seconds to load and warm up: the server listens, but does not claim to serve.
    healthBeforeReady = await healthStatus(address);
    await pool.ready;
    const client = newClient(address);
    call = rpc(client);
    close = () => client.close();
  });

  afterAll(async () => {
    close();
    await server.shutdown();
  });

  it('is NOT_SERVING until every worker has loaded and warmed up, then SERVING', async () => {
    expect(healthBeforeReady).toBe('NOT_SERVING');
    expect(await healthStatus(address)).toBe('SERVING');
    expect(await healthStatus(address, 'deepface.engine.v1.FaceEngine')).toBe('SERVING');
    const info = await ok(call.GetInfo());
    expect(info).toMatchObject({ ready: true, workers: 2, queue_capacity: 1 });
    // auto picks onnx here (onnxruntime-node ships its CPU runtime in the npm package).
    expect(info.model?.backend).toBe(testBackend() === 'auto' ? 'onnx' : testBackend());
    expect(info.model?.recognition_model).toMatch(/FaceRecognitionNet/);
  });

  it('verifies a document against a selfie', async () => {
    const [doc, me] = await Promise.all([
      makeDocument({
        seed: 1,
        person: 'leonard',
        photoIndex: 1,
        layout: 'id1-left-mrz',
        capture: 'scan',
        portrait: 'colour',
      }),
      makeSelfie({
        seed: 3,
        person: 'leonard',
        photoIndex: 3,
        background: 'wall',
        faceFraction: 0.45,
        rotation: 2,
      }),
    ]);
    const completed = pool.stats().completed;
    const r = await ok(call.Verify({ img1: doc.buffer, img2: me.buffer }));
    expect(pool.stats().completed - completed).toBe(2); // one task per image, side by side
    expect(r.verified).toBe(true);
    expect(r.decision).toBe('PASSED');
    expect(r.timings?.total_ms).toBeGreaterThan(0);
    expect(r.img1_area?.left_eye).not.toBeNull();
    expect(r.liveness?.decision).toBe('LIVE');

    // The same pair as one task in one worker: the same answer to the last digit (timings aside).
    // As the gRPC layer builds it: document data without personal fields, judged on today's date.
    const document = { fields: false, asOf: parseDay('')! };
    const whole = await pool.run({
      op: 'verify',
      img1: bytes(doc.buffer),
      img2: bytes(me.buffer),
      document,
      liveness: 'report',
    });
    if (!whole.ok) throw new Error('the whole-task verify failed');
    expect(onTheWire('Verify', whole.value)).toEqual(withoutTimings(r));
    const compared = await ok(call.Compare({ img1: me.buffer, img2: doc.buffer }));
    const wholeCompare = await pool.run({ op: 'compare', img1: bytes(me.buffer), img2: bytes(doc.buffer) });
    if (!wholeCompare.ok) throw new Error('the whole-task compare failed');
    expect(onTheWire('Compare', wholeCompare.value)).toEqual(withoutTimings(compared));
  });

  it('analyzes a group photo with part of its faces on the other worker, as one worker alone does', async () => {
    const group = await fs.readFile(path.join(facesDir(), 'scenes', 'bbt4.jpg'));
    const actions = ['AGE', 'GENDER', 'RACE', 'EMOTION'] as const;
    const completed = pool.stats().completed;
    const r = await ok(call.Analyze({ image: group, actions: [...actions] }));
    expect(pool.stats().completed - completed).toBe(2); // the Analyze and its shared faces' GEAR
    expect(r.faces.length).toBeGreaterThanOrEqual(5);
    // As one task in one worker (no share port): the same answer to the last digit (timings aside).
    const whole = await pool.run({ op: 'analyze', image: bytes(group), actions: [...actions] });
    if (!whole.ok) throw new Error('the whole-task analyze failed');
    expect(onTheWire('Analyze', whole.value)).toEqual(withoutTimings(r));
  });

  it('ReadDocument: a passport printed in OCR-B, its names only when asked; a malformed day refused', async () => {
    const doc = await makeDocument({
      seed: 1,
      person: 'leonard',
      photoIndex: 1,
      layout: 'passport-td3',
      capture: 'scan',
      portrait: 'colour',
      names: { surname: 'QUUXMARKER' },
      mrzFont: 'ocrb',
    });
    const plain = await ok(call.ReadDocument({ image: doc.buffer, as_of: '2026-12-06' }));
    expect(plain.document).toMatchObject({
      mrz: 'MRZ_READ',
      format: 'TD3',
      check_digits_valid: true,
      fields: null,
    });
    expect(plain.timings?.document_ms).toBeGreaterThan(0);
    const asked = await ok(call.ReadDocument({ image: doc.buffer, document_fields: true }));
    expect(asked.document?.fields?.surname).toBe('QUUXMARKER');
    const e = await fails(call.ReadDocument({ image: doc.buffer, as_of: '6 Dec 2026' }));
    expect(e.code).toBe(status.INVALID_ARGUMENT);
    expect(errorDetailOf(e)).toMatchObject({ reason: 'BAD_REQUEST' });
  });

  it('refuses two selfies with INVALID_ARGUMENT and a typed ID_REQUIRED detail', async () => {
    const [a, b] = await Promise.all([
      makeSelfie({ seed: 5, person: 'raj', photoIndex: 1, background: 'gradient', faceFraction: 0.4 }),
      makeSelfie({ seed: 6, person: 'raj', photoIndex: 2, background: 'wall', faceFraction: 0.5 }),
    ]);
    const e = await fails(call.Verify({ img1: a.buffer, img2: b.buffer }));
    expect(e.code).toBe(status.INVALID_ARGUMENT);
    expect(errorDetailOf(e)).toMatchObject({ reason: 'ID_REQUIRED', retryable: false });
    const whole = await pool.run({ op: 'verify', img1: bytes(a.buffer), img2: bytes(b.buffer) });
    expect(whole).toMatchObject({ ok: false, error: { reason: 'ID_REQUIRED' } });
  });

  it('sheds load at once with RESOURCE_EXHAUSTED when the queue is full', async () => {
    const me = await makeSelfie({
      seed: 7,
      person: 'amy',
      photoIndex: 2,
      background: 'busy',
      faceFraction: 0.4,
    });
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        call.Analyze({ image: me.buffer, actions: ['AGE', 'GENDER', 'RACE', 'EMOTION'] }),
      ),
    );
    const shed = results.filter((r) => !r.ok);
    // Two running, one queued: the other three are refused without waiting.
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(shed).toHaveLength(3);
    for (const r of shed) {
      if (r.ok) continue;
      expect(r.error.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(errorDetailOf(r.error)).toMatchObject({ reason: 'OVERLOADED', retryable: true });
    }
  });
});
