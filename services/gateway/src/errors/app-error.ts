/**
 * The closed taxonomy of errors the gateway can answer with. Every failure a client can see is one of these
 * classes; anything else is rendered as a generic 500 by the error middleware. Codes and messages are public API.
 */
import type { ErrorCode, ImageCause, ImageField, ImageProblem } from './codes';

export type ErrorBody = Record<string, unknown>;

export abstract class AppError extends Error {
  abstract readonly status: number;
  /** Stable, machine-readable code (the envelope's `result`), from the closed list in errors/codes.ts. */
  abstract readonly code: ErrorCode;
  /**
   * Whether the same request may succeed later (a download timeout, an engine outage). Idempotency records never
   * store such outcomes, so a retry with the same Idempotency-Key runs again.
   */
  readonly transient: boolean = false;
  /** What the decision rested on, where it helps the caller act (e.g. each image's role evidence). */
  details?: ErrorBody;
  /** The image this error concerns, if any: the rendered `hint` names it by its role (errors/hints.ts). */
  image?: ImageProblem;
  /** Extra response headers (e.g. Retry-After). */
  headers(): Record<string, string> {
    return {};
  }
  /** The public JSON body, without request_id (added by the renderer). */
  body(): ErrorBody {
    return {
      status: this.status >= 500 ? 'error' : 'failed',
      result: this.code,
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
    };
  }
  /** The same error, noting which image it concerns (kept fields win: the first to know the operation says it). */
  about(problem: ImageProblem): this {
    const kept = this.image;
    this.image = {
      field: kept?.field ?? problem.field,
      cause: kept?.cause ?? problem.cause,
      operation: kept?.operation ?? problem.operation,
    };
    return this;
  }
  /** The same error with `details` in its body. */
  withDetails(details: ErrorBody | undefined): this {
    if (details) this.details = details;
    return this;
  }
}

// ---- 400: the request or its images -------------------------------------------------------------------------

export class InvalidInputError extends AppError {
  readonly status = 400;
  readonly code = 'invalid_input';
}

export class InvalidImageError extends AppError {
  readonly status = 400;
  readonly code = 'invalid_image';
  override readonly transient: boolean;
  constructor(
    message: string,
    options: { transient?: boolean; field?: ImageField; cause?: ImageCause } = {},
  ) {
    super(message);
    this.transient = options.transient ?? false;
    if (options.field || options.cause) this.about({ field: options.field, cause: options.cause });
  }
}

/**
 * A URL image that could not be downloaded, whatever the cause (refused address, unknown name, closed port, no
 * HTTP, 4xx/5xx, timeout, too large, redirects): one message, so the API tells nobody what the gateway can reach.
 * Never stored under an Idempotency-Key (transient), so replays do not tell the causes apart either. The cause is
 * logged; `retryable` (a network accident) decides batch-item retries.
 */
export class DownloadFailedError extends InvalidImageError {
  constructor(
    field: ImageField,
    limits: { timeoutS: number; maxSize: string },
    readonly retryable: boolean,
  ) {
    super(
      `Image ${field} could not be downloaded. It must be a publicly reachable http(s) URL answering within ${limits.timeoutS} s with an image under ${limits.maxSize}.`,
      { transient: true, field, cause: 'download_failed' },
    );
  }
}

export class IdRequiredError extends AppError {
  readonly status = 400;
  readonly code = 'id_required';
  constructor() {
    super('Please upload one ID image.');
  }
}

export class SelfieRequiredError extends AppError {
  readonly status = 400;
  readonly code = 'selfie_required';
  constructor() {
    super('Please upload one selfie image.');
  }
}

/** Verify with `liveness: "require"`: the selfie looks like a presentation attack (never charged). */
export class LivenessFailedError extends AppError {
  readonly status = 400;
  readonly code = 'liveness_failed';
  constructor() {
    super('The selfie did not pass the liveness check: it looks like a photo of a photo or of a screen.');
  }
}

// ---- 401 / 402 / 403: verbatim bodies from the published contract ----------------------------------------------

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly code = 'unauthorized';
  constructor() {
    super('API key is missing or invalid. Please provide a valid API key in the X-API-KEY header.');
  }
  override body(): ErrorBody {
    return { error: 'Unauthorized', message: this.message, status: 401 };
  }
}

export class InsufficientBalanceError extends AppError {
  readonly status = 402;
  readonly code = 'insufficient_balance';
  constructor(
    /** Available balance in dollars. */
    readonly currentBalance: number,
    /** Price of the request in dollars. */
    readonly requiredAmount: number,
  ) {
    super('Insufficient balance to complete this verification. Please add credits to your account.');
  }
  override body(): ErrorBody {
    return {
      error: 'Payment Required',
      message: this.message,
      status: 402,
      current_balance: this.currentBalance,
      required_amount: this.requiredAmount,
    };
  }
}

export class AccountSuspendedError extends AppError {
  readonly status = 403;
  readonly code = 'account_suspended';
  constructor() {
    super('Your account has been suspended. Please contact support to resolve this issue.');
  }
  override body(): ErrorBody {
    return { error: 'Forbidden', message: this.message, status: 403 };
  }
}

// ---- other 4xx ----------------------------------------------------------------------------------------------------

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
}

/** An account holds ACCOUNT_MAX_KEYS active keys already (the dashboard and the admin CLI; not a /v1 error). */
export class KeyLimitError extends AppError {
  readonly status = 409;
  readonly code = 'key_limit_reached';
  constructor(max: number) {
    super(
      `This account already has ${max} active API keys, the most allowed. Revoke one before creating another.`,
    );
  }
}

export class IdempotencyInProgressError extends AppError {
  readonly status = 409;
  readonly code = 'idempotency_in_progress';
  constructor() {
    super('A request with this Idempotency-Key is still being processed. Retry later to get its result.');
  }
  override headers(): Record<string, string> {
    return { 'Retry-After': '1' };
  }
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly code = 'payload_too_large';
}

export class IdempotencyKeyReusedError extends AppError {
  readonly status = 422;
  readonly code = 'idempotency_key_reused';
  constructor() {
    super('This Idempotency-Key was already used with a different request. Use a new key for a new request.');
  }
}

export class RateLimitedError extends AppError {
  readonly status = 429;
  readonly code = 'rate_limited';
  constructor(readonly retryAfterS: number) {
    super(`Too many requests for this API key. Retry after ${retryAfterS} s.`);
  }
  override headers(): Record<string, string> {
    return { 'Retry-After': String(this.retryAfterS) };
  }
}

/** Over the account's rate limit, which all of its keys (and its playground and batch items) share. */
export class AccountRateLimitedError extends RateLimitedError {
  constructor(retryAfterS: number) {
    super(retryAfterS);
    this.message = `Too many requests for this account (all of its API keys together). Retry after ${retryAfterS} s.`;
  }
}

// ---- 5xx: our side --------------------------------------------------------------------------------------------

export class InternalError extends AppError {
  readonly status = 500;
  readonly code = 'internal_error';
  constructor() {
    super(
      'An unexpected error occurred. Nothing was charged. Please retry; contact support with the request id if it persists.',
    );
  }
}

export class EngineUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'engine_unavailable';
  constructor(
    message = 'The face engine is temporarily unavailable. Nothing was charged. Please retry shortly.',
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
  override headers(): Record<string, string> {
    return this.retryAfterS === undefined ? {} : { 'Retry-After': String(this.retryAfterS) };
  }
}

export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'service_unavailable';
  constructor(
    message = 'The service is temporarily unavailable. Nothing was charged. Please retry shortly.',
    readonly retryAfterS = 1,
  ) {
    super(message);
  }
  override headers(): Record<string, string> {
    return { 'Retry-After': String(this.retryAfterS) };
  }
}

export class EngineTimeoutError extends AppError {
  readonly status = 504;
  readonly code = 'engine_timeout';
  constructor() {
    super('The face engine did not answer in time. Nothing was charged. Please retry.');
  }
}
