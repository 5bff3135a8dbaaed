import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import knex, { type Knex } from 'knex';
import { admin } from './processes';

export const MYSQL_ADMIN_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * What one suite owns on the shared servers: a MariaDB database `reliability_<random>` and a Redis key prefix,
 * both removed afterwards, plus a scratch directory for logs. Nothing else on the shared servers is touched.
 */
export interface Scratch {
  dbName: string;
  prefix: string;
  dir: string;
  /** A knex pool on the suite's database (direct connection, not through any proxy). */
  db: Knex;
  /** A Redis client (direct) for inspecting the suite's keys. */
  redis: Redis;
  mysqlUrl(host?: string, port?: number): string;
  redisUrl(host?: string, port?: number): string;
  mysqlPort: number;
  redisPort: number;
  close(): Promise<void>;
}

export async function createScratch(label: string): Promise<Scratch> {
  const id = randomBytes(5).toString('hex');
  const dbName = `reliability_${id}`;
  const adminDb = knex({ client: 'mysql2', connection: MYSQL_ADMIN_URL, pool: { min: 0, max: 1 } });
  try {
    await adminDb.raw(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await adminDb.destroy();
  }
  const mysql = new URL(MYSQL_ADMIN_URL);
  const redisBase = new URL(REDIS_URL);
  const mysqlUrl = (host = mysql.hostname, port = Number(mysql.port || 3306)) => {
    const u = new URL(MYSQL_ADMIN_URL);
    u.hostname = host;
    u.port = String(port);
    u.pathname = `/${dbName}`;
    return u.toString();
  };
  const redisUrl = (host = redisBase.hostname, port = Number(redisBase.port || 6379)) => {
    const u = new URL(REDIS_URL);
    u.hostname = host;
    u.port = String(port);
    return u.toString();
  };
  const prefix = `reliability_${id}:`;
  const db = knex({ client: 'mysql2', connection: mysqlUrl(), pool: { min: 0, max: 4 } });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  const dir = mkdtempSync(path.join(tmpdir(), `reliability-${label}-`));
  return {
    dbName,
    prefix,
    dir,
    db,
    redis,
    mysqlUrl,
    redisUrl,
    mysqlPort: Number(mysql.port || 3306),
    redisPort: Number(redisBase.port || 6379),
    async close() {
      await db.destroy();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      const a = knex({ client: 'mysql2', connection: MYSQL_ADMIN_URL, pool: { min: 0, max: 1 } });
      try {
        await a.raw(`DROP DATABASE IF EXISTS \`${dbName}\``);
      } finally {
        await a.destroy();
      }
      if (!process.env.RELIABILITY_KEEP_LOGS) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Customer {
  accountId: string;
  keyId: string;
  key: string;
}

/** A funded account with one live key, made with the admin CLI (the operator's interface). */
export async function createCustomer(
  env: Record<string, string | undefined>,
  balanceUsd: string,
  name = 'Reliability',
): Promise<Customer> {
  const { account } = await admin<{ account: { id: string } }>(
    env,
    'account:create',
    '--name',
    name,
    '--balance',
    balanceUsd,
  );
  const created = await admin<{ key: { id: string }; api_key: string }>(env, 'key:create', account.id);
  return { accountId: account.id, keyId: created.key.id, key: created.api_key };
}

/** Balance and reservations of one account, read straight from the database. */
export async function moneyOf(db: Knex, accountId: string) {
  const account = (await db('accounts').where({ id: accountId }).first()) as
    { balance_micros: number | string; reserved_micros: number | string } | undefined;
  if (!account) throw new Error(`no account ${accountId}`);
  const held = (
    await db('reservations').where({ account_id: accountId, status: 'held' }).count({ n: '*' })
  )[0];
  const captures = (
    await db('ledger_entries').where({ account_id: accountId, type: 'capture' }).count({ n: '*' })
  )[0];
  return {
    balance: Number(account.balance_micros),
    reserved: Number(account.reserved_micros),
    held: Number(held?.n ?? 0),
    captures: Number(captures?.n ?? 0),
  };
}
