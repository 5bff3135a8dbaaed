import type { Knex } from 'knex';
import type { Config, Endpoint } from '../../platform/config';
import type { Db } from '../../platform/db/connection';
import { withTransaction } from '../../platform/db/transaction';
import {
  AccountSuspendedError,
  InsufficientBalanceError,
  NotFoundError,
} from '../../platform/errors/app-error';
import { newId } from '../../platform/lib/ids';
import { microsToDollars } from '../../platform/lib/money';
import type { AccountsRepository } from '../accounts/accounts.repository';
import type { LedgerRepository } from './ledger.repository';
import type { ReservationsRepository } from './reservations.repository';
import type { AccountRow, ReservationRow } from '../../platform/db/rows';

export interface Hold {
  reservation: ReservationRow;
}

export interface Settlement {
  /** False when the reservation had already been settled (by the reaper or an earlier call). */
  settled: boolean;
  /** Micros taken from the balance (0 on release). */
  chargedMicros: number;
  /** Available balance (balance - reserved) after settlement. */
  availableMicros: number;
}

/**
 * Work committed in the same transaction as a settlement (a batch item's result, so that an item is charged
 * exactly once even when its worker dies): it sees whether this call settled and what it charged.
 */
export type SettleEffect = (trx: Knex.Transaction, settlement: Settlement) => Promise<void>;

export interface BillingDeps {
  db: Db;
  accounts: AccountsRepository;
  reservations: ReservationsRepository;
  ledger: LedgerRepository;
  config: Pick<Config, 'billing'>;
  now?: () => number;
}

/**
 * Money moves only here, each movement in one transaction with its ledger entry:
 * reserve before the engine call, then capture (billable success) or release (anything else).
 */
export class BillingService {
  private readonly now: () => number;

  constructor(private readonly deps: BillingDeps) {
    this.now = deps.now ?? Date.now;
  }

  priceOf(account: AccountRow, endpoint: Endpoint): number {
    const override = {
      verify: account.price_verify_micros,
      analyze: account.price_analyze_micros,
      lookalike: account.price_lookalike_micros,
    }[endpoint];
    return override ?? this.deps.config.billing.defaultPrices[endpoint];
  }

  /**
   * 403 unless active, 402 unless the available balance covers `amount`: a read, not a hold, for refusing work
   * early (before downloads, or a batch submission). The reservation stays the authority on money.
   */
  assertCanPay(account: AccountRow, amount: number): void {
    if (account.status !== 'active') throw new AccountSuspendedError();
    const available = account.balance_micros - account.reserved_micros;
    if (available < amount) {
      throw new InsufficientBalanceError(microsToDollars(Math.max(0, available)), microsToDollars(amount));
    }
  }

  /**
   * Holds the price of one request; throws 402 (or 403 when suspended meanwhile) without holding anything.
   * `keyId`, the API key that made the call (none from the playground), goes on the hold and its ledger entries.
   * `onHeld` is called once the conditional UPDATE has taken the funds, while the transaction commits: the caller
   * may start work that needs no database meanwhile (the commit's log flush), and settles only after this resolves.
   * If the commit then fails, nothing was held and this throws: the work's result must be dropped.
   */
  async reserve(
    accountId: string,
    endpoint: Endpoint,
    amount: number,
    requestId: string,
    keyId: string | null = null,
    onHeld?: () => void,
  ): Promise<Hold> {
    const { db, accounts, reservations, ledger } = this.deps;
    const result = await withTransaction(db, async (trx) => {
      const now = this.now();
      if (!(await accounts.tryHold(trx, accountId, amount, now))) {
        // Only to explain the refusal: the decision was the conditional UPDATE above.
        const account = await accounts.findById(trx, accountId);
        return { held: false as const, account };
      }
      const reservation: ReservationRow = {
        id: newId('rsv'),
        account_id: accountId,
        endpoint,
        amount_micros: amount,
        status: 'held',
        request_id: requestId,
        key_id: keyId,
        created_at: now,
        settled_at: null,
      };
      await reservations.insert(trx, reservation);
      await ledger.append(trx, {
        account_id: accountId,
        type: 'reserve',
        amount_micros: amount,
        balance_delta_micros: 0,
        reserved_delta_micros: amount,
        endpoint,
        reservation_id: reservation.id,
        request_id: requestId,
        reason: null,
        key_id: keyId,
        created_at: now,
      });
      onHeld?.();
      return { held: true as const, reservation };
    });
    if (result.held) return { reservation: result.reservation };
    const account = result.account;
    if (!account) throw new NotFoundError('Account not found.');
    if (account.status !== 'active') throw new AccountSuspendedError();
    throw new InsufficientBalanceError(
      microsToDollars(Math.max(0, account.balance_micros - account.reserved_micros)),
      microsToDollars(amount),
    );
  }

  capture(hold: Hold, effect?: SettleEffect): Promise<Settlement> {
    return this.settle(hold.reservation, 'captured', effect);
  }

  release(hold: Hold, effect?: SettleEffect): Promise<Settlement> {
    return this.settle(hold.reservation, 'released', effect);
  }

  /** Exactly once per reservation: a second settlement (e.g. the reaper racing a slow request) changes nothing. */
  private async settle(
    reservation: ReservationRow,
    outcome: 'captured' | 'released',
    effect?: SettleEffect,
  ): Promise<Settlement> {
    const { db, accounts, reservations, ledger } = this.deps;
    return withTransaction(db, async (trx) => {
      const now = this.now();
      const capture = outcome === 'captured';
      const settled = await reservations.settle(trx, reservation.id, outcome, now);
      if (settled) {
        const amount = reservation.amount_micros;
        await accounts.settleHold(trx, reservation.account_id, amount, capture, now);
        await ledger.append(trx, {
          account_id: reservation.account_id,
          type: capture ? 'capture' : 'release',
          amount_micros: amount,
          balance_delta_micros: capture ? -amount : 0,
          reserved_delta_micros: -amount,
          endpoint: reservation.endpoint,
          reservation_id: reservation.id,
          request_id: reservation.request_id,
          reason: null,
          key_id: reservation.key_id,
          created_at: now,
        });
      }
      const account = await accounts.findById(trx, reservation.account_id);
      const settlement: Settlement = {
        settled,
        chargedMicros: settled && capture ? reservation.amount_micros : 0,
        availableMicros: account ? account.balance_micros - account.reserved_micros : 0,
      };
      if (effect) await effect(trx, settlement);
      return settlement;
    });
  }

  /** Admin adjustments: a credit or a debit, each with a reason in the ledger. */
  async adjust(
    accountId: string,
    type: 'credit' | 'debit',
    amount: number,
    reason: string,
  ): Promise<AccountRow> {
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new RangeError('amount must be positive');
    const { db, accounts, ledger } = this.deps;
    return withTransaction(db, async (trx) => {
      const now = this.now();
      const ok =
        type === 'credit'
          ? await accounts.credit(trx, accountId, amount, now)
          : await accounts.tryDebit(trx, accountId, amount, now);
      if (!ok) {
        const exists = await accounts.findById(trx, accountId);
        if (!exists) throw new NotFoundError(`Account ${accountId} not found.`);
        throw new InsufficientBalanceError(
          microsToDollars(exists.balance_micros - exists.reserved_micros),
          microsToDollars(amount),
        );
      }
      await ledger.append(trx, {
        account_id: accountId,
        type,
        amount_micros: amount,
        balance_delta_micros: type === 'credit' ? amount : -amount,
        reserved_delta_micros: 0,
        endpoint: null,
        reservation_id: null,
        request_id: null,
        reason,
        key_id: null,
        created_at: now,
      });
      return (await accounts.findById(trx, accountId))!;
    });
  }

  /**
   * Releases reservations older than the TTL: a request can never run that long, so its process died between
   * reserve and settle. Safe with several gateways reaping at once (settlement is guarded by status).
   */
  async reapStale(limit = 500): Promise<number> {
    const cutoff = this.now() - this.deps.config.billing.reservationTtlS * 1000;
    const stale = await this.deps.reservations.findHeldBefore(this.deps.db, cutoff, limit);
    let released = 0;
    for (const reservation of stale) {
      if ((await this.settle(reservation, 'released')).settled) released++;
    }
    return released;
  }
}
