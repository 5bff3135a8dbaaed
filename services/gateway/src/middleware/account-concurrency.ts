import type { RequestHandler } from 'express';
import { RateLimitedError } from '../errors/app-error';
import './locals';

class AccountBusyError extends RateLimitedError {
  constructor() {
    super(1);
    this.message = 'Too many requests in flight for this account. Retry after 1 s.';
  }
}

/**
 * Per-account cap on requests in flight in this process (0 = none): however many keys an account holds, it cannot
 * occupy every connection and engine slot of a gateway. Counted from authentication to the end of the response.
 */
export function accountConcurrency(max: number): RequestHandler {
  const inFlight = new Map<string, number>();
  return (_req, res, next) => {
    const accountId = res.locals.principal?.accountId;
    if (max <= 0 || !accountId) return next();
    const count = inFlight.get(accountId) ?? 0;
    if (count >= max) throw new AccountBusyError();
    inFlight.set(accountId, count + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (inFlight.get(accountId) ?? 1) - 1;
      if (left > 0) inFlight.set(accountId, left);
      else inFlight.delete(accountId);
    };
    res.once('finish', release);
    res.once('close', release);
    next();
  };
}
