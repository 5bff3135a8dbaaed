import type { Endpoint } from '../config';
import type { Db } from '../db/connection';
import { NotFoundError } from '../errors/app-error';
import type { HttpResult } from '../http/result';
import type { Logger } from '../logger';
import { microsToDollars } from '../lib/money';
import type { AccountsRepository } from '../repositories/accounts.repository';
import type { BillingService, Hold } from './billing.service';

export interface RequestContext {
  accountId: string;
  requestId: string;
}

/** What a metered piece of work reports: whether it earned a charge, and its body given the amount charged. */
export interface MeteredOutcome {
  billable: boolean;
  render(chargedDollars: number): Record<string, unknown>;
}

export interface MeteringDeps {
  db: Db;
  accounts: AccountsRepository;
  billing: BillingService;
  logger: Logger;
}

/**
 * Success-only billing around one engine call: reserve the price (402 when short), run the work, then capture on a
 * billable outcome and release on anything else, errors included. Cost and remaining balance go in headers.
 */
export class MeteringService {
  constructor(private readonly deps: MeteringDeps) {}

  async run(
    ctx: RequestContext,
    endpoint: Endpoint,
    work: () => Promise<MeteredOutcome>,
  ): Promise<HttpResult> {
    const { billing, accounts, db, logger } = this.deps;
    const account = await accounts.findById(db, ctx.accountId);
    if (!account) throw new NotFoundError('Account not found.');
    const price = billing.priceOf(account, endpoint);
    const hold = await billing.reserve(ctx.accountId, endpoint, price, ctx.requestId);

    let outcome: MeteredOutcome;
    try {
      outcome = await work();
    } catch (error) {
      await this.releaseQuietly(hold, ctx);
      throw error;
    }
    const settlement = outcome.billable ? await billing.capture(hold) : await billing.release(hold);
    const charged = microsToDollars(settlement.chargedMicros);
    logger.info(
      {
        req_id: ctx.requestId,
        account_id: ctx.accountId,
        endpoint,
        charged_micros: settlement.chargedMicros,
      },
      'metered request settled',
    );
    return {
      status: 200,
      body: outcome.render(charged),
      headers: {
        'X-Billing-Charged': charged.toFixed(2),
        'X-Billing-Currency': 'USD',
        'X-Balance-Remaining': microsToDollars(settlement.availableMicros).toFixed(2),
      },
    };
  }

  /** On failure the hold must go back; if even that fails, the reaper releases it after the TTL. */
  private async releaseQuietly(hold: Hold, ctx: RequestContext): Promise<void> {
    try {
      await this.deps.billing.release(hold);
    } catch (error) {
      this.deps.logger.error(
        { err: error, req_id: ctx.requestId, reservation_id: hold.reservation.id },
        'could not release reservation; the reaper will',
      );
    }
  }
}
