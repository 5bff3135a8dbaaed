// Test harness: a real pool over the fake worker, the real gRPC server on a loopback port, and typed clients.
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { service as healthService } from 'grpc-health-check';
import { z } from 'zod';
import {
  type AnalyzeRequest,
  type AnalyzeResponse__Output,
  type CompareRequest,
  type CompareResponse__Output,
  type DetectRequest,
  type DetectResponse__Output,
  type EngineInfo__Output,
  type FaceEngineClient,
  loadEngineProto,
  type RepresentRequest,
  type RepresentResponse__Output,
  type ReadDocumentRequest,
  type ReadDocumentResponse__Output,
  type VerifyRequest,
  type VerifyResponse__Output,
} from '@deepface/proto';
import { type EngineConfig, loadConfig, workerInit } from '../../src/config';
import { createEngineServer, type EngineServer } from '../../src/transport/grpc/server';
import { createLogger, type Logger } from '../../src/log';
import { WorkerPool } from '../../src/scheduler/pool';

export const FAKE_WORKER = path.join(__dirname, 'fake-worker.js');
/** The pool's entry is TypeScript when run from source: its threads need a loader. */
export const TS_EXEC_ARGV = ['--require', path.join(__dirname, 'register-ts.js')];

export interface FakeOptions {
  /** Load time of the i-th thread to start (the last value repeats). */
  initMs?: number[];
  failInit?: boolean;
  failWarmup?: boolean;
}

/** Shared with the fake's threads: [threads started, tasks run (warm-ups excluded)]. */
export interface FakeCounters {
  started(): number;
  ran(): number;
}

export function testConfig(env: Record<string, string> = {}): EngineConfig {
  return loadConfig({
    ENGINE_HOST: '127.0.0.1',
    ENGINE_PORT: '0',
    ENGINE_WORKERS: '1',
    ENGINE_QUEUE_SIZE: '2',
    ENGINE_SHUTDOWN_GRACE_MS: '5000',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

export function testLogger(): Logger {
  return createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
}

export function createTestPool(
  config: EngineConfig,
  fake: FakeOptions = {},
  extra: { onWorkerReady?: (p: { ready: number; total: number }) => void } = {},
): { pool: WorkerPool; counters: FakeCounters } {
  const shared = new Int32Array(new SharedArrayBuffer(8));
  // workerData is WorkerInit plus what the fake reads; a superset, as the pool's own handlerFile is.
  const init = Object.assign(workerInit(config), { fake: { ...fake, counters: shared } });
  const pool = new WorkerPool({
    handlerFile: FAKE_WORKER,
    workers: config.workers,
    queueSize: config.queueSize,
    init,
    logger: testLogger(),
    execArgv: TS_EXEC_ARGV,
    ...extra,
  });
  return { pool, counters: { started: () => Atomics.load(shared, 0), ran: () => Atomics.load(shared, 1) } };
}

export interface TestEngine {
  config: EngineConfig;
  pool: WorkerPool;
  server: EngineServer;
  counters: FakeCounters;
  address: string;
  client: FaceEngineClient;
  rpc: Rpc;
  /** Shuts the server down (draining the pool) and closes the client. */
  stop(): Promise<void>;
}

export async function startEngine(
  options: { env?: Record<string, string>; fake?: FakeOptions; waitReady?: boolean } = {},
): Promise<TestEngine> {
  const config = testConfig(options.env);
  const { pool, counters } = createTestPool(config, options.fake);
  const server = createEngineServer({ config, pool, logger: testLogger() });
  const port = await server.start();
  const address = `127.0.0.1:${port}`;
  if (options.waitReady !== false) await pool.ready;
  const client = newClient(address);
  return {
    config,
    pool,
    server,
    counters,
    address,
    client,
    rpc: rpc(client),
    stop: async () => {
      client.close();
      await server.shutdown();
    },
  };
}

export function newClient(address: string): FaceEngineClient {
  const { FaceEngine } = loadEngineProto();
  return new FaceEngine(address, grpc.credentials.createInsecure());
}

/** JSON the fake worker reads from the image bytes (see fake-worker.js). */
export function command(value: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/** Any non-empty bytes: the fake answers its canned success. */
export const IMAGE = Buffer.from('not really a jpeg');

export type Settled<Res> = { ok: true; value: Res } | { ok: false; error: grpc.ServiceError };

/** Settles with the response or the ServiceError, so tests can assert either. */
export function settle<Res>(invoke: (callback: grpc.requestCallback<Res>) => unknown): Promise<Settled<Res>> {
  return new Promise((resolve) => {
    invoke((error, value) => {
      if (error) resolve({ ok: false, error });
      else if (value === undefined) throw new Error('a call succeeded without a response');
      else resolve({ ok: true, value });
    });
  });
}

export async function ok<Res>(call: Promise<Settled<Res>>): Promise<Res> {
  const result = await call;
  if (!result.ok) throw new Error(`expected success, got ${result.error.code} ${result.error.details}`);
  return result.value;
}

export async function fails<Res>(call: Promise<Settled<Res>>): Promise<grpc.ServiceError> {
  const result = await call;
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

export type Rpc = ReturnType<typeof rpc>;

/** The FaceEngine methods as promises of Settled results (the generated client's overloads defeat inference). */
export function rpc(client: FaceEngineClient) {
  const md = () => new grpc.Metadata();
  return {
    Verify: (req: VerifyRequest, options: grpc.CallOptions = {}) =>
      settle<VerifyResponse__Output>((cb) => client.Verify(req, md(), options, cb)),
    Compare: (req: CompareRequest, options: grpc.CallOptions = {}) =>
      settle<CompareResponse__Output>((cb) => client.Compare(req, md(), options, cb)),
    Analyze: (req: AnalyzeRequest, options: grpc.CallOptions = {}) =>
      settle<AnalyzeResponse__Output>((cb) => client.Analyze(req, md(), options, cb)),
    Detect: (req: DetectRequest, options: grpc.CallOptions = {}) =>
      settle<DetectResponse__Output>((cb) => client.Detect(req, md(), options, cb)),
    Represent: (req: RepresentRequest, options: grpc.CallOptions = {}) =>
      settle<RepresentResponse__Output>((cb) => client.Represent(req, md(), options, cb)),
    ReadDocument: (req: ReadDocumentRequest, options: grpc.CallOptions = {}) =>
      settle<ReadDocumentResponse__Output>((cb) => client.ReadDocument(req, md(), options, cb)),
    GetInfo: (options: grpc.CallOptions = {}) =>
      settle<EngineInfo__Output>((cb) => client.GetInfo({}, md(), options, cb)),
  };
}

export function deadline(ms: number): grpc.CallOptions {
  return { deadline: new Date(Date.now() + ms) };
}

const healthResponse = z.object({ status: z.string() });

/** grpc.health.v1.Health/Check for `service` ("" is the whole server). */
export async function healthStatus(address: string, service = ''): Promise<string> {
  const check = healthService.Check!;
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  try {
    const response = await new Promise<object>((resolve, reject) => {
      client.makeUnaryRequest(
        check.path,
        check.requestSerialize,
        check.responseDeserialize,
        { service },
        (error, value) => (error ? reject(error) : value ? resolve(value) : reject(new Error('no response'))),
      );
    });
    return healthResponse.parse(response).status;
  } finally {
    client.close();
  }
}

const REFLECTION_PROTO = path.join(
  path.dirname(require.resolve('@grpc/reflection/package.json')),
  'build/proto/grpc/reflection/v1/reflection.proto',
);

const reflectionResponse = z.object({
  list_services_response: z.object({ service: z.array(z.object({ name: z.string() })) }).nullish(),
  file_descriptor_response: z.object({ file_descriptor_proto: z.array(z.instanceof(Buffer)) }).nullish(),
});
export type ReflectionResponse = z.infer<typeof reflectionResponse>;

/** One request on grpc.reflection.v1.ServerReflection/ServerReflectionInfo, as grpcurl sends them. */
export async function reflect(address: string, request: Record<string, string>): Promise<ReflectionResponse> {
  const definition = protoLoader.loadSync(REFLECTION_PROTO, {
    keepCase: true,
    defaults: false,
    oneofs: true,
  });
  const method = definition['grpc.reflection.v1.ServerReflection'];
  if (!method || !('ServerReflectionInfo' in method)) throw new Error('reflection proto not found');
  const info = method.ServerReflectionInfo;
  if (!info || !('requestSerialize' in info)) throw new Error('reflection method not found');
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  try {
    return await new Promise<ReflectionResponse>((resolve, reject) => {
      const stream = client.makeBidiStreamRequest(info.path, info.requestSerialize, info.responseDeserialize);
      stream.on('data', (data: unknown) => {
        resolve(reflectionResponse.parse(data));
        stream.end();
      });
      stream.on('error', reject);
      stream.write(request);
    });
  } finally {
    client.close();
  }
}

/** A grpc.health.v1.Health/Watch stream: the statuses it received so far. */
export function watchHealth(address: string, service = ''): { statuses: string[]; cancel(): void } {
  const watchMethod = healthService.Watch!;
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  const statuses: string[] = [];
  const stream = client.makeServerStreamRequest(
    watchMethod.path,
    watchMethod.requestSerialize,
    watchMethod.responseDeserialize,
    { service },
  );
  stream.on('data', (data: unknown) => statuses.push(healthResponse.parse(data).status));
  stream.on('error', () => undefined); // the cancel below
  return {
    statuses,
    cancel: () => {
      stream.cancel();
      client.close();
    },
  };
}

/** Polls `condition` until it holds (or fails the test after `ms`). */
export async function until(condition: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
