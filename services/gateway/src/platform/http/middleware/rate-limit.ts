import type { RequestHandler, Response } from 'express';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AccountRateLimitedError, RateLimitedError } from '../../errors/app-error';
import type { Logger } from '../../logger';
import '../locals';

type Policy = 'per-key' | 'per-account';

interface Counted {
  policy: Policy;
  limiter: RateLimiterAbstract;
  state: RateLimiterRes;
}

// IETF draft-ietf-httpapi-ratelimit-headers (structured fields): one list item per policy, quota q per window w;
// remaining r, reset t.
function setHeaders(res: Response, counted: Counted[]): void {
  const resetS = (state: RateLimiterRes) => Math.max(0, Math.ceil(state.msBeforeNext / 1000));
  res.setHeader(
    'RateLimit-Policy',
    counted.map((c) => `"${c.policy}";q=${c.limiter.points};w=${c.limiter.duration}`).join(', '),
  );
  res.setHeader(
    'RateLimit',
    counted
      .map((c) => `"${c.policy}";r=${Math.max(0, c.state.remainingPoints)};t=${resetS(c.state)}`)
      .join(', '),
  );
}

/**
 * Per API key, then per account: one account's keys share the account's budget. Each limiter is Redis-backed with
 * an in-process insurance limiter, or in-process only. The account is not charged a point when its key is refused.
 */
export function rateLimit(
  keyLimiter: RateLimiterAbstract,
  accountLimiter: RateLimiterAbstract,
  logger: Logger,
): RequestHandler {
  return async (_req, res, next) => {
    const principal = res.locals.principal;
    if (!principal) return next();
    const counted: Counted[] = [];
    const checks: Array<[Policy, RateLimiterAbstract, string]> = [
      ['per-key', keyLimiter, principal.keyId],
      ['per-account', accountLimiter, principal.accountId],
    ];
    for (const [policy, limiter, key] of checks) {
      try {
        counted.push({ policy, limiter, state: await limiter.consume(key, 1) });
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) {
          // Limiter store broken and no insurance: serve rather than fail (billing does not depend on it).
          logger.warn({ err: rejection, req_id: res.locals.requestId, policy }, 'rate limiter unavailable');
          continue;
        }
        setHeaders(res, [...counted, { policy, limiter, state: rejection }]);
        const retryAfterS = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw policy === 'per-key'
          ? new RateLimitedError(retryAfterS)
          : new AccountRateLimitedError(retryAfterS);
      }
    }
    if (counted.length > 0) setHeaders(res, counted);
    return next();
  };
}
