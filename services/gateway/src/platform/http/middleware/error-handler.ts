import type { ErrorRequestHandler, RequestHandler } from 'express';
import { NotFoundError } from '../../errors/app-error';
import { renderError, toAppError } from '../../errors/render';
import type { Logger } from '../../logger';
import '../locals';

export function notFound(): RequestHandler {
  return (req) => {
    throw new NotFoundError(`No route for ${req.method} ${req.path}.`);
  };
}

/**
 * The one place errors become responses: taxonomy errors as their public shape, anything else a generic 500.
 * `drainLimitBytes`: an unread request body up to this size (declared by Content-Length) is read and discarded.
 */
export function errorHandler(logger: Logger, drainLimitBytes = 0): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const { appError, unexpected } = toAppError(error);
    const requestId = res.locals.requestId;
    if (unexpected) logger.error({ err: error, req_id: requestId }, 'unexpected error');
    const rendered = renderError(appError, requestId);
    // An unread body (refused before parsing: 401, 429…). Up to the body limit, Node discards it after the response
    // and keeps the connection: closing while the client still sends resets the socket, and the client often sees
    // ECONNRESET instead of this response (measured under load: a quarter of 429s to 266 KB requests were lost).
    // Bodies over the limit or of unknown length are not worth reading: close.
    if (!res.req.complete) {
      const length = Number(res.req.headers['content-length'] ?? NaN);
      if (!(length <= drainLimitBytes)) res.setHeader('Connection', 'close');
    }
    res.status(rendered.status).set(rendered.headers).json(rendered.body);
  };
}
