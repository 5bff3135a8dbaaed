import * as grpc from '@grpc/grpc-js';
import {
  encodeErrorDetail,
  ERROR_METADATA_KEY,
  loadEngineProto,
  type AnalyzeResponse,
  type CompareResponse,
  type ErrorDetail,
  type FaceEngineHandlers,
  type VerifyResponse,
} from '@deepface/proto';

/**
 * A real gRPC FaceEngine server on loopback (port 0) whose answers the test controls: canned results, typed
 * errors with an ErrorDetail in the trailing metadata, stalls past any deadline, delays; it counts every call.
 * `stop()` makes it absent (connection refused).
 */
export type Behaviour<T> =
  | { kind: 'ok'; response: T; delayMs?: number }
  | { kind: 'error'; code: grpc.status; detail?: ErrorDetail; delayMs?: number }
  | { kind: 'stall' };

type Method = 'Verify' | 'Compare' | 'Analyze';

export const FAKE_MODEL = {
  recognition_model: 'face-api FaceRecognitionNet (ResNet-34, 128-d)',
  detector: 'face-api SsdMobilenetv1',
  backend: 'wasm',
  engine_version: '0.0.0-fake',
};

export const VERIFIED: VerifyResponse = {
  verified: true,
  decision: 'PASSED',
  distance: 0.312345678,
  threshold: 0.5,
  confidence: 97.456,
  img1_area: {
    x: 380,
    y: 1127,
    w: 1380,
    h: 1380,
    left_eye: { x: 1313.4, y: 1647.2 },
    right_eye: { x: 798, y: 1705 },
  },
  img2_area: { x: 40, y: 50, w: 120, h: 120, left_eye: { x: 130, y: 90 }, right_eye: { x: 70, y: 91 } },
  roles_swapped: false,
  model: FAKE_MODEL,
  timings: { total_ms: 1234.5 },
};

export const NOT_VERIFIED: VerifyResponse = {
  ...VERIFIED,
  verified: false,
  decision: 'FAILED',
  distance: 1.061641,
  confidence: 0,
  img2_area: { x: 40, y: 50, w: 120, h: 120, left_eye: null, right_eye: { x: 70, y: 91 } },
};

export const SAME_PERSON: CompareResponse = {
  distance: 0.2,
  similarity: 100,
  label: 'VERY_HIGH',
  same_person: true,
  threshold: 0.5,
  model: FAKE_MODEL,
  timings: { total_ms: 900 },
};

export const LOW_RESEMBLANCE: CompareResponse = {
  ...SAME_PERSON,
  distance: 1.1,
  similarity: 0,
  label: 'LOW',
  same_person: false,
};

export const ONE_FACE_ANALYSIS: AnalyzeResponse = {
  faces: [
    {
      region: { x: 102, y: 279, w: 329, h: 329, left_eye: { x: 325, y: 402 }, right_eye: { x: 191, y: 417 } },
      face_confidence: 0.9412,
      age: { age: 25.4, model: 'age' },
      gender: {
        dominant: 'male',
        scores: [
          { label: 'male', percent: 99.514 },
          { label: 'female', percent: 0.486 },
        ],
      },
      race: {
        dominant: 'black',
        scores: [
          { label: 'asian', percent: 0 },
          { label: 'black', percent: 100 },
          { label: 'indian', percent: 0 },
          { label: 'latino hispanic', percent: 0 },
          { label: 'middle eastern', percent: 0 },
          { label: 'white', percent: 0 },
        ],
      },
      emotion: {
        dominant: 'neutral',
        scores: [
          { label: 'angry', percent: 5.36 },
          { label: 'disgusted', percent: 0.33 },
          { label: 'fearful', percent: 7.49 },
          { label: 'happy', percent: 0.7 },
          { label: 'neutral', percent: 78.5 },
          { label: 'sad', percent: 6.8 },
          { label: 'surprised', percent: 0.82 },
        ],
      },
    },
  ],
  model: FAKE_MODEL,
  timings: { total_ms: 500 },
};

export class FakeEngine {
  readonly calls: Record<Method, number> = { Verify: 0, Compare: 0, Analyze: 0 };
  /** Bytes received per call, for asserting what the gateway forwarded. */
  readonly received: Array<{ method: Method; request: Record<string, unknown> }> = [];
  behaviour: {
    Verify: Behaviour<VerifyResponse>;
    Compare: Behaviour<CompareResponse>;
    Analyze: Behaviour<AnalyzeResponse>;
  } = {
    Verify: { kind: 'ok', response: VERIFIED },
    Compare: { kind: 'ok', response: SAME_PERSON },
    Analyze: { kind: 'ok', response: ONE_FACE_ANALYSIS },
  };
  /** Optional per-request answer (e.g. by image bytes); `behaviour` applies when it returns undefined. */
  respond?: (method: Method, request: Record<string, unknown>) => Behaviour<unknown> | undefined;
  private server?: grpc.Server;
  private stalled: Array<() => void> = [];
  port = 0;

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  totalCalls(): number {
    return this.calls.Verify + this.calls.Compare + this.calls.Analyze;
  }

  resetCalls(): void {
    this.calls.Verify = this.calls.Compare = this.calls.Analyze = 0;
    this.received.length = 0;
  }

  async start(port = 0): Promise<this> {
    const { FaceEngine } = loadEngineProto();
    // The engine's keepalive policy must admit the gateway's pings (every 30 s, also when idle).
    const server = new grpc.Server({
      'grpc.keepalive_permit_without_calls': 1,
      'grpc.http2.min_ping_interval_without_data_ms': 10_000,
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
    });
    const handlers: Partial<FaceEngineHandlers> = {
      Verify: (call, callback) => this.answer('Verify', call, callback as grpc.sendUnaryData<unknown>),
      Compare: (call, callback) => this.answer('Compare', call, callback as grpc.sendUnaryData<unknown>),
      Analyze: (call, callback) => this.answer('Analyze', call, callback as grpc.sendUnaryData<unknown>),
    };
    server.addService(FaceEngine.service, handlers as FaceEngineHandlers);
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) =>
        err ? reject(err) : resolve(bound),
      ),
    );
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    for (const release of this.stalled.splice(0)) release();
    const server = this.server;
    this.server = undefined;
    if (server) server.forceShutdown();
  }

  private answer(
    method: Method,
    call: grpc.ServerUnaryCall<unknown, unknown>,
    callback: grpc.sendUnaryData<unknown>,
  ): void {
    this.calls[method]++;
    this.received.push({ method, request: call.request as Record<string, unknown> });
    const behaviour =
      this.respond?.(method, call.request as Record<string, unknown>) ?? this.behaviour[method];
    if (behaviour.kind === 'stall') {
      // Never answers; released (cancelled) when the client's deadline passes or the server stops.
      this.stalled.push(() => callback({ code: grpc.status.CANCELLED, details: 'stopped' }));
      return;
    }
    const respond = () => {
      if (behaviour.kind === 'ok') return callback(null, behaviour.response);
      const metadata = new grpc.Metadata();
      if (behaviour.detail) metadata.set(ERROR_METADATA_KEY, encodeErrorDetail(behaviour.detail));
      return callback({
        code: behaviour.code,
        details: `internal engine detail at 10.0.0.7:50051 (${behaviour.detail?.reason ?? 'no detail'})`,
        metadata,
      });
    };
    if (behaviour.delayMs) setTimeout(respond, behaviour.delayMs);
    else respond();
  }
}
