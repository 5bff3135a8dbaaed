import express, { type RequestHandler } from 'express';
import { InvalidInputError } from '../../errors/app-error';

/**
 * JSON bodies only, size-capped (413 in the error envelope). Runs after authentication.
 * A POST without a JSON Content-Type is refused instead of silently seen as an empty body.
 */
export function jsonBody(limitBytes: number): RequestHandler[] {
  return [
    (req, _res, next) => {
      if (req.method === 'POST' && !req.is(['application/json', 'application/*+json'])) {
        throw new InvalidInputError('Request body must be JSON, sent with Content-Type: application/json.');
      }
      next();
    },
    express.json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'] }),
  ];
}
