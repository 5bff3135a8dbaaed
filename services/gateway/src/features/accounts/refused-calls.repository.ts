import type { Executor } from '../../platform/db/rows';
import { toInt } from '../../platform/db/rows';

const TABLE = 'refused_calls';

export interface RefusedCallRow {
  id: number;
  account_id: string;
  key_id: string | null;
  endpoint: string;
  status: number;
  code: string;
  created_at: number;
}

export interface RefusedCallFilter {
  since: number;
  beforeId?: number;
  keyId?: string;
  endpoint?: string;
  limit: number;
}

function mapRow(row: Record<string, unknown>): RefusedCallRow {
  return {
    id: toInt(row.id),
    account_id: String(row.account_id),
    key_id: (row.key_id ?? null) as string | null,
    endpoint: String(row.endpoint),
    status: toInt(row.status),
    code: String(row.code),
    created_at: toInt(row.created_at),
  };
}

/** Refused API calls per account (see the keys_usage_console migration): time, route, key, status, code only. */
export class RefusedCallsRepository {
  async insert(q: Executor, row: Omit<RefusedCallRow, 'id'>): Promise<void> {
    await q(TABLE).insert(row);
  }

  /** Newest first; `beforeId` is the cursor. */
  async page(q: Executor, accountId: string, filter: RefusedCallFilter): Promise<RefusedCallRow[]> {
    const query = q(TABLE).where({ account_id: accountId }).andWhere('created_at', '>=', filter.since);
    if (filter.beforeId !== undefined) query.andWhere('id', '<', filter.beforeId);
    if (filter.keyId !== undefined) query.andWhere('key_id', filter.keyId);
    if (filter.endpoint !== undefined) query.andWhere('endpoint', filter.endpoint);
    const rows = (await query.orderBy('id', 'desc').limit(filter.limit)) as Record<string, unknown>[];
    return rows.map(mapRow);
  }

  async countSince(q: Executor, accountId: string, since: number): Promise<number> {
    const row = (await q(TABLE)
      .where({ account_id: accountId })
      .andWhere('created_at', '>=', since)
      .count({ n: '*' })
      .first()) as { n: unknown } | undefined;
    return toInt(row?.n ?? 0);
  }

  /** Retention: deletes rows older than `before` (bounded per call, so one sweep never holds long locks). */
  async deleteOlderThan(q: Executor, before: number, batch = 5_000): Promise<number> {
    const ids = await q(TABLE)
      .where('created_at', '<', before)
      .orderBy('id')
      .limit(batch)
      .select<Record<string, unknown>[]>('id');
    if (ids.length === 0) return 0;
    return q(TABLE)
      .whereIn(
        'id',
        ids.map((r) => toInt(r.id)),
      )
      .delete();
  }
}
