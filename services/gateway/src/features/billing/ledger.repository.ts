import type { Executor, LedgerEntryRow, LedgerType } from '../../platform/db/rows';
import { toInt } from '../../platform/db/rows';

const TABLE = 'ledger_entries';

export type NewLedgerEntry = Omit<LedgerEntryRow, 'id'>;

function mapEntry(row: Record<string, unknown>): LedgerEntryRow {
  return {
    id: toInt(row.id),
    account_id: String(row.account_id),
    type: row.type as LedgerType,
    amount_micros: toInt(row.amount_micros),
    balance_delta_micros: toInt(row.balance_delta_micros),
    reserved_delta_micros: toInt(row.reserved_delta_micros),
    endpoint: (row.endpoint ?? null) as LedgerEntryRow['endpoint'],
    reservation_id: (row.reservation_id ?? null) as string | null,
    request_id: (row.request_id ?? null) as string | null,
    reason: (row.reason ?? null) as string | null,
    key_id: (row.key_id ?? null) as string | null,
    created_at: toInt(row.created_at),
  };
}

export interface Mismatch {
  account_id: string;
  balance_micros: number;
  ledger_balance_micros: number;
  reserved_micros: number;
  ledger_reserved_micros: number;
}

/** Append-only: there is no update or delete here, and database triggers refuse them anyway. */
export class LedgerRepository {
  async append(q: Executor, entry: NewLedgerEntry): Promise<void> {
    await q(TABLE).insert(entry);
  }

  /** Newest first; `beforeId` is the cursor (entries with a smaller id). */
  async page(
    q: Executor,
    accountId: string,
    opts: { beforeId?: number; limit: number; types?: LedgerType[] },
  ): Promise<LedgerEntryRow[]> {
    const query = q(TABLE).where({ account_id: accountId });
    if (opts.beforeId !== undefined) query.andWhere('id', '<', opts.beforeId);
    if (opts.types?.length) query.whereIn('type', opts.types);
    const rows = (await query.orderBy('id', 'desc').limit(opts.limit)) as Record<string, unknown>[];
    return rows.map(mapEntry);
  }

  async forReservation(q: Executor, reservationId: string): Promise<LedgerEntryRow[]> {
    const rows = (await q(TABLE).where({ reservation_id: reservationId }).orderBy('id')) as Record<
      string,
      unknown
    >[];
    return rows.map(mapEntry);
  }

  /** Accounts whose balance or reserved amount differs from the sum of their ledger (should be none, ever). */
  async reconcile(q: Executor, accountId?: string): Promise<Mismatch[]> {
    const sums = q(TABLE)
      .select('account_id')
      .sum({ ledger_balance: 'balance_delta_micros', ledger_reserved: 'reserved_delta_micros' })
      .groupBy('account_id')
      .as('l');
    const query = q('accounts as a')
      .leftJoin(sums, 'l.account_id', 'a.id')
      .select(
        'a.id as account_id',
        'a.balance_micros',
        'a.reserved_micros',
        'l.ledger_balance',
        'l.ledger_reserved',
      );
    if (accountId) query.where('a.id', accountId);
    const rows = (await query) as Record<string, unknown>[];
    return rows
      .map((r) => ({
        account_id: String(r.account_id),
        balance_micros: toInt(r.balance_micros),
        ledger_balance_micros: toInt(r.ledger_balance ?? 0),
        reserved_micros: toInt(r.reserved_micros),
        ledger_reserved_micros: toInt(r.ledger_reserved ?? 0),
      }))
      .filter(
        (r) => r.balance_micros !== r.ledger_balance_micros || r.reserved_micros !== r.ledger_reserved_micros,
      );
  }
}
