import { formatSize } from '@deepface/media';
import {
  AppError,
  InternalError,
  PayloadTooLargeError,
  InvalidInputError,
  ServiceUnavailableError,
} from './app-error';
import { isDatabaseUnavailable } from './db-errors';
import { hintFor } from './catalogue';

export interface RenderedResponse {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/**
 * Maps any thrown value onto the taxonomy. Known infrastructure failures (body parser, database outage) are
 * translated here so that every route gets the same answer; everything unknown becomes a 500.
 */
export function toAppError(error: unknown): { appError: AppError; unexpected: boolean } {
  if (error instanceof AppError) return { appError: error, unexpected: false };
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') {
    const limit = (error as { limit?: number }).limit;
    const shown = limit ? ` (limit ${formatSize(limit)})` : '';
    return { appError: new PayloadTooLargeError(`Request body is too large${shown}.`), unexpected: false };
  }
  if (type === 'entity.parse.failed') {
    return { appError: new InvalidInputError('Request body is not valid JSON.'), unexpected: false };
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return { appError: new InvalidInputError('Request body must be UTF-8 JSON.'), unexpected: false };
  }
  if (type === 'request.aborted' || type === 'request.size.invalid') {
    return { appError: new InvalidInputError('Request body was incomplete.'), unexpected: false };
  }
  if (isDatabaseUnavailable(error)) return { appError: new ServiceUnavailableError(), unexpected: true };
  return { appError: new InternalError(), unexpected: true };
}

/** The public body: the error's own shape, plus what to do (`hint`, additive) and the request id. */
export function renderError(error: AppError, requestId: string): RenderedResponse {
  return {
    status: error.status,
    body: { ...error.body(), hint: hintFor(error.code, error.image), request_id: requestId },
    headers: error.headers(),
  };
}
