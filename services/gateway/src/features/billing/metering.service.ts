import type { Knex } from 'knex';
import type { Endpoint } from '../../platform/config';
import type { Db } from '../../platform/db/connection';
import type { AccountRow } from '../../platform/db/rows';
import { NotFoundError } from '../../platform/errors/app-error';
import type { Logger } from '../../platform/logger';
import { microsToDollars } from '../../platform/lib/money';
import type { AccountsRepository } from '../accounts/accounts.repository';
import type { BillingService, Hold, SettleEffect, Settlement } from './billing.service';

export interface RequestContext {
  accountId: string;
  requestId: string;
  /** The API key that made the call, recorded with its charge; absent for the dashboard's playground. */
  keyId?: string | null;
  /** The account as authentication read it (Principal.account): the precheck uses it instead of reading again. */
  account?: AccountRow;
}

/** What a metered piece of work reports: whether it earned a charge, and its body given the amount charged. */
export interface MeteredOutcome {
  billable: boolean;
  render(chargedDollars: number): Record<string, unknown>;
}

/** What a call cost and the balance it left (available: balance minus holds); http/respond.ts makes the headers. */
export interface Charge {
  chargedMicros: number;
  availableMicros: number;
}

/** A billed answer: its body and its charge. */
export interface Billed {
  body: Record<string, unknown>;
  charge: Charge;
}

/** Options of one metered call: `record` commits with the settlement (see SettleEffect). */
export interface MeterOptions {
  record?: (trx: Knex.Transaction, result: Billed, settlement: Settlement) => Promise<void>;
}

export interface MeteringDeps {
  db: Db;
  accounts: AccountsRepository;
  billing: BillingService;
  logger: Logger;
  /** Counts calls in progress in `metered` (the process's Lifecycle): shutdown waits until none is left. */
  lifecycle?: { metered?: number };
}

/**
 * Success-only billing around one engine call: reserve the price (402 when short), run the work, then capture on a
 * billable outcome and release on anything else, errors included. The answer carries its cost and the balance left.
 */
export class MeteringService {
  constructor(private readonly deps: MeteringDeps) {}

  /**
   * 402 (or 403) before any image is downloaded or decoded, when the account cannot pay for the cheapest of
   * `endpoints`: a caller without funds gets no downloads (the API is no free port scanner) and no work. A read,
   * not a hold: concurrent calls may all pass it, and the reservation in run() still decides. The account is the
   * one authentication read (ctx.account) when there is one, else read here; it is returned for run(): its prices
   * are the ones reserved.
   */
  async precheck(ctx: RequestContext, endpoints: readonly Endpoint[]): Promise<AccountRow> {
    const { accounts, billing, db } = this.deps;
    const account = ctx.account ?? (await accounts.findById(db, ctx.accountId));
    if (!account) throw new NotFoundError('Account not found.');
    billing.assertCanPay(account, Math.min(...endpoints.map((e) => billing.priceOf(account, e))));
    return account;
  }

  /**
   * `account` is the precheck's read (not read again: the price comes from it, and the reservation's conditional
   * UPDATE decides whether the account can pay, whatever changed since).
   */
  async run(
    ctx: RequestContext,
    endpoint: Endpoint,
    account: AccountRow,
    work: () => Promise<MeteredOutcome>,
    options: MeterOptions = {},
  ): Promise<Billed> {
    const lifecycle = this.deps.lifecycle;
    if (lifecycle) lifecycle.metered = (lifecycle.metered ?? 0) + 1;
    try {
      return await this.meter(ctx, endpoint, account, work, options);
    } finally {
      if (lifecycle) lifecycle.metered = (lifecycle.metered ?? 1) - 1;
    }
  }

  private async meter(
    ctx: RequestContext,
    endpoint: Endpoint,
    account: AccountRow,
    work: () => Promise<MeteredOutcome>,
    options: MeterOptions,
  ): Promise<Billed> {
    const { billing, logger } = this.deps;
    const price = billing.priceOf(account, endpoint);
    // The work (an engine call, its images already checked) starts as soon as the funds are held, while the hold
    // commits; once only, even when the transaction is retried. When the hold does not commit, its result is dropped.
    let started: Promise<MeteredOutcome> | undefined;
    const start = () => {
      if (started) return;
      started = work();
      started.catch(() => undefined);
    };
    const hold = await billing.reserve(
      ctx.accountId,
      endpoint,
      price,
      ctx.requestId,
      ctx.keyId ?? null,
      start,
    );

    let outcome: MeteredOutcome;
    try {
      outcome = await (started ?? work());
    } catch (error) {
      await this.releaseQuietly(hold, ctx);
      throw error;
    }
    const record = options.record;
    const effect: SettleEffect | undefined = record
      ? (trx, settled) => record(trx, settledResult(outcome, settled), settled)
      : undefined;
    let settlement: Settlement;
    try {
      settlement = outcome.billable
        ? await billing.capture(hold, effect)
        : await billing.release(hold, effect);
    } catch (error) {
      // The settlement rolled back (a database failure, or `record` refusing: a batch item taken over by another
      // worker). Nothing was charged: give the hold back now rather than after the reaper's TTL.
      await this.releaseQuietly(hold, ctx);
      throw error;
    }
    logger.info(
      {
        req_id: ctx.requestId,
        account_id: ctx.accountId,
        endpoint,
        charged_micros: settlement.chargedMicros,
      },
      'metered request settled',
    );
    return settledResult(outcome, settlement);
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

/** The answer of a settled call: its body given the amount charged, and the charge. */
function settledResult(outcome: MeteredOutcome, settlement: Settlement): Billed {
  return {
    body: outcome.render(microsToDollars(settlement.chargedMicros)),
    charge: { chargedMicros: settlement.chargedMicros, availableMicros: settlement.availableMicros },
  };
}
