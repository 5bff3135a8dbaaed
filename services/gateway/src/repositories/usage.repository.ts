import type { Executor, LedgerType } from './types';
import { toInt } from './types';

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
}
