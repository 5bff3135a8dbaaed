import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import knex from 'knex';

export const MYSQL_ADMIN_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A fresh MariaDB database per test file (gw_test_<random>), dropped afterwards: parallel runs never collide. */
export async function createMysqlDatabase(): Promise<TestDatabase> {
  const name = `gw_test_${randomBytes(6).toString('hex')}`;
  const admin = knex({ client: 'mysql2', connection: MYSQL_ADMIN_URL, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(MYSQL_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    async drop() {
      const a = knex({ client: 'mysql2', connection: MYSQL_ADMIN_URL, pool: { min: 0, max: 1 } });
      try {
        await a.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await a.destroy();
      }
    },
  };
}

/** A fresh SQLite file in the temp directory. */
export async function createSqliteDatabase(): Promise<TestDatabase> {
  const file = path.join(tmpdir(), `gw_test_${randomBytes(6).toString('hex')}.sqlite`);
  return {
    env: { SQLITE_FILE: file },
    async drop() {
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    },
  };
}

export type DbKind = 'mysql' | 'sqlite';

export function createDatabase(kind: DbKind): Promise<TestDatabase> {
  return kind === 'mysql' ? createMysqlDatabase() : createSqliteDatabase();
}
