import type { Executor, IdempotencyRow } from '../../platform/db/rows';
import { toInt, toIntOrNull } from '../../platform/db/rows';

const TABLE = 'idempotency_keys';

function mapRow(row: Record<string, unknown>): IdempotencyRow {
  return {
    id: toInt(row.id),
    account_id: String(row.account_id),
    idem_key: String(row.idem_key),
    request_hash: String(row.request_hash),
    state: row.state as IdempotencyRow['state'],
    response_status: toIntOrNull(row.response_status),
    response_body: (row.response_body ?? null) as string | null,
    response_headers: (row.response_headers ?? null) as string | null,
    created_at: toInt(row.created_at),
    locked_until: toInt(row.locked_until),
    expires_at: toInt(row.expires_at),
  };
}

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

export class IdempotencyRepository {
  /** Claims the key for this request; false when a record already exists (unique index decides races). */
  async tryInsert(
    q: Executor,
    row: Omit<IdempotencyRow, 'id' | 'response_status' | 'response_body' | 'response_headers'>,
  ): Promise<boolean> {
    try {
      await q(TABLE).insert({ ...row, response_status: null, response_body: null, response_headers: null });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async find(q: Executor, accountId: string, key: string): Promise<IdempotencyRow | undefined> {
    const row = (await q(TABLE).where({ account_id: accountId, idem_key: key }).first()) as
      Record<string, unknown> | undefined;
    return row ? mapRow(row) : undefined;
  }

  /** Takes over a record whose owner's lease ran out (it crashed or hung); only one contender wins. */
  async takeOver(
    q: Executor,
    id: number,
    expectedLockedUntil: number,
    lockedUntil: number,
  ): Promise<boolean> {
    const affected = await q(TABLE)
      .where({ id, state: 'in_progress', locked_until: expectedLockedUntil })
      .update({ locked_until: lockedUntil });
    return affected === 1;
  }

  /** Stores the outcome; fenced by the owner's lease, so an owner that lost its lease changes nothing. */
  async complete(
    q: Executor,
    owner: { accountId: string; key: string; lease: number },
    response: { status: number; body: string; headers: string },
  ): Promise<boolean> {
    const affected = await q(TABLE)
      .where({
        account_id: owner.accountId,
        idem_key: owner.key,
        state: 'in_progress',
        locked_until: owner.lease,
      })
      .update({
        state: 'completed',
        response_status: response.status,
        response_body: response.body,
        response_headers: response.headers,
      });
    return affected === 1;
  }

  /** Forgets an attempt whose outcome must not be replayed (a 5xx, a 402): the key can be retried. Fenced. */
  async remove(q: Executor, owner: { accountId: string; key: string; lease: number }): Promise<void> {
    await q(TABLE)
      .where({
        account_id: owner.accountId,
        idem_key: owner.key,
        state: 'in_progress',
        locked_until: owner.lease,
      })
      .delete();
  }

  async purgeExpired(q: Executor, now: number, limit = 1000): Promise<number> {
    const ids = (await q(TABLE).where('expires_at', '<', now).select('id').limit(limit)) as Array<{
      id: unknown;
    }>;
    if (ids.length === 0) return 0;
    return q(TABLE)
      .whereIn(
        'id',
        ids.map((r) => toInt(r.id)),
      )
      .delete();
  }
}
