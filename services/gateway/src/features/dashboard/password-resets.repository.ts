import type { Executor } from '../../platform/db/rows';
import { toInt } from '../../platform/db/rows';

const TABLE = 'password_resets';

export interface PasswordResetRow {
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export class PasswordResetsRepository {
  async insert(q: Executor, row: PasswordResetRow): Promise<void> {
    await q(TABLE).insert(row);
  }

  /** The user of a live link (unused, unexpired), or undefined. */
  async findLive(q: Executor, tokenHash: string, now: number): Promise<string | undefined> {
    const row: { user_id: unknown } | undefined = await q(TABLE)
      .where({ token_hash: tokenHash })
      .whereNull('used_at')
      .where('expires_at', '>', now)
      .first('user_id');
    return row ? String(row.user_id) : undefined;
  }

  /**
   * Spends a live link: one conditional UPDATE, so two requests with the same link cannot both succeed. True when
   * this call spent it.
   */
  async spend(q: Executor, tokenHash: string, now: number): Promise<boolean> {
    const updated = await q(TABLE)
      .where({ token_hash: tokenHash })
      .whereNull('used_at')
      .where('expires_at', '>', now)
      .update({ used_at: now });
    return toInt(updated) === 1;
  }

  /** Spends every live link of the user (a new request, a completed reset). */
  async spendAllForUser(q: Executor, userId: string, now: number): Promise<void> {
    await q(TABLE).where({ user_id: userId }).whereNull('used_at').update({ used_at: now });
  }

  async purgeExpired(q: Executor, now: number): Promise<number> {
    return q(TABLE).where('expires_at', '<', now).delete();
  }
}
