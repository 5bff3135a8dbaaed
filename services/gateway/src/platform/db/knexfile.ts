import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { type Config, loadConfig } from '../config';
import { migrationSource } from './migrations';

type QueryCallback = (err: (Error & { code?: string }) | null, ...results: unknown[]) => void;

interface MysqlConnection {
  query(options: string | { sql: string; timeout?: number }, ...rest: unknown[]): unknown;
  destroy(): void;
}

/**
 * The acquire timeout only covers getting a connection: on a pooled connection whose network path silently drops
 * packets, a query would wait forever. Every statement but DDL (migrations may be long) gets an inactivity timeout,
 * and a connection whose query timed out is destroyed, so the pool discards it instead of queueing behind it.
 */
function guardQueries(conn: MysqlConnection, timeoutMs: number): void {
  const query = conn.query.bind(conn);
  conn.query = (options, ...rest) => {
    const callback = rest.at(-1);
    if (typeof options === 'string' || options.timeout !== undefined || typeof callback !== 'function') {
      return query(options, ...rest);
    }
    if (/^\s*(create|alter|drop|rename|truncate)\b/i.test(options.sql)) return query(options, ...rest);
    const guarded: QueryCallback = (err, ...results) => {
      if (err?.code === 'PROTOCOL_SEQUENCE_TIMEOUT') conn.destroy();
      (callback as QueryCallback)(err, ...results);
    };
    return query({ ...options, timeout: timeoutMs }, ...rest.slice(0, -1), guarded);
  };
}

/**
 * The knex configuration for MySQL/MariaDB when DATABASE_URL is set, else an embedded SQLite file. Both run the
 * same knex code.
 *
 * SQLite: one connection (better-sqlite3 is synchronous, so more connections would only add lock contention), WAL,
 * and a busy timeout so another process (the admin CLI) waits for the write lock instead of failing.
 */
export function knexConfig(config: Pick<Config, 'db'>): Knex.Config {
  const { url, sqliteFile, poolMax, acquireTimeoutMs } = config.db;
  const migrations = { migrationSource, tableName: 'knex_migrations' };
  if (url) {
    return {
      client: 'mysql2',
      connection: {
        uri: url,
        // Integers and sums come back as numbers; amounts are micro-units far below 2^53.
        supportBigNumbers: true,
        bigNumberStrings: false,
        decimalNumbers: true,
        connectTimeout: acquireTimeoutMs,
        timezone: 'Z',
        charset: 'utf8mb4',
      },
      pool: {
        min: 0,
        max: poolMax,
        // Fail fast when the database is down: a request gets 503 within ~acquireTimeoutMs, never hangs.
        acquireTimeoutMillis: acquireTimeoutMs,
        createTimeoutMillis: acquireTimeoutMs,
        idleTimeoutMillis: 30_000,
        propagateCreateError: false,
        // Row locks are held for milliseconds here: a wait longer than the acquire timeout means a stuck holder.
        // Give up then (InnoDB's default is 50 s) so withTransaction retries and the request ends in 503, not a hang.
        afterCreate(conn: MysqlConnection, done: (err: Error | null, conn: MysqlConnection) => void) {
          guardQueries(conn, 5 * acquireTimeoutMs);
          const seconds = Math.max(1, Math.ceil(acquireTimeoutMs / 1000));
          conn.query(`SET SESSION innodb_lock_wait_timeout = ${seconds}`, (err: Error | null) =>
            done(err, conn),
          );
        },
      },
      acquireConnectionTimeout: acquireTimeoutMs,
      migrations,
    };
  }
  if (sqliteFile !== ':memory:') createPrivately(sqliteFile);
  return {
    client: 'better-sqlite3',
    connection: { filename: sqliteFile },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { pragma(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
        try {
          conn.pragma('journal_mode = WAL');
          conn.pragma('busy_timeout = 5000');
          conn.pragma('foreign_keys = ON');
          conn.pragma('synchronous = NORMAL');
          done(null, conn);
        } catch (error) {
          done(error as Error, conn);
        }
      },
    },
    // One connection serialises every transaction: waiting for it is normal under load, so allow longer.
    acquireConnectionTimeout: Math.max(acquireTimeoutMs, 30_000),
    migrations,
  };
}

/**
 * The SQLite file holds password and key hashes, sessions and the ledger: only its owner may read it (0600), in a
 * directory created 0700. SQLite gives the -wal and -shm files the database file's mode; files an older version
 * created with the umask's mode are tightened too.
 */
function createPrivately(file: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

/** For the knex CLI: the same settings as the gateway, from the same environment variables. */
export default (): Knex.Config => knexConfig(loadConfig());
