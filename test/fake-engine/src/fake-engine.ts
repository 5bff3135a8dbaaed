import * as grpc from '@grpc/grpc-js';
import {
  encodeErrorDetail,
  ERROR_METADATA_KEY,
  TENANT_METADATA_KEY,
  loadEngineProto,
  type AnalyzeResponse,
  type CompareResponse,
  type ErrorDetail,
  type FaceEngineHandlers,
  type ReadDocumentResponse,
  type VerifyResponse,
} from '@deepface/proto';
import { DOCUMENT_READ, ONE_FACE_ANALYSIS, PASSPORT_FIELDS, SAME_PERSON, VERIFIED } from './responses';

/**
 * A real gRPC FaceEngine server on loopback (port 0 by default) whose answers the caller controls: canned results,
 * typed errors with an ErrorDetail in the trailing metadata, stalls past any deadline, delays, a hook run when a call
 * arrives; it counts every call. `stop()` makes it absent (connection refused).
 */
export type Method = 'Verify' | 'Compare' | 'Analyze' | 'ReadDocument';

export interface Responses {
  Verify: VerifyResponse;
  Compare: CompareResponse;
  Analyze: AnalyzeResponse;
  ReadDocument: ReadDocumentResponse;
}

export type Behaviour<T = unknown> =
  /** Answers `response`, or the method's current canned answer (`responses`) when not given. */
  | { kind: 'ok'; response?: T; delayMs?: number }
  | { kind: 'error'; code: grpc.status; detail?: ErrorDetail; delayMs?: number }
  /** Never answers: the client's deadline or `stop()` ends the call. */
  | { kind: 'stall' };

export interface FakeEngineOptions {
  /** Keep every request in `received` (default true); a load run turns it off. */
  keepRequests?: boolean;
}

const DEFAULT_RESPONSES: Responses = {
  Verify: VERIFIED,
  Compare: SAME_PERSON,
  Analyze: ONE_FACE_ANALYSIS,
  ReadDocument: DOCUMENT_READ,
};
const METHODS: Method[] = ['Verify', 'Compare', 'Analyze', 'ReadDocument'];
const ok = (): { kind: 'ok' } => ({ kind: 'ok' });

export class FakeEngine {
  readonly calls: Record<Method, number> = { Verify: 0, Compare: 0, Analyze: 0, ReadDocument: 0 };
  /** Requests received, for asserting what the gateway forwarded (with the caller's tenant metadata, if any). */
  readonly received: Array<{ method: Method; request: Record<string, unknown>; tenant?: string }> = [];
  /** What each method answers when neither `script` nor `respond` decides. */
  behaviour: { [M in Method]: Behaviour<Responses[M]> } = {
    Verify: ok(),
    Compare: ok(),
    Analyze: ok(),
    ReadDocument: ok(),
  };
  /** Behaviours for the next calls of any method, in order; consumed before `respond` and `behaviour`. */
  readonly script: Behaviour[] = [];
  /** Optional per-request answer (e.g. by image bytes); `behaviour` applies when it returns undefined. */
  respond?: (method: Method, request: Record<string, unknown>) => Behaviour | undefined;
  /** Runs (awaited) when a call arrives, before it is answered: e.g. to freeze the gateway mid-call. */
  onCall?: (method: Method) => Promise<void> | void;
  port = 0;
  private server?: grpc.Server;
  private readonly stalled = new Set<() => void>();

  constructor(private readonly options: FakeEngineOptions = {}) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The same behaviour for every method. */
  answerAll(behaviour: Behaviour): void {
    for (const method of METHODS) this.behaviour[method] = behaviour as Behaviour<never>;
  }

  totalCalls(): number {
    return this.calls.Verify + this.calls.Compare + this.calls.Analyze + this.calls.ReadDocument;
  }

  resetCalls(): void {
    this.calls.Verify = this.calls.Compare = this.calls.Analyze = this.calls.ReadDocument = 0;
    this.received.length = 0;
  }

  /** Counts cleared and every behaviour back to the canned answers. */
  reset(): void {
    this.resetCalls();
    this.answerAll(ok());
    this.script.length = 0;
    this.respond = undefined;
    this.onCall = undefined;
  }

  async start(port = 0): Promise<this> {
    const { FaceEngine } = loadEngineProto();
    // The engine's own keepalive and message-size policy (services/engine/src/transport/grpc/server.ts): the gateway pings
    // every 30 s, also when idle.
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
      ReadDocument: handler('ReadDocument'),
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
    const request = call.request as Record<string, unknown>;
    const tenant = call.metadata.get(TENANT_METADATA_KEY)[0];
    if (this.options.keepRequests ?? true)
      this.received.push({ method, request, ...(typeof tenant === 'string' ? { tenant } : {}) });
    const behaviour: Behaviour =
      this.script.shift() ?? this.respond?.(method, request) ?? this.behaviour[method];
    await this.onCall?.(method);
    if (behaviour.kind === 'stall') {
      const release = () => callback({ code: grpc.status.CANCELLED, details: 'stopped' });
      this.stalled.add(release);
      call.once('cancelled', () => this.stalled.delete(release));
      return;
    }
    if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    if (behaviour.kind === 'ok') {
      const response = withDocumentFields(request, behaviour.response ?? DEFAULT_RESPONSES[method]) as Record<
        string,
        unknown
      >;
      // As the engine does: no liveness answered when the request turned it off.
      if (method === 'Verify' && request.liveness === 'LIVENESS_OFF') {
        const { liveness: _off, ...rest } = response;
        callback(null, rest);
        return;
      }
      callback(null, response);
      return;
    }
    const metadata = new grpc.Metadata();
    if (behaviour.detail) metadata.set(ERROR_METADATA_KEY, encodeErrorDetail(behaviour.detail));
    // Internals a real engine might put in its status text: the gateway must never pass them on.
    callback({
      code: behaviour.code,
      details: `internal engine detail at 10.0.0.7:50051 (${behaviour.detail?.reason ?? 'no detail'})`,
      metadata,
    });
  }
}

/** As the engine: a document's personal fields only when the request sets document_fields, never otherwise. */
function withDocumentFields(request: Record<string, unknown>, response: unknown): unknown {
  const document = (response as { document?: Record<string, unknown> | null }).document;
  if (!document || document.mrz !== 'MRZ_READ') return response;
  const { fields: _dropped, ...rest } = document;
  const answered = request.document_fields === true ? { ...rest, fields: PASSPORT_FIELDS } : rest;
  return { ...(response as object), document: answered };
}
