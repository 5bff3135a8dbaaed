import type { Knex } from 'knex';

/**
 * Accounts, API keys, the append-only ledger, reservations and idempotency records.
 * Money: BIGINT micro-units of USD. Times: BIGINT epoch milliseconds (portable between MySQL and SQLite).
 */
export async function up(knex: Knex): Promise<void> {
  const sqlite = String((knex.client as { config: { client: unknown } }).config.client).includes('sqlite');

  await knex.schema.createTable('accounts', (t) => {
    t.string('id', 32).primary();
    t.string('name', 200).notNullable();
    t.string('email', 320).nullable();
    t.string('status', 16).notNullable().defaultTo('active');
    // Funds (reserved included) and the part held by in-flight requests; available = balance - reserved.
    t.bigInteger('balance_micros').notNullable().defaultTo(0);
    t.bigInteger('reserved_micros').notNullable().defaultTo(0);
    // Per-account price overrides; NULL = the configured default.
    t.bigInteger('price_verify_micros').nullable();
    t.bigInteger('price_analyze_micros').nullable();
    t.bigInteger('price_lookalike_micros').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.check("?? in ('active', 'suspended')", ['status'], 'accounts_status_valid');
    t.check('?? >= 0', ['reserved_micros'], 'accounts_reserved_nonnegative');
    t.check('?? >= ??', ['balance_micros', 'reserved_micros'], 'accounts_balance_covers_reserved');
  });

  await knex.schema.createTable('api_keys', (t) => {
    t.string('id', 32).primary();
    t.string('account_id', 32).notNullable().references('id').inTable('accounts');
    t.string('name', 200).nullable();
    t.string('mode', 8).notNullable();
    // First characters of the key, for display. Never enough to use it.
    t.string('prefix', 16).notNullable();
    // SHA-256 (hex) of the full key; the key itself is never stored.
    t.string('key_hash', 64).notNullable().unique('api_keys_key_hash_unique');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_used_at').nullable();
    t.bigInteger('revoked_at').nullable();
    t.index(['account_id'], 'api_keys_account_idx');
  });

  await knex.schema.createTable('reservations', (t) => {
    t.string('id', 32).primary();
    t.string('account_id', 32).notNullable().references('id').inTable('accounts');
    t.string('endpoint', 16).notNullable();
    t.bigInteger('amount_micros').notNullable();
    t.string('status', 16).notNullable();
    t.string('request_id', 64).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('settled_at').nullable();
    t.check("?? in ('held', 'captured', 'released')", ['status'], 'reservations_status_valid');
    t.index(['status', 'created_at'], 'reservations_status_created_idx');
  });

  await knex.schema.createTable('ledger_entries', (t) => {
    t.bigIncrements('id').primary();
    t.string('account_id', 32).notNullable().references('id').inTable('accounts');
    // reserve / capture / release (around a request), credit / debit (admin adjustments).
    t.string('type', 16).notNullable();
    t.bigInteger('amount_micros').notNullable();
    // Effect on accounts.balance_micros and accounts.reserved_micros: the sums reproduce both columns.
    t.bigInteger('balance_delta_micros').notNullable();
    t.bigInteger('reserved_delta_micros').notNullable();
    t.string('endpoint', 16).nullable();
    t.string('reservation_id', 32).nullable();
    t.string('request_id', 64).nullable();
    t.string('reason', 500).nullable();
    t.bigInteger('created_at').notNullable();
    t.check(
      "?? in ('reserve', 'capture', 'release', 'credit', 'debit')",
      ['type'],
      'ledger_entries_type_valid',
    );
    t.index(['account_id', 'id'], 'ledger_entries_account_idx');
  });

  await knex.schema.createTable('idempotency_keys', (t) => {
    t.bigIncrements('id').primary();
    t.string('account_id', 32).notNullable().references('id').inTable('accounts');
    t.string('idem_key', 255).notNullable();
    // SHA-256 of method, path and canonical body: never the body (which may hold images).
    t.string('request_hash', 64).notNullable();
    t.string('state', 16).notNullable();
    t.integer('response_status').nullable();
    t.text('response_body').nullable();
    t.text('response_headers').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('locked_until').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.unique(['account_id', 'idem_key'], { indexName: 'idempotency_keys_account_key_unique' });
    t.index(['expires_at'], 'idempotency_keys_expires_idx');
  });

  // The ledger is append-only: the database itself refuses updates and deletes.
  if (sqlite) {
    await knex.raw(
      "CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END",
    );
    await knex.raw(
      "CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END",
    );
  } else {
    await knex.raw(
      "CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger_entries is append-only'",
    );
    await knex.raw(
      "CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger_entries is append-only'",
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('idempotency_keys');
  await knex.schema.dropTableIfExists('ledger_entries');
  await knex.schema.dropTableIfExists('reservations');
  await knex.schema.dropTableIfExists('api_keys');
  await knex.schema.dropTableIfExists('accounts');
}
