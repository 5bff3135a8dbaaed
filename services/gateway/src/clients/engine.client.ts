import * as grpc from '@grpc/grpc-js';
import {
  engineClientSecurity,
  errorDetailOf,
  loadEngineProto,
  TENANT_METADATA_KEY,
  type Action,
  type AnalyzeResponse__Output,
  type CompareResponse__Output,
  type ErrorDetail__Output,
  type FaceEngineClient,
  type LivenessMode,
  type VerifyResponse__Output,
} from '@deepface/proto';
import { SUPPORTED_FORMAT_NAMES } from '@deepface/media';
import CircuitBreaker from 'opossum';
import type { Config } from '../platform/config';
import {
  type AppError,
  CatalogueError,
  EngineTimeoutError,
  EngineUnavailableError,
  InvalidInputError,
  LowQualityError,
} from '../platform/errors/app-error';
import { codeForEngineReason, errorEntry } from '../platform/errors/catalogue';
import {
  QUALITY_ISSUES,
  type ImageCause,
  type ImageField,
  type ImageOperation,
  type QualityIssue,
} from '../platform/errors/codes';
import type { Logger } from '../platform/logger';
import { presentRoles } from './engine-roles';
import { tenantKeys } from './tenant-key';

/** A Verify's images and its document options (VerifyRequest.document_fields, as_of YYYY-MM-DD). */
export interface VerifyInput {
  img1: Buffer;
  img2: Buffer;
  document_fields?: boolean;
  as_of?: string;
  liveness?: LivenessMode;
}

/** What the services need from the engine; tests may substitute it, production uses GrpcEngineClient. */
export interface EngineClient {
  verify(input: VerifyInput, ctx: CallContext): Promise<VerifyResponse__Output>;
  compare(input: { img1: Buffer; img2: Buffer }, ctx: CallContext): Promise<CompareResponse__Output>;
  analyze(input: { image: Buffer; actions: Action[] }, ctx: CallContext): Promise<AnalyzeResponse__Output>;
  state(): EngineState;
  close(): void;
}

export interface CallContext {
  requestId: string;
  /** Whose call it is: the engine receives an opaque per-account key (tenant-key.ts) to schedule fairly. */
  accountId?: string;
}

export interface EngineState {
  channel: 'idle' | 'connecting' | 'ready' | 'transient_failure' | 'shutdown';
  breaker: 'closed' | 'open' | 'half_open';
}

/** Which public field an engine error's ImageRef points at, per call. */
type Fields = { IMG1: ImageField; IMG2: ImageField };
const PAIR: Fields = { IMG1: 'img1', IMG2: 'img2' };
const SINGLE: Fields = { IMG1: 'image', IMG2: 'image' };

type Method = 'Verify' | 'Compare' | 'Analyze';
const OPERATION: Record<Method, ImageOperation> = {
  Verify: 'verify',
  Compare: 'lookalike',
  Analyze: 'analyze',
};

const RETRYABLE_FOR_BREAKER = new Set<number>([
  grpc.status.UNAVAILABLE,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.INTERNAL,
  grpc.status.UNKNOWN,
]);

const MiB = 1024 * 1024;

/**
 * The only place that speaks gRPC to the engine and the only place that turns gRPC statuses into AppErrors.
 *
 * - One long-lived channel with keepalive pings (every ENGINE_KEEPALIVE_MS, also when idle: the engine must permit
 *   pings at that rate, see README).
 * - A deadline on every call: ENGINE_TIMEOUT_MS for the whole call, retries included.
 * - Retries only on UNAVAILABLE (the request never reached a worker), at most ENGINE_MAX_ATTEMPTS, with jittered
 *   backoff. The engine calls are pure functions of their input, and billing happens outside them, so a retry can
 *   never charge twice.
 * - A circuit breaker (opossum) counting only engine-side failures: when open, calls fail at once with 503.
 * - The engine's credentials (ENGINE_AUTH_TOKEN, ENGINE_TLS_*): refused ones are logged and answered 503.
 */
export class GrpcEngineClient implements EngineClient {
  private readonly client: FaceEngineClient;
  private readonly breaker: CircuitBreaker<[Method, object, CallContext], unknown>;
  private readonly tenantOf: (accountId: string) => string;

  constructor(
    private readonly config: Pick<Config, 'engine' | 'images'>,
    private readonly logger: Logger,
  ) {
    this.tenantOf = tenantKeys(config.engine.tenantSecret);
    const { FaceEngine } = loadEngineProto();
    // ENGINE_AUTH_TOKEN on every call, TLS (mutual with a certificate) when ENGINE_TLS_* are set.
    const security = engineClientSecurity({ tls: config.engine.tls, token: config.engine.authToken });
    this.client = new FaceEngine(config.engine.address, security.credentials, {
      ...security.options,
      'grpc.keepalive_time_ms': config.engine.keepaliveMs,
      'grpc.keepalive_timeout_ms': 10_000,
      'grpc.keepalive_permit_without_calls': 1,
      // Two images per call, base64-free: the decoded size limit twice plus headroom.
      'grpc.max_send_message_length': 2 * config.images.maxBytes + MiB,
      'grpc.max_receive_message_length': 16 * MiB,
      // We retry ourselves (only UNAVAILABLE, bounded by the call's deadline).
      'grpc.enable_retries': 0,
      'grpc.initial_reconnect_backoff_ms': 200,
      'grpc.max_reconnect_backoff_ms': 5_000,
      // With a dns:/// address naming several engines (a headless Service), spread calls over all of them.
      'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
    });

    this.breaker = new CircuitBreaker(
      (method: Method, request: object, ctx: CallContext) => this.callWithRetries(method, request, ctx),
      {
        timeout: false, // deadlines are gRPC's job
        resetTimeout: config.engine.breakerResetMs,
        volumeThreshold: config.engine.breakerVolume,
        errorThresholdPercentage: 50,
        rollingCountTimeout: 10_000,
        rollingCountBuckets: 10,
        // Client errors (bad image, no face) and overload say nothing about the engine's health.
        errorFilter: (error: unknown) => !RETRYABLE_FOR_BREAKER.has((error as grpc.ServiceError).code),
      },
    );
    this.breaker.on('open', () =>
      this.logger.warn({ engine: 'breaker_open' }, 'engine circuit breaker opened'),
    );
    this.breaker.on('close', () =>
      this.logger.info({ engine: 'breaker_closed' }, 'engine circuit breaker closed'),
    );
  }

  verify(input: VerifyInput, ctx: CallContext): Promise<VerifyResponse__Output> {
    return this.call('Verify', input, ctx, PAIR) as Promise<VerifyResponse__Output>;
  }

  compare(input: { img1: Buffer; img2: Buffer }, ctx: CallContext): Promise<CompareResponse__Output> {
    return this.call('Compare', input, ctx, PAIR) as Promise<CompareResponse__Output>;
  }

  analyze(input: { image: Buffer; actions: Action[] }, ctx: CallContext): Promise<AnalyzeResponse__Output> {
    return this.call('Analyze', input, ctx, SINGLE) as Promise<AnalyzeResponse__Output>;
  }

  state(): EngineState {
    const names = ['idle', 'connecting', 'ready', 'transient_failure', 'shutdown'] as const;
    const channel = names[this.client.getChannel().getConnectivityState(false)] ?? 'shutdown';
    const breaker = this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'half_open' : 'closed';
    return { channel, breaker };
  }

  close(): void {
    this.breaker.shutdown();
    this.client.close();
  }

  private async call(method: Method, request: object, ctx: CallContext, fields: Fields): Promise<unknown> {
    try {
      return await this.breaker.fire(method, request, ctx);
    } catch (error) {
      throw this.toAppError(error, method, ctx, fields);
    }
  }

  private async callWithRetries(method: Method, request: object, ctx: CallContext): Promise<unknown> {
    const deadline = Date.now() + this.config.engine.timeoutMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.unary(method, request, ctx, deadline);
      } catch (error) {
        const e = error as grpc.ServiceError;
        if (e.code !== grpc.status.UNAVAILABLE || attempt >= this.config.engine.maxAttempts) throw error;
        const hinted = errorDetailOf(e)?.retry_after_ms ?? 0;
        const backoff =
          Math.min(Math.max(hinted, 100 * 2 ** (attempt - 1)), 1_000) * (0.8 + Math.random() * 0.4);
        if (Date.now() + backoff >= deadline) throw error;
        this.logger.debug({ req_id: ctx.requestId, method, attempt }, 'engine unavailable, retrying');
        await new Promise((resolve) => setTimeout(resolve, backoff));
      }
    }
  }

  private unary(method: Method, request: object, ctx: CallContext, deadline: number): Promise<unknown> {
    const metadata = new grpc.Metadata();
    metadata.set('x-request-id', ctx.requestId);
    if (ctx.accountId) metadata.set(TENANT_METADATA_KEY, this.tenantOf(ctx.accountId));
    return new Promise((resolve, reject) => {
      const fn = this.client[method].bind(this.client) as (
        req: object,
        md: grpc.Metadata,
        options: grpc.CallOptions,
        cb: (err: grpc.ServiceError | null, res?: unknown) => void,
      ) => grpc.ClientUnaryCall;
      fn(request, metadata, { deadline }, (err, res) => (err ? reject(err) : resolve(res)));
    });
  }

  /** gRPC status + ErrorDetail → the public taxonomy. Raw engine messages and addresses never pass through. */
  private toAppError(error: unknown, method: Method, ctx: CallContext, fields: Fields): AppError {
    const e = error as { code?: unknown };
    if (e.code === 'EOPENBREAKER') {
      return new EngineUnavailableError(
        undefined,
        Math.max(1, Math.ceil(this.config.engine.breakerResetMs / 1000)),
      );
    }
    const detail = typeof e.code === 'number' ? errorDetailOf(e as grpc.ServiceError) : undefined;
    switch (e.code) {
      case grpc.status.INVALID_ARGUMENT:
        return rejectionFor(detail, method, fields);
      case grpc.status.RESOURCE_EXHAUSTED:
        return new EngineUnavailableError(
          'The face engine is busy. Nothing was charged. Please retry after the delay in Retry-After.',
          Math.max(1, Math.ceil((detail?.retry_after_ms || 1000) / 1000)),
        );
      case grpc.status.DEADLINE_EXCEEDED:
        return new EngineTimeoutError();
      case grpc.status.UNAVAILABLE:
        return new EngineUnavailableError(
          undefined,
          detail?.retry_after_ms ? Math.max(1, Math.ceil(detail.retry_after_ms / 1000)) : undefined,
        );
      default:
        this.logger.error(
          { req_id: ctx.requestId, method, grpc_code: e.code, reason: detail?.reason, err: error },
          'engine call failed',
        );
        return new EngineUnavailableError();
    }
  }
}

/** The issues a LOW_QUALITY refusal names (ErrorDetail.quality_issues) that the gateway knows, in the gate's order. */
function qualityIssues(named: readonly string[]): QualityIssue[] {
  return QUALITY_ISSUES.filter((issue) => named.includes(issue));
}

/** The engine's typed rejections, with the published messages. */
export function rejectionFor(
  detail: ErrorDetail__Output | undefined,
  method: Method,
  fields: Fields,
): AppError {
  return rejection(detail, method, fields).withDetails(
    detail?.img1_role && detail.img2_role
      ? { roles: presentRoles(detail.img1_role, detail.img2_role) }
      : undefined,
  );
}

/** The published message of an invalid image, by cause (other codes use the catalogue's message). */
const IMAGE_MESSAGE: Partial<
  Record<ImageCause, (which: string, field: ImageField | undefined, method: Method) => string>
> = {
  no_face: (_which, _field, method) =>
    method === 'Analyze'
      ? 'No clear face detected in the image.'
      : 'No clear face detected in one of the images.',
  multiple_faces: (which, _field, method) =>
    method === 'Verify'
      ? 'Selfie image must contain exactly one clear face.'
      : `${which} must contain exactly one clear face.`,
  unreadable: (which) => `${which} could not be read: it is not a valid image or it is truncated.`,
  too_large: (which) => `${which} is too large. Send an image under the documented size and pixel limits.`,
  unsupported_format: (which) => `${which} has an unsupported format. Use ${SUPPORTED_FORMAT_NAMES}.`,
  face_too_small: (_which, field) =>
    `The face in ${field ?? 'an image'} is too small to be compared reliably. Use a closer or larger photo.`,
};

/**
 * The catalogue's entry claiming the engine's reason (errors/catalogue.ts, `engine`). Reasons no entry claims
 * (BAD_REQUEST, OVERLOADED, NOT_READY, INTERNAL_ERROR, unspecified) are a request the engine could not process.
 */
function rejection(detail: ErrorDetail__Output | undefined, method: Method, fields: Fields): AppError {
  const field = detail?.image === 'IMG2' ? fields.IMG2 : detail?.image === 'IMG1' ? fields.IMG1 : undefined;
  const which = field ? `Image ${field}` : 'An image';
  // The quality gate names what it found; the hint advises on each.
  if (detail?.reason === 'LOW_QUALITY')
    return new LowQualityError(field, qualityIssues(detail.quality_issues));
  const claimed = detail?.reason ? codeForEngineReason(detail.reason) : undefined;
  if (!claimed) return new InvalidInputError(errorEntry('invalid_input').message);
  const { code, cause } = claimed;
  const message = cause ? IMAGE_MESSAGE[cause]?.(which, field, method) : undefined;
  return new CatalogueError(code, message).about({ field, cause, operation: OPERATION[method] });
}
