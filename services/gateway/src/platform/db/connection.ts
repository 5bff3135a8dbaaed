import knex, { type Knex } from 'knex';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { knexConfig } from './knexfile';

export type Db = Knex;

/** A knex instance; its own messages (pool errors, deprecations) go to our logger, not to the console. */
export function createDb(config: Pick<Config, 'db'>, logger?: Logger): Db {
  const log = (level: 'warn' | 'error' | 'debug') => (message: unknown) => {
    if (logger) logger[level]({ component: 'knex' }, typeof message === 'string' ? message : String(message));
  };
  return knex({
    ...knexConfig(config),
    log: { warn: log('warn'), error: log('error'), debug: log('debug'), deprecate: log('warn') },
  });
}

export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest()) as [number, string[]];
  return applied;
}

export async function pingDb(db: Db): Promise<void> {
  await db.raw('select 1');
}
