import type { ErrorRequestHandler, RequestHandler } from 'express';
import { NotFoundError } from '../errors/app-error';
import { renderError, toAppError } from '../errors/render';
import type { Logger } from '../logger';
import './locals';

export function notFound(): RequestHandler {
  return (req) => {
    throw new NotFoundError(`No route for ${req.method} ${req.path}.`);
  };
}

/** The one place errors become responses: taxonomy errors as their public shape, anything else a generic 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const { appError, unexpected } = toAppError(error);
    const requestId = res.locals.requestId;
    if (unexpected) logger.error({ err: error, req_id: requestId }, 'unexpected error');
    const rendered = renderError(appError, requestId);
    // An unread body (e.g. refused before parsing) must not be taken as the next request on this connection.
    if (!res.req.complete) res.setHeader('Connection', 'close');
    res.status(rendered.status).set(rendered.headers).json(rendered.body);
  };
}
