import type { Executor } from '../../platform/db/rows';
import { toInt, toIntOrNull } from '../../platform/db/rows';

const TABLE = 'users';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  account_id: string;
  created_at: number;
  last_login_at: number | null;
}

function mapUser(row: Record<string, unknown>): UserRow {
  return {
    id: String(row.id),
    email: String(row.email),
    name: String(row.name),
    password_hash: String(row.password_hash),
    account_id: String(row.account_id),
    created_at: toInt(row.created_at),
    last_login_at: toIntOrNull(row.last_login_at),
  };
}

export class UsersRepository {
  async insert(q: Executor, row: UserRow): Promise<void> {
    await q(TABLE).insert(row);
  }

  async findByEmail(q: Executor, email: string): Promise<UserRow | undefined> {
    const row = (await q(TABLE).where({ email }).first()) as Record<string, unknown> | undefined;
    return row ? mapUser(row) : undefined;
  }

  async findById(q: Executor, id: string): Promise<UserRow | undefined> {
    const row = (await q(TABLE).where({ id }).first()) as Record<string, unknown> | undefined;
    return row ? mapUser(row) : undefined;
  }

  async updatePassword(q: Executor, id: string, passwordHash: string): Promise<void> {
    await q(TABLE).where({ id }).update({ password_hash: passwordHash });
  }

  async touchLogin(q: Executor, id: string, at: number): Promise<void> {
    await q(TABLE).where({ id }).update({ last_login_at: at });
  }
}
