import type { Request, Response } from 'express';
import type { HttpResult } from './result';
import { type IdempotencyService, requestHash } from '../../features/idempotency/idempotency.service';
import type { RequestContext } from '../../features/billing/metering.service';

export function send(res: Response, result: HttpResult): void {
  res.status(result.status).set(result.headers).json(result.body);
}

/**
 * Runs a POST's work once per Idempotency-Key when the request has one (a repeat gets the stored result), else
 * simply runs it. The key was validated and the body parsed by the caller: an invalid request creates no record.
 */
export function runIdempotent(
  idempotency: IdempotencyService,
  req: Request,
  call: RequestContext & { key: string | undefined; body: unknown },
  work: () => Promise<HttpResult>,
): Promise<HttpResult> {
  const { key, body, ...ctx } = call;
  if (!key) return work();
  return idempotency.run(
    { ...ctx, key, requestHash: requestHash(req.method, req.baseUrl + req.path, body) },
    work,
  );
}
