import type { AccountRow, ApiKeyRow, Executor } from '../../platform/db/rows';
import { toInt, toIntOrNull } from '../../platform/db/rows';
import { ACCOUNT_COLUMNS, mapAccount } from './accounts.repository';

const TABLE = 'api_keys';

function mapKey(row: Record<string, unknown>): ApiKeyRow {
  return {
    id: String(row.id),
    account_id: String(row.account_id),
    name: (row.name ?? null) as string | null,
    mode: row.mode as ApiKeyRow['mode'],
    prefix: String(row.prefix),
    key_hash: String(row.key_hash),
    created_at: toInt(row.created_at),
    last_used_at: toIntOrNull(row.last_used_at),
    last_used_endpoint: (row.last_used_endpoint ?? null) as string | null,
    revoked_at: toIntOrNull(row.revoked_at),
  };
}

export interface KeyLookup {
  key: ApiKeyRow;
  /** The owning account's row, read in the same query. */
  account: AccountRow;
}

export class ApiKeysRepository {
  async insert(q: Executor, row: ApiKeyRow): Promise<void> {
    await q(TABLE).insert(row);
  }

  /** One indexed lookup by hash, with the owning account's row (its columns as `account_<column>`). */
  async findByHash(q: Executor, keyHash: string): Promise<KeyLookup | undefined> {
    const row = (await q(`${TABLE} as k`)
      .join('accounts as a', 'a.id', 'k.account_id')
      .where('k.key_hash', keyHash)
      .select('k.*', ...ACCOUNT_COLUMNS.map((c) => `a.${c} as account_${c}`))
      .first()) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    return { key: mapKey(row), account: mapAccount(row, 'account_') };
  }

  async findById(q: Executor, id: string): Promise<ApiKeyRow | undefined> {
    const row = (await q(TABLE).where({ id }).first()) as Record<string, unknown> | undefined;
    return row ? mapKey(row) : undefined;
  }

  async listByAccount(q: Executor, accountId: string): Promise<ApiKeyRow[]> {
    const rows = (await q(TABLE).where({ account_id: accountId }).orderBy('created_at')) as Record<
      string,
      unknown
    >[];
    return rows.map(mapKey);
  }

  async countActive(q: Executor, accountId: string): Promise<number> {
    const row = (await q(TABLE)
      .where({ account_id: accountId })
      .whereNull('revoked_at')
      .count({ n: '*' })
      .first()) as { n: unknown } | undefined;
    return toInt(row?.n ?? 0);
  }

  async revoke(q: Executor, id: string, now: number): Promise<boolean> {
    const affected = await q(TABLE).where({ id }).whereNull('revoked_at').update({ revoked_at: now });
    return affected === 1;
  }

  /** Active keys of an account (under the account lock when the caller is about to add one). */
  async listActive(q: Executor, accountId: string): Promise<ApiKeyRow[]> {
    const rows = (await q(TABLE).where({ account_id: accountId }).whereNull('revoked_at')) as Record<
      string,
      unknown
    >[];
    return rows.map(mapKey);
  }

  async rename(q: Executor, id: string, name: string): Promise<boolean> {
    return (await q(TABLE).where({ id }).update({ name })) === 1;
  }

  /** One UPDATE by primary key: the time and (when known) the route of the latest use. */
  async touchLastUsed(q: Executor, id: string, at: number, endpoint?: string): Promise<void> {
    await q(TABLE)
      .where({ id })
      .andWhereRaw('(last_used_at IS NULL OR last_used_at < ?)', [at])
      .update(
        endpoint === undefined ? { last_used_at: at } : { last_used_at: at, last_used_endpoint: endpoint },
      );
  }
}
