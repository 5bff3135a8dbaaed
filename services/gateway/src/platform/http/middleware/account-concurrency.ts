import type { RequestHandler, Response } from 'express';
import type { AccountSlots } from '../../redis/account-slots';
import { RateLimitedError } from '../../errors/app-error';
import '../locals';

class AccountBusyError extends RateLimitedError {
  constructor() {
    super(1);
    this.message = 'Too many requests in flight for this account. Retry after 1 s.';
  }
}

/**
 * Per-account cap on requests in flight (max 0 = none): however many keys an account holds, it cannot occupy every
 * connection and engine slot. Counted from authentication to the end of the response, across every gateway
 * instance when the slots live in Redis.
 */
export function accountConcurrency(max: number, slots: AccountSlots): RequestHandler {
  return async (_req, res, next) => {
    const accountId = res.locals.principal?.accountId;
    if (max <= 0 || !accountId) return next();
    if (await holdAccountSlot(slots, accountId, res)) next();
  };
}

/**
 * Takes one of the account's slots until `res` ends (429 when it holds them all); false when the client has gone
 * meanwhile. Also used by the dashboard playground, whose calls are the account's too.
 */
export async function holdAccountSlot(
  slots: AccountSlots,
  accountId: string,
  res: Response,
): Promise<boolean> {
  const release = await slots.acquire(accountId);
  if (!release) throw new AccountBusyError();
  // The client may have gone while the slot was being taken: its 'close' has then been emitted already.
  if (res.closed) {
    release();
    return false;
  }
  res.once('finish', release);
  res.once('close', release);
  return true;
}
