import type { Request, Response } from 'express';
import type { Billed, RequestContext } from '../features/billing/metering.service';
import { type IdempotencyService, requestHash } from '../features/idempotency/idempotency.service';
import type { HttpResult } from '../platform/response';
import { microsToDollars } from '../platform/lib/money';

// The one place where the services' results become HTTP: status, body and headers (billing, Location).

export function send(res: Response, result: HttpResult): void {
  res.status(result.status).set(result.headers).json(result.body);
}

/** A billed answer (live or sandbox): 200, its body, and its cost and the balance left in headers. */
export function billed(result: Billed): HttpResult {
  return {
    status: 200,
    body: result.body,
    headers: {
      'X-Billing-Charged': microsToDollars(result.charge.chargedMicros).toFixed(2),
      'X-Billing-Currency': 'USD',
      'X-Balance-Remaining': microsToDollars(result.charge.availableMicros).toFixed(2),
    },
  };
}

/** Work accepted to run later: 202 with the resource to poll. */
export function accepted(body: Record<string, unknown>, location: string): HttpResult {
  return { status: 202, body, headers: { Location: location } };
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
