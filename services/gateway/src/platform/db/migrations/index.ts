import type { Knex } from 'knex';
import * as m20250101000000 from './20250101000000_initial_schema';
import * as m20250301000000 from './20250301000000_batch_jobs';
import * as m20250401000000 from './20250401000000_dashboard_users';
import * as m20250501000000 from './20250501000000_stripe_payments';
import * as m20250617000000 from './20250617000000_keys_usage_console';
import * as m20250701000000 from './20250701000000_password_resets';
import * as m20250801000000 from './20250801000000_ledger_key_id';

/**
 * Migrations are listed here rather than discovered on disk, so the same list runs from TypeScript (tests) and
 * from compiled JavaScript (production) without extension juggling. Append new ones; never edit an applied one.
 */
const MIGRATIONS: Record<string, Knex.Migration> = {
  '20250101000000_initial_schema': m20250101000000,
  '20250301000000_batch_jobs': m20250301000000,
  '20250401000000_dashboard_users': m20250401000000,
  '20250501000000_stripe_payments': m20250501000000,
  '20250617000000_keys_usage_console': m20250617000000,
  '20250701000000_password_resets': m20250701000000,
  '20250801000000_ledger_key_id': m20250801000000,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(MIGRATIONS).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const migration = MIGRATIONS[name];
    if (!migration) throw new Error(`unknown migration ${name}`);
    return migration;
  },
};
