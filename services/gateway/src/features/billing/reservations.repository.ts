import type { Executor, ReservationRow, ReservationStatus } from '../../platform/db/rows';
import { toInt, toIntOrNull } from '../../platform/db/rows';

const TABLE = 'reservations';

function mapReservation(row: Record<string, unknown>): ReservationRow {
  return {
    id: String(row.id),
    account_id: String(row.account_id),
    endpoint: row.endpoint as ReservationRow['endpoint'],
    amount_micros: toInt(row.amount_micros),
    status: row.status as ReservationStatus,
    request_id: String(row.request_id),
    key_id: (row.key_id ?? null) as string | null,
    created_at: toInt(row.created_at),
    settled_at: toIntOrNull(row.settled_at),
  };
}

export class ReservationsRepository {
  async insert(q: Executor, row: ReservationRow): Promise<void> {
    await q(TABLE).insert(row);
  }

  async findById(q: Executor, id: string): Promise<ReservationRow | undefined> {
    const row = (await q(TABLE).where({ id }).first()) as Record<string, unknown> | undefined;
    return row ? mapReservation(row) : undefined;
  }

  /** held → captured/released, exactly once: the status guard makes a second settlement a no-op (false). */
  async settle(q: Executor, id: string, status: 'captured' | 'released', now: number): Promise<boolean> {
    const affected = await q(TABLE).where({ id, status: 'held' }).update({ status, settled_at: now });
    return affected === 1;
  }

  async findHeldBefore(q: Executor, createdBefore: number, limit: number): Promise<ReservationRow[]> {
    const rows = (await q(TABLE)
      .where('status', 'held')
      .andWhere('created_at', '<', createdBefore)
      .orderBy('created_at')
      .limit(limit)) as Record<string, unknown>[];
    return rows.map(mapReservation);
  }

  async countHeld(q: Executor, accountId?: string): Promise<number> {
    const query = q(TABLE).where('status', 'held');
    if (accountId) query.andWhere('account_id', accountId);
    const row = (await query.count({ n: '*' }).first()) as { n: unknown } | undefined;
    return toInt(row?.n ?? 0);
  }
}
