/**
 * The closed taxonomy of errors the gateway can answer with. Every failure a client can see is one of these
 * classes; anything else is rendered as a generic 500 by the error middleware. Codes and messages are public API;
 * each code's status, body shape, transience, default message and hint are its entry in errors/catalogue.ts.
 */
import { type ErrorCode, errorEntry } from './catalogue';
import type { ImageCause, ImageField, ImageProblem, QualityIssue } from './codes';

export type ErrorBody = Record<string, unknown>;

/** The `error` of the published 401/402/403 bodies. */
const PUBLISHED_ERROR: Record<number, string> = {
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
};

export abstract class AppError extends Error {
  /** Stable, machine-readable code (the envelope's `result`), from the closed list in errors/catalogue.ts. */
  abstract readonly code: ErrorCode;
  /** Set by an instance that knows better than its code (a failed download is transient, invalid_image is not). */
  protected transientOverride?: boolean;
  /** What the decision rested on, where it helps the caller act (e.g. each image's role evidence). */
  details?: ErrorBody;
  /** The image this error concerns, if any: the rendered `hint` names it by its role (errors/hints.ts). */
  image?: ImageProblem;
  /** The HTTP status: the code's, from the catalogue. */
  get status(): number {
    return errorEntry(this.code).status;
  }
  /**
   * Whether the same request may succeed later (a download timeout, an engine outage). Idempotency records never
   * store such outcomes, so a retry with the same Idempotency-Key runs again.
   */
  get transient(): boolean {
    return this.transientOverride ?? errorEntry(this.code).transient;
  }
  /** Extra response headers (e.g. Retry-After). */
  headers(): Record<string, string> {
    return {};
  }
  /** The public JSON body in the code's envelope, without hint and request_id (added by the renderer). */
  body(): ErrorBody {
    if (errorEntry(this.code).envelope === 'published') {
      return { error: PUBLISHED_ERROR[this.status], message: this.message, status: this.status };
    }
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
      ...((kept?.issues ?? problem.issues) ? { issues: kept?.issues ?? problem.issues } : {}),
    };
    return this;
  }
  /** The same error with `details` in its body. */
  withDetails(details: ErrorBody | undefined): this {
    if (details) this.details = details;
    return this;
  }
}

/** An error of any code, with the catalogue's message unless told otherwise: a new code needs no class. */
export class CatalogueError extends AppError {
  constructor(
    readonly code: ErrorCode,
    message?: string,
  ) {
    super(message ?? errorEntry(code).message);
  }
}

// ---- 400: the request or its images -------------------------------------------------------------------------

export class InvalidInputError extends AppError {
  readonly code = 'invalid_input';
}

export class InvalidImageError extends AppError {
  readonly code = 'invalid_image';
  constructor(
    message: string,
    options: { transient?: boolean; field?: ImageField; cause?: ImageCause } = {},
  ) {
    super(message);
    this.transientOverride = options.transient;
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
  readonly code = 'id_required';
  constructor() {
    super('Please upload one ID image.');
  }
}

export class SelfieRequiredError extends AppError {
  readonly code = 'selfie_required';
  constructor() {
    super('Please upload one selfie image.');
  }
}

/** Verify: a face the engine's quality gate refused (too small, blurred, badly exposed, glared, turned away). */
export class LowQualityError extends AppError {
  readonly code = 'low_quality';
  constructor(field: ImageField | undefined, issues: readonly QualityIssue[]) {
    super(
      `The face in ${field ? `image ${field}` : 'one of the images'} is not good enough to compare reliably` +
        `${issues.length > 0 ? ` (${issues.join(', ')})` : ''}. Send a sharper, well-lit photo facing the camera.`,
    );
    this.about({ field, operation: 'verify', issues });
  }
}

// ---- 401 / 402 / 403: the published envelope (catalogue), verbatim from the published contract ----------------------------------------------

export class UnauthorizedError extends AppError {
  readonly code = 'unauthorized';
  constructor() {
    super('API key is missing or invalid. Please provide a valid API key in the X-API-KEY header.');
  }
}

export class InsufficientBalanceError extends AppError {
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
    return { ...super.body(), current_balance: this.currentBalance, required_amount: this.requiredAmount };
  }
}

export class AccountSuspendedError extends AppError {
  readonly code = 'account_suspended';
  constructor() {
    super('Your account has been suspended. Please contact support to resolve this issue.');
  }
}

// ---- other 4xx ----------------------------------------------------------------------------------------------------

export class NotFoundError extends AppError {
  readonly code = 'not_found';
}

/** An account holds ACCOUNT_MAX_KEYS active keys already (the dashboard and the admin CLI; not a /v1 error). */
export class KeyLimitError extends AppError {
  readonly code = 'key_limit_reached';
  constructor(max: number) {
    super(
      `This account already has ${max} active API keys, the most allowed. Revoke one before creating another.`,
    );
  }
}

export class IdempotencyInProgressError extends AppError {
  readonly code = 'idempotency_in_progress';
  constructor() {
    super('A request with this Idempotency-Key is still being processed. Retry later to get its result.');
  }
  override headers(): Record<string, string> {
    return { 'Retry-After': '1' };
  }
}

export class PayloadTooLargeError extends AppError {
  readonly code = 'payload_too_large';
}

export class IdempotencyKeyReusedError extends AppError {
  readonly code = 'idempotency_key_reused';
  constructor() {
    super('This Idempotency-Key was already used with a different request. Use a new key for a new request.');
  }
}

export class RateLimitedError extends AppError {
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
  readonly code = 'internal_error';
  constructor() {
    super(
      'An unexpected error occurred. Nothing was charged. Please retry; contact support with the request id if it persists.',
    );
  }
}

export class EngineUnavailableError extends AppError {
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
  readonly code = 'engine_timeout';
  constructor() {
    super('The face engine did not answer in time. Nothing was charged. Please retry.');
  }
}
