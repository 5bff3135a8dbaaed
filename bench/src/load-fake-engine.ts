// A fast fake engine for the load benchmark: a real gRPC FaceEngine server that answers Verify, Compare and
// Analyze at once with valid canned responses (as services/gateway/test/fakes/fake-engine.ts does for tests), so
// a load run measures the gateway alone. Runs in a child process of its own (`startFakeEngine`): the load
// generator's event loop must not delay its answers.
import { fork, type ChildProcess } from 'node:child_process';
import * as grpc from '@grpc/grpc-js';
import {
  loadEngineProto,
  type AnalyzeResponse,
  type CompareResponse,
  type FaceEngineHandlers,
  type VerifyResponse,
} from '@deepface/proto';

const MODEL = {
  recognition_model: 'face-api FaceRecognitionNet (ResNet-34, 128-d)',
  detector: 'face-api SsdMobilenetv1',
  backend: 'wasm',
  engine_version: '0.0.0-fake',
};

const VERIFIED: VerifyResponse = {
  verified: true,
  decision: 'PASSED',
  distance: 0.312345678,
  threshold: 0.5,
  confidence: 97.456,
  img1_area: { x: 380, y: 127, w: 380, h: 380, left_eye: { x: 613, y: 247 }, right_eye: { x: 498, y: 250 } },
  img2_area: { x: 40, y: 50, w: 120, h: 120, left_eye: { x: 130, y: 90 }, right_eye: { x: 70, y: 91 } },
  roles_swapped: false,
  model: MODEL,
  timings: { total_ms: 1 },
};

const SAME_PERSON: CompareResponse = {
  distance: 0.2,
  similarity: 100,
  label: 'VERY_HIGH',
  same_person: true,
  threshold: 0.5,
  model: MODEL,
  timings: { total_ms: 1 },
};

const ONE_FACE: AnalyzeResponse = {
  faces: [
    {
      region: { x: 102, y: 279, w: 329, h: 329, left_eye: { x: 325, y: 402 }, right_eye: { x: 191, y: 417 } },
      face_confidence: 0.9412,
      age: { age: 25.4, model: 'age' },
      gender: {
        dominant: 'male',
        scores: [
          { label: 'male', percent: 99.5 },
          { label: 'female', percent: 0.5 },
        ],
      },
    },
  ],
  model: MODEL,
  timings: { total_ms: 1 },
};

async function serve(): Promise<number> {
  const { FaceEngine } = loadEngineProto();
  // The same keepalive and message-size policy as the real engine, so the gateway's client behaves as in production.
  const server = new grpc.Server({
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 10_000,
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
  });
  const handlers: Partial<FaceEngineHandlers> = {
    Verify: (_call, callback) => callback(null, VERIFIED),
    Compare: (_call, callback) => callback(null, SAME_PERSON),
    Analyze: (_call, callback) => callback(null, ONE_FACE),
  };
  server.addService(FaceEngine.service, handlers as FaceEngineHandlers);
  return new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) =>
      err ? reject(err) : resolve(port),
    ),
  );
}

export interface FakeEngineProcess {
  child: ChildProcess;
  address: string;
  stop(): Promise<void>;
}

/** Forks this file (tsx's loader is inherited through execArgv) and waits for the port it bound. */
export async function startFakeEngine(): Promise<FakeEngineProcess> {
  const child = fork(__filename, ['--serve'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve(Number((m as { port: number }).port)));
    child.once('exit', (code) => reject(new Error(`fake engine exited (${code})`)));
  });
  return {
    child,
    address: `127.0.0.1:${port}`,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

if (require.main === module && process.argv.includes('--serve')) {
  serve()
    .then((port) => process.send?.({ port }))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
