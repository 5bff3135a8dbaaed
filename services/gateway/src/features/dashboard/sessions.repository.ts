import type { Executor } from '../../platform/db/rows';
import { toInt } from '../../platform/db/rows';

const TABLE = 'sessions';

export interface SessionRow {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}

function mapSession(row: Record<string, unknown>): SessionRow {
  return {
    id_hash: String(row.id_hash),
    user_id: String(row.user_id),
    csrf_token: String(row.csrf_token),
    created_at: toInt(row.created_at),
    expires_at: toInt(row.expires_at),
    last_seen_at: toInt(row.last_seen_at),
  };
}

export class SessionsRepository {
  async insert(q: Executor, row: SessionRow): Promise<void> {
    await q(TABLE).insert(row);
  }

  async find(q: Executor, idHash: string): Promise<SessionRow | undefined> {
    const row = (await q(TABLE).where({ id_hash: idHash }).first()) as Record<string, unknown> | undefined;
    return row ? mapSession(row) : undefined;
  }

  async delete(q: Executor, idHash: string): Promise<void> {
    await q(TABLE).where({ id_hash: idHash }).delete();
  }

  /** Every session of the user but `keepIdHash` (when given); returns how many were deleted. */
  async deleteForUser(q: Executor, userId: string, keepIdHash?: string): Promise<number> {
    const query = q(TABLE).where({ user_id: userId });
    return (keepIdHash ? query.whereNot({ id_hash: keepIdHash }) : query).delete();
  }

  /** Written at most once a minute per session (see SessionsService), not on every request. */
  async touch(q: Executor, idHash: string, at: number): Promise<void> {
    await q(TABLE).where({ id_hash: idHash }).update({ last_seen_at: at });
  }

  async purgeExpired(q: Executor, now: number): Promise<number> {
    return q(TABLE).where('expires_at', '<', now).delete();
  }
}
