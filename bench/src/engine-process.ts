// A real engine process for the benchmarks (started as the README says), a gRPC client, and the inputs they use.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import {
  engineClientSecurity,
  engineTlsFromEnv,
  loadEngineProto,
  type FaceEngineClient,
} from '@deepface/proto';
import { facesDir, makeDocument, makeSelfie } from '@deepface/fixtures';

const ENGINE_MAIN = path.resolve(__dirname, '..', '..', 'services', 'engine', 'dist', 'main.js');

export interface Engine {
  child: ChildProcess;
  client: FaceEngineClient;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export type Unary<Req, Res> = (
  req: Req,
  md: grpc.Metadata,
  opts: grpc.CallOptions,
  cb: grpc.requestCallback<Res>,
) => unknown;

export function call<Req, Res>(method: Unary<Req, Res>, client: FaceEngineClient, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(client, req, new grpc.Metadata(), { deadline: Date.now() + 60_000 }, (err, res) =>
      err ? reject(err) : res ? resolve(res) : reject(new Error('empty response')),
    );
  });
}

type Definitions = ReturnType<typeof loadEngineProto>['FaceEngine']['service'];
type Rpc = 'Verify' | 'Represent' | 'Analyze' | 'Compare' | 'Detect';
type RequestOf<R extends Rpc> = Parameters<Definitions[R]['requestSerialize']>[0];
type ResponseOf<R extends Rpc> = ReturnType<Definitions[R]['responseDeserialize']>;

/**
 * A unary call whose request is encoded once, as `call` does it, then sent as the same bytes on every call. The
 * load generator shares this machine's two cores with the engine, and encoding two 1–2 MP photos per Verify (a
 * protobuf copy, more garbage) cost it 6.7 → 4.1 ms of CPU per call (8 interleaved 4-s windows): CPU the engine
 * then lacked. Callers on other machines cost the engine nothing.
 */
export function preEncoded<R extends Rpc>(
  client: FaceEngineClient,
  rpc: R,
  request: RequestOf<R>,
): () => Promise<ResponseOf<R>> {
  const definition = loadEngineProto().FaceEngine.service[rpc];
  const bytes = definition.requestSerialize(request);
  const asIs = (b: Buffer): Buffer => b;
  return () =>
    new Promise((resolve, reject) => {
      client.makeUnaryRequest(
        definition.path,
        asIs,
        definition.responseDeserialize as (b: Buffer) => ResponseOf<R>,
        bytes,
        new grpc.Metadata(),
        { deadline: Date.now() + 60_000 },
        (err, res) => (err ? reject(err) : res ? resolve(res) : reject(new Error('empty response'))),
      );
    });
}

export interface StartOptions {
  workers: number;
  /** ENGINE_BACKEND; the environment's (or the engine's default) when not given. */
  backend?: string;
  port?: number;
  /** ENGINE_ONNX_THREADS; the environment's, else the engine's default (cores / workers). */
  onnxThreads?: number;
  /** Pin the whole engine process (main thread, libvips, workers) to these CPUs with taskset, e.g. "0". */
  cpus?: string;
  /** Extra node flags for the engine process (e.g. `--cpu-prof`, or V8 heap flags to compare). */
  nodeFlags?: string[];
}

export interface StartedEngine extends Engine {
  port: number;
  /** The backend the engine reports it runs. */
  backend: string;
}

export async function startEngine(o: StartOptions): Promise<StartedEngine> {
  const port = o.port ?? (await freePort());
  const args = ['--single-threaded-gc', ...(o.nodeFlags ?? []), ENGINE_MAIN];
  const [command, argv] =
    o.cpus === undefined ? [process.execPath, args] : ['taskset', ['-c', o.cpus, process.execPath, ...args]];
  const child = spawn(command, argv, {
    env: {
      ...process.env,
      ...(o.backend ? { ENGINE_BACKEND: o.backend } : {}),
      ENGINE_PORT: String(port),
      ENGINE_HOST: '127.0.0.1',
      ENGINE_WORKERS: String(o.workers),
      ENGINE_ONNX_THREADS: String(o.onnxThreads ?? process.env.ENGINE_ONNX_THREADS ?? ''),
      ENGINE_QUEUE_SIZE: '64',
      ENGINE_METRICS_PORT: '0',
      LOG_LEVEL: 'warn',
      // As the engine's launchers set it (services/engine/src/main.ts).
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const { FaceEngine } = loadEngineProto();
  // The engine inherits this environment: when it sets ENGINE_AUTH_TOKEN or ENGINE_TLS_*, present them too.
  const security = engineClientSecurity({
    tls: engineTlsFromEnv(),
    token: process.env.ENGINE_AUTH_TOKEN?.trim() || undefined,
  });
  const client = new FaceEngine(`127.0.0.1:${port}`, security.credentials, security.options);
  let backend = '';
  for (let i = 0; i < 1200 && !backend; i++) {
    try {
      const info = await call(
        client.GetInfo.bind(client) as Unary<object, { ready: boolean; model: { backend: string } | null }>,
        client,
        {},
      );
      if (info.ready) backend = info.model?.backend ?? '?';
    } catch {
      // not listening yet
    }
    if (!backend) await new Promise((r) => setTimeout(r, 100));
  }
  if (!backend) throw new Error(`engine (${o.backend ?? 'default backend'}) did not become ready`);
  return {
    child,
    client,
    port,
    backend,
    stop: async () => {
      client.close();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export async function rssMb(pid: number | undefined): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export interface Inputs {
  document: Buffer;
  selfie: Buffer;
  scene: Buffer;
}

export async function inputs(): Promise<Inputs> {
  // Two 1–2 MP photos: an ID card photographed on a desk, a 1080×1440 selfie; and a 1920-px group photo.
  const document = (
    await makeDocument({
      seed: 101,
      person: 'leonard',
      photoIndex: 1,
      layout: 'id1-left-mrz',
      capture: 'desk-wood',
      portrait: 'colour',
      plan: { frameWidth: 1600, frameHeight: 1200, cardWidth: 1000, rotation: 3, blur: 0 },
    })
  ).buffer;
  const selfie = (
    await makeSelfie({
      seed: 102,
      person: 'leonard',
      photoIndex: 3,
      background: 'indoor',
      width: 1080,
      height: 1440,
      faceFraction: 0.4,
    })
  ).buffer;
  const scene = await fs.readFile(path.join(facesDir(), 'scenes', 'sample1.jpg'));
  return { document, selfie, scene };
}
