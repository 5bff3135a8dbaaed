import { API_ERRORS, type ApiErrorCode } from './generated/errors';
import type { components } from './generated/openapi';

export { API_ERRORS, type ApiErrorCode };

type Schemas = components['schemas'];

/** What every SDK error carries. `status` is absent for errors that never got an HTTP answer. */
export class DeepFaceError extends Error {
  override readonly name: string = 'DeepFaceError';
  constructor(
    message: string,
    /** Stable code: the API's `result` (e.g. `invalid_image`), or `connection_error` / `timeout`. */
    readonly code: string,
    readonly status?: number,
    /** The request id (X-Request-Id): quote it to support. */
    readonly requestId?: string,
    /** The parsed response body, when there was one. */
    readonly body?: unknown,
    /**
     * What to do about it, in one sentence for people (the body's `hint`): it names an image by its role, e.g.
     * "Selfie: use a photo with only one person in it, or crop it to that face.". Absent when the error got no
     * answer from the API.
     */
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The server could not be reached (DNS, refused, reset) after every retry. */
export class ConnectionError extends DeepFaceError {
  override readonly name = 'ConnectionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'connection_error');
    if (options?.cause) this.cause = options.cause;
  }
}

/** No answer within `timeoutMs` (after every retry). */
export class TimeoutError extends DeepFaceError {
  override readonly name = 'TimeoutError';
  constructor(timeoutMs: number) {
    super(`No answer within ${timeoutMs} ms.`, 'timeout');
  }
}

/** An HTTP error answer of the API. */
export class ApiError extends DeepFaceError {
  override readonly name: string = 'ApiError';
  declare readonly status: number;
}

/** 400: the request or an image cannot be used (`invalid_input`, `invalid_image`, `id_required`, `selfie_required`). */
export class BadRequestError extends ApiError {
  override readonly name = 'BadRequestError';
  declare readonly code: Schemas['BadRequestError']['result'];
}
/** 401: the API key is missing, malformed, unknown or revoked. */
export class AuthenticationError extends ApiError {
  override readonly name = 'AuthenticationError';
}
/** 402: the available balance is below the price of the request. */
export class InsufficientBalanceError extends ApiError {
  override readonly name = 'InsufficientBalanceError';
  get currentBalance(): number {
    return (this.body as Schemas['PaymentRequiredError']).current_balance;
  }
  get requiredAmount(): number {
    return (this.body as Schemas['PaymentRequiredError']).required_amount;
  }
}
/** 403: the account is suspended. */
export class AccountSuspendedError extends ApiError {
  override readonly name = 'AccountSuspendedError';
}
export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError';
}
/** 409 (same key still running) or 422 (key reused with another request). */
export class IdempotencyError extends ApiError {
  override readonly name = 'IdempotencyError';
}
export class PayloadTooLargeError extends ApiError {
  override readonly name = 'PayloadTooLargeError';
}
/** 429: over the key's rate limit. */
export class RateLimitError extends ApiError {
  override readonly name = 'RateLimitError';
  retryAfterS?: number;
}
/** 500: unexpected server error (nothing charged). */
export class InternalServerError extends ApiError {
  override readonly name = 'InternalServerError';
}
/** 503: engine or database unavailable (nothing charged). */
export class ServiceUnavailableError extends ApiError {
  override readonly name = 'ServiceUnavailableError';
  retryAfterS?: number;
}
/** 504: the engine did not answer in time (nothing charged). */
export class EngineTimeoutError extends ApiError {
  override readonly name = 'EngineTimeoutError';
}

const BY_STATUS: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: InsufficientBalanceError,
  403: AccountSuspendedError,
  404: NotFoundError,
  409: IdempotencyError,
  413: PayloadTooLargeError,
  422: IdempotencyError,
  429: RateLimitError,
  500: InternalServerError,
  503: ServiceUnavailableError,
  504: EngineTimeoutError,
};

/** The code of each published body (401/402/403), which carries no `result`: from the API's error list. */
const CODE_OF_PUBLISHED: Record<number, string> = Object.fromEntries(
  Object.entries(API_ERRORS)
    .filter(([, entry]) => entry.envelope === 'published')
    .map(([code, entry]) => [entry.status, code]),
);

/** The typed error for an HTTP error answer. */
export function errorFromResponse(
  status: number,
  body: unknown,
  requestId?: string,
  retryAfterS?: number,
): ApiError {
  const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const code =
    typeof record.result === 'string' ? record.result : (CODE_OF_PUBLISHED[status] ?? `http_${status}`);
  const message = typeof record.message === 'string' ? record.message : `HTTP ${status}`;
  const hint = typeof record.hint === 'string' ? record.hint : undefined;
  const Class = BY_STATUS[status] ?? (status >= 500 ? InternalServerError : ApiError);
  const error = new Class(
    message,
    code,
    status,
    requestId ?? (record.request_id as string | undefined),
    body,
    hint,
  );
  if (error instanceof RateLimitError || error instanceof ServiceUnavailableError)
    error.retryAfterS = retryAfterS;
  return error;
}
