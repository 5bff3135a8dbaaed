import type { Knex } from 'knex';

/**
 * Usage by API key (developer console): the key that made a metered call is recorded on its reservation and on
 * every ledger entry of that call (reserve, capture, release), so the activity list and its CSV export can be
 * filtered by key. A batch job records the key that submitted it, for its items. Nullable: older rows, credits,
 * debits and the dashboard's playground (signed in, no key) have none. The key id only, never the key.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reservations', (t) => {
    t.string('key_id', 32).nullable();
  });
  await knex.schema.alterTable('ledger_entries', (t) => {
    t.string('key_id', 32).nullable();
    t.index(['account_id', 'key_id', 'id'], 'ledger_entries_account_key_idx');
  });
  await knex.schema.alterTable('batch_jobs', (t) => {
    t.string('key_id', 32).nullable();
  });
}

/** On SQLite knex drops a column by rebuilding the table, which drops the ledger's append-only triggers: restored. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('batch_jobs', (t) => {
    t.dropColumn('key_id');
  });
  await knex.schema.alterTable('ledger_entries', (t) => {
    t.dropIndex(['account_id', 'key_id', 'id'], 'ledger_entries_account_key_idx');
    t.dropColumn('key_id');
  });
  await knex.schema.alterTable('reservations', (t) => {
    t.dropColumn('key_id');
  });
  if (String((knex.client as { config: { client: unknown } }).config.client).includes('sqlite')) {
    await knex.raw(
      "CREATE TRIGGER IF NOT EXISTS ledger_entries_no_update BEFORE UPDATE ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END",
    );
    await knex.raw(
      "CREATE TRIGGER IF NOT EXISTS ledger_entries_no_delete BEFORE DELETE ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END",
    );
  }
}
