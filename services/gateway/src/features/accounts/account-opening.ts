import type { Endpoint } from '../../platform/config';
import { newId } from '../../platform/lib/ids';
import type { AccountsRepository } from './accounts.repository';
import type { LedgerRepository } from '../billing/ledger.repository';
import type { AccountRow, Executor } from '../../platform/db/rows';

export interface NewAccount {
  name: string;
  email?: string | null;
  /** Opening balance in micros, recorded as a ledger credit. */
  balanceMicros?: number;
  prices?: Partial<Record<Endpoint, number>>;
}

/**
 * Inserts an active account and, when it opens with a balance, the ledger credit that funds it, in the caller's
 * transaction: the admin CLI's account:create and a dashboard sign-up (with its trial credit) open accounts alike.
 */
export async function openAccount(
  trx: Executor,
  repos: { accounts: AccountsRepository; ledger: LedgerRepository },
  input: NewAccount & { creditReason: string; now: number },
): Promise<AccountRow> {
  const opening = input.balanceMicros ?? 0;
  const row: AccountRow = {
    id: newId('acct'),
    name: input.name,
    email: input.email ?? null,
    status: 'active',
    balance_micros: opening,
    reserved_micros: 0,
    price_verify_micros: input.prices?.verify ?? null,
    price_analyze_micros: input.prices?.analyze ?? null,
    price_lookalike_micros: input.prices?.lookalike ?? null,
    created_at: input.now,
    updated_at: input.now,
  };
  await repos.accounts.insert(trx, row);
  if (opening > 0)
    await repos.ledger.append(trx, {
      account_id: row.id,
      type: 'credit',
      amount_micros: opening,
      balance_delta_micros: opening,
      reserved_delta_micros: 0,
      endpoint: null,
      reservation_id: null,
      request_id: null,
      reason: input.creditReason,
      key_id: null,
      created_at: input.now,
    });
  return row;
}
