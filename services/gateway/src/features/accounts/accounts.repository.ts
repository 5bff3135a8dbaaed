import type { AccountRow, AccountStatus, Executor } from '../../platform/db/rows';
import { toInt, toIntOrNull } from '../../platform/db/rows';

const TABLE = 'accounts';

/** The accounts table's columns, for a join that reads the whole row under prefixed names (mapAccount's prefix). */
export const ACCOUNT_COLUMNS = [
  'id',
  'name',
  'email',
  'status',
  'balance_micros',
  'reserved_micros',
  'price_verify_micros',
  'price_analyze_micros',
  'price_lookalike_micros',
  'created_at',
  'updated_at',
] as const;

/** An account row; `prefix` names its columns when a join read them as `<prefix><column>`. */
export function mapAccount(row: Record<string, unknown>, prefix = ''): AccountRow {
  const col = (name: (typeof ACCOUNT_COLUMNS)[number]) => row[prefix + name];
  return {
    id: String(col('id')),
    name: String(col('name')),
    email: typeof col('email') === 'string' ? (col('email') as string) : null,
    status: col('status') as AccountStatus,
    balance_micros: toInt(col('balance_micros')),
    reserved_micros: toInt(col('reserved_micros')),
    price_verify_micros: toIntOrNull(col('price_verify_micros')),
    price_analyze_micros: toIntOrNull(col('price_analyze_micros')),
    price_lookalike_micros: toIntOrNull(col('price_lookalike_micros')),
    created_at: toInt(col('created_at')),
    updated_at: toInt(col('updated_at')),
  };
}

export class AccountsRepository {
  async insert(q: Executor, row: AccountRow): Promise<void> {
    await q(TABLE).insert(row);
  }

  async findById(q: Executor, id: string): Promise<AccountRow | undefined> {
    const row = (await q(TABLE).where({ id }).first()) as Record<string, unknown> | undefined;
    return row ? mapAccount(row) : undefined;
  }

  async list(q: Executor, limit = 1000): Promise<AccountRow[]> {
    const rows = (await q(TABLE).orderBy('created_at', 'asc').limit(limit)) as Record<string, unknown>[];
    return rows.map((row) => mapAccount(row));
  }

  async count(q: Executor): Promise<number> {
    const row = (await q(TABLE).count({ n: '*' }).first()) as { n: unknown } | undefined;
    return toInt(row?.n ?? 0);
  }

  /**
   * Takes the account row's write lock for the rest of the transaction (an UPDATE locks on MySQL and SQLite
   * alike): changes to what an account holds, such as its keys, then run one at a time. False when missing.
   */
  async lock(q: Executor, id: string, now: number): Promise<boolean> {
    return (await q(TABLE).where({ id }).update({ updated_at: now })) === 1;
  }

  /**
   * Holds `amount` of the available balance with ONE conditional UPDATE: the database decides atomically, so two
   * concurrent requests can never both take the last funds (a SELECT-then-UPDATE would). Returns true when held.
   */
  async tryHold(q: Executor, id: string, amount: number, now: number): Promise<boolean> {
    const affected = await q(TABLE)
      .where({ id, status: 'active' })
      .andWhereRaw('balance_micros - reserved_micros >= ?', [amount])
      .update({ reserved_micros: q.raw('reserved_micros + ?', [amount]), updated_at: now });
    return affected === 1;
  }

  /** Ends a hold: capture takes the money out of the balance, release only frees it. */
  async settleHold(q: Executor, id: string, amount: number, capture: boolean, now: number): Promise<void> {
    const affected = await q(TABLE)
      .where({ id })
      .update({
        reserved_micros: q.raw('reserved_micros - ?', [amount]),
        ...(capture ? { balance_micros: q.raw('balance_micros - ?', [amount]) } : {}),
        updated_at: now,
      });
    if (affected !== 1) throw new Error(`account ${id} vanished while settling a hold`);
  }

  async credit(q: Executor, id: string, amount: number, now: number): Promise<boolean> {
    const affected = await q(TABLE)
      .where({ id })
      .update({ balance_micros: q.raw('balance_micros + ?', [amount]), updated_at: now });
    return affected === 1;
  }

  /** Conditional like tryHold: a debit never takes held or missing funds. */
  async tryDebit(q: Executor, id: string, amount: number, now: number): Promise<boolean> {
    const affected = await q(TABLE)
      .where({ id })
      .andWhereRaw('balance_micros - reserved_micros >= ?', [amount])
      .update({ balance_micros: q.raw('balance_micros - ?', [amount]), updated_at: now });
    return affected === 1;
  }

  async setStatus(q: Executor, id: string, status: AccountStatus, now: number): Promise<boolean> {
    const affected = await q(TABLE).where({ id }).update({ status, updated_at: now });
    return affected === 1;
  }
}
