// The server with real worker threads running the real models (on support/backend.ts's backend): readiness, a real
// verification, typed refusals and load shedding end to end over gRPC.
import * as path from 'node:path';
import { status } from '@grpc/grpc-js';
import { errorDetailOf } from '@deepface/proto';
import { makeDocument, makeSelfie } from '@deepface/fixtures';
import { workerInit } from '../../src/config';
import { testBackend } from '../support/backend';
import { createEngineServer, type EngineServer } from '../../src/grpc/server';
import { WorkerPool } from '../../src/pool/pool';
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

const REAL_WORKER = path.join(__dirname, '..', '..', 'src', 'worker', 'worker.ts');

describe('engine with real models over gRPC', () => {
  let server: EngineServer;
  let pool: WorkerPool;
  let address: string;
  let call: Rpc;
  let close: () => void;
  let healthBeforeReady: string;

  beforeAll(async () => {
    // One worker and room for one waiting task: the third concurrent call has nowhere to go.
    const config = testConfig({ ENGINE_WORKERS: '1', ENGINE_QUEUE_SIZE: '1', ENGINE_BACKEND: testBackend() });
    pool = new WorkerPool({
      handlerFile: REAL_WORKER,
      workers: 1,
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
    expect(info).toMatchObject({ ready: true, workers: 1, queue_capacity: 1 });
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
    const r = await ok(call.Verify({ img1: doc.buffer, img2: me.buffer }));
    expect(r.verified).toBe(true);
    expect(r.decision).toBe('PASSED');
    expect(r.timings?.total_ms).toBeGreaterThan(0);
    expect(r.img1_area?.left_eye).not.toBeNull();
  });

  it('refuses two selfies with INVALID_ARGUMENT and a typed ID_REQUIRED detail', async () => {
    const [a, b] = await Promise.all([
      makeSelfie({ seed: 5, person: 'raj', photoIndex: 1, background: 'gradient', faceFraction: 0.4 }),
      makeSelfie({ seed: 6, person: 'raj', photoIndex: 2, background: 'wall', faceFraction: 0.5 }),
    ]);
    const e = await fails(call.Verify({ img1: a.buffer, img2: b.buffer }));
    expect(e.code).toBe(status.INVALID_ARGUMENT);
    expect(errorDetailOf(e)).toMatchObject({ reason: 'ID_REQUIRED', retryable: false });
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
    // One running, one queued: the other four are refused without waiting.
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(shed).toHaveLength(4);
    for (const r of shed) {
      if (r.ok) continue;
      expect(r.error.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(errorDetailOf(r.error)).toMatchObject({ reason: 'OVERLOADED', retryable: true });
    }
  });
});
