import type { RequestHandler, Response } from 'express';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimitedError } from '../errors/app-error';
import type { Logger } from '../logger';
import './locals';

const POLICY = 'per-key';

function setHeaders(res: Response, limit: number, windowS: number, state: RateLimiterRes): void {
  const resetS = Math.max(0, Math.ceil(state.msBeforeNext / 1000));
  // IETF draft-ietf-httpapi-ratelimit-headers (structured fields): quota q per window w; remaining r; reset t.
  res.setHeader('RateLimit-Policy', `"${POLICY}";q=${limit};w=${windowS}`);
  res.setHeader('RateLimit', `"${POLICY}";r=${Math.max(0, state.remainingPoints)};t=${resetS}`);
}

/** Per API key. The limiter is Redis-backed with an in-process insurance limiter, or in-process only. */
export function rateLimit(limiter: RateLimiterAbstract, logger: Logger): RequestHandler {
  return async (_req, res, next) => {
    const principal = res.locals.principal;
    if (!principal) return next();
    const limit = limiter.points;
    const windowS = limiter.duration;
    try {
      const state = await limiter.consume(principal.keyId, 1);
      setHeaders(res, limit, windowS, state);
      return next();
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        setHeaders(res, limit, windowS, rejection);
        throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      }
      // Limiter store broken and no insurance: serve rather than fail (billing does not depend on it).
      logger.warn({ err: rejection, req_id: res.locals.requestId }, 'rate limiter unavailable');
      return next();
    }
  };
}
