import type { Executor, LedgerEntryRow, LedgerType } from '../../platform/db/rows';
import { toInt } from '../../platform/db/rows';

export interface UsageEvent {
  type: LedgerType;
  endpoint: string | null;
  amount_micros: number;
  created_at: number;
}

/** Read-only queries over the ledger for the dashboard's charts. */
export class UsageRepository {
  /** Reserve and capture entries (one reserve per metered request) since `since`, oldest first. */
  async meteredSince(q: Executor, accountId: string, since: number, limit = 50_000): Promise<UsageEvent[]> {
    const rows = (await q('ledger_entries')
      .select('type', 'endpoint', 'amount_micros', 'created_at')
      .where({ account_id: accountId })
      .whereIn('type', ['reserve', 'capture'])
      .andWhere('created_at', '>=', since)
      .orderBy('id', 'asc')
      .limit(limit)) as Record<string, unknown>[];
    return rows.map((r) => ({
      type: r.type as LedgerType,
      endpoint: (r.endpoint ?? null) as string | null,
      amount_micros: toInt(r.amount_micros),
      created_at: toInt(r.created_at),
    }));
  }

  /**
   * The activity list: ledger entries of the given types since `since`, newest first, optionally of one endpoint
   * or one API key, before the cursor id. Uses the (account_id, id) index.
   */
  async activity(
    q: Executor,
    accountId: string,
    filter: {
      since: number;
      types: LedgerType[];
      endpoint?: string;
      keyId?: string;
      beforeId?: number;
      limit: number;
    },
  ): Promise<LedgerEntryRow[]> {
    const query = q('ledger_entries')
      .where({ account_id: accountId })
      .whereIn('type', filter.types)
      .andWhere('created_at', '>=', filter.since);
    if (filter.endpoint !== undefined) query.andWhere('endpoint', filter.endpoint);
    if (filter.keyId !== undefined) query.andWhere('key_id', filter.keyId);
    if (filter.beforeId !== undefined) query.andWhere('id', '<', filter.beforeId);
    const rows = (await query.orderBy('id', 'desc').limit(filter.limit)) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: toInt(r.id),
      account_id: String(r.account_id),
      type: r.type as LedgerType,
      amount_micros: toInt(r.amount_micros),
      balance_delta_micros: toInt(r.balance_delta_micros),
      reserved_delta_micros: toInt(r.reserved_delta_micros),
      endpoint: (r.endpoint ?? null) as LedgerEntryRow['endpoint'],
      reservation_id: (r.reservation_id ?? null) as string | null,
      request_id: (r.request_id ?? null) as string | null,
      reason: (r.reason ?? null) as string | null,
      key_id: (r.key_id ?? null) as string | null,
      created_at: toInt(r.created_at),
    }));
  }
}
