import * as grpc from '@grpc/grpc-js';
import {
  errorDetailOf,
  loadEngineProto,
  type FaceEngineClient,
  type ReadDocumentResponse,
  type VerifyResponse,
} from '@deepface/proto';
import { FakeEngine, NOT_VERIFIED, PASSPORT_FIELDS, VERIFIED } from '../src';

describe('FakeEngine (a real gRPC server)', () => {
  const engine = new FakeEngine();
  let client: FaceEngineClient;
  const verify = (deadlineMs = 5_000) =>
    new Promise<VerifyResponse>((resolve, reject) =>
      client.Verify(
        { img1: Buffer.from('a'), img2: Buffer.from('b') },
        { deadline: Date.now() + deadlineMs },
        (err, res) => (err ? reject(err) : resolve(res as VerifyResponse)),
      ),
    );

  beforeAll(async () => {
    await engine.start();
    const { FaceEngine } = loadEngineProto();
    client = new FaceEngine(engine.address, grpc.credentials.createInsecure());
  });
  afterEach(() => engine.reset());
  afterAll(async () => {
    client.close();
    await engine.stop();
  });

  it('answers the canned result and records what it received', async () => {
    await expect(verify()).resolves.toMatchObject({ verified: true, distance: VERIFIED.distance });
    expect(engine.calls.Verify).toBe(1);
    expect(Buffer.from(engine.received[0]?.request.img1 as Uint8Array).toString()).toBe('a');
  });

  it('ReadDocument: the passport zone, its personal fields only when asked', async () => {
    const read = (document_fields: boolean) =>
      new Promise<ReadDocumentResponse>((resolve, reject) =>
        client.ReadDocument({ image: Buffer.from('p'), document_fields }, (err, res) =>
          err ? reject(err) : resolve(res as ReadDocumentResponse),
        ),
      );
    const plain = await read(false);
    expect(plain.document).toMatchObject({ mrz: 'MRZ_READ', format: 'TD3', fields: null });
    expect((await read(true)).document?.fields).toMatchObject(PASSPORT_FIELDS);
    expect(engine.calls.ReadDocument).toBe(2);
  });

  it('plays the script in order before the standing behaviour', async () => {
    engine.behaviour.Verify = { kind: 'ok', response: NOT_VERIFIED };
    engine.script.push({ kind: 'error', code: grpc.status.UNAVAILABLE, detail: { reason: 'NOT_READY' } });
    const first = await verify().catch((error: unknown) => error as grpc.ServiceError);
    expect(first).toMatchObject({ code: grpc.status.UNAVAILABLE });
    expect(errorDetailOf(first as grpc.ServiceError)?.reason).toBe('NOT_READY');
    await expect(verify()).resolves.toMatchObject({ verified: false });
  });

  it('stalls until the deadline, and runs the arrival hook first', async () => {
    const arrived: string[] = [];
    engine.onCall = (method) => void arrived.push(method);
    engine.answerAll({ kind: 'stall' });
    await expect(verify(200)).rejects.toMatchObject({ code: grpc.status.DEADLINE_EXCEEDED });
    expect(arrived).toEqual(['Verify']);
  });

  it('keeps no requests when told not to', async () => {
    const quiet = await new FakeEngine({ keepRequests: false }).start();
    const { FaceEngine } = loadEngineProto();
    const other = new FaceEngine(quiet.address, grpc.credentials.createInsecure());
    await new Promise((resolve, reject) =>
      other.Compare({ img1: Buffer.from('a'), img2: Buffer.from('b') }, (err, res) =>
        err ? reject(err) : resolve(res),
      ),
    );
    expect(quiet.calls.Compare).toBe(1);
    expect(quiet.received).toHaveLength(0);
    other.close();
    await quiet.stop();
  });
});
