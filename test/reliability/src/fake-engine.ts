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
 * A real gRPC FaceEngine server on loopback whose answers each test sets: canned results, typed errors, stalls
 * (never answered), delays, or a hook run when a call arrives (e.g. to freeze the gateway before the answer).
 * The gateway's own fake (services/gateway/test/fakes) stays private to its suites; this one is for processes.
 */
export type Method = 'Verify' | 'Compare' | 'Analyze';

export type Behaviour =
  | { kind: 'ok'; delayMs?: number }
  | { kind: 'error'; code: grpc.status; detail?: ErrorDetail }
  | { kind: 'stall' };

const MODEL = { recognition_model: 'fake', detector: 'fake', backend: 'wasm', engine_version: '0.0.0-fake' };
const AREA = { x: 10, y: 10, w: 100, h: 100, left_eye: { x: 70, y: 40 }, right_eye: { x: 30, y: 40 } };

export const VERIFIED: VerifyResponse = {
  verified: true,
  decision: 'PASSED',
  distance: 0.3,
  threshold: 0.58,
  confidence: 95,
  img1_area: AREA,
  img2_area: AREA,
  roles_swapped: false,
  model: MODEL,
  timings: { total_ms: 10 },
};

const SAME_PERSON: CompareResponse = {
  distance: 0.3,
  similarity: 90,
  label: 'VERY_HIGH',
  same_person: true,
  threshold: 0.58,
  model: MODEL,
  timings: { total_ms: 10 },
};

const ONE_FACE: AnalyzeResponse = {
  faces: [{ region: AREA, face_confidence: 0.9, age: { age: 30, model: 'age' } }],
  model: MODEL,
  timings: { total_ms: 10 },
};

const RESPONSES: Record<Method, unknown> = { Verify: VERIFIED, Compare: SAME_PERSON, Analyze: ONE_FACE };

export class FakeEngine {
  readonly calls: Record<Method, number> = { Verify: 0, Compare: 0, Analyze: 0 };
  behaviour: Behaviour = { kind: 'ok' };
  /** Behaviours for the next calls, in order; `behaviour` applies once it is empty. */
  readonly script: Behaviour[] = [];
  /** Runs when a call arrives, before it is answered (awaited). */
  onCall?: (method: Method) => Promise<void> | void;
  private server?: grpc.Server;
  private readonly stalled = new Set<() => void>();
  port = 0;

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  total(): number {
    return this.calls.Verify + this.calls.Compare + this.calls.Analyze;
  }

  reset(): void {
    this.calls.Verify = this.calls.Compare = this.calls.Analyze = 0;
    this.behaviour = { kind: 'ok' };
    this.script.length = 0;
    this.onCall = undefined;
  }

  async start(port = 0): Promise<this> {
    const { FaceEngine } = loadEngineProto();
    // The engine's own keepalive policy (services/engine/src/grpc/server.ts): pings every 10 s and idle pings allowed.
    const server = new grpc.Server({
      'grpc.keepalive_permit_without_calls': 1,
      'grpc.http2.min_ping_interval_without_data_ms': 10_000,
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
    });
    const handler =
      (method: Method) =>
      (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) =>
        void this.answer(method, call, callback);
    server.addService(FaceEngine.service, {
      Verify: handler('Verify'),
      Compare: handler('Compare'),
      Analyze: handler('Analyze'),
    } as Partial<FaceEngineHandlers> as FaceEngineHandlers);
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) =>
        err ? reject(err) : resolve(bound),
      ),
    );
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    for (const release of this.stalled) release();
    this.stalled.clear();
    this.server?.forceShutdown();
    this.server = undefined;
  }

  private async answer(
    method: Method,
    call: grpc.ServerUnaryCall<unknown, unknown>,
    callback: grpc.sendUnaryData<unknown>,
  ): Promise<void> {
    this.calls[method]++;
    const behaviour = this.script.shift() ?? this.behaviour;
    await this.onCall?.(method);
    if (behaviour.kind === 'stall') {
      const release = () => callback({ code: grpc.status.CANCELLED, details: 'stopped' });
      this.stalled.add(release);
      call.once('cancelled', () => this.stalled.delete(release));
      return;
    }
    if (behaviour.kind === 'error') {
      const metadata = new grpc.Metadata();
      if (behaviour.detail) metadata.set(ERROR_METADATA_KEY, encodeErrorDetail(behaviour.detail));
      callback({ code: behaviour.code, details: 'engine internals at 10.1.2.3:50051', metadata });
      return;
    }
    if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    callback(null, RESPONSES[method]);
  }
}
