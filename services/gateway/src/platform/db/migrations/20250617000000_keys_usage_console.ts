import type { Knex } from 'knex';

/**
 * Developer console (keys and usage):
 * - api_keys.last_used_endpoint: the route a key was last used on ("POST /v1/verify"), written by the same
 *   throttled UPDATE as last_used_at. Route templates only, never a query string or an id.
 * - refused_calls: a small per-account record of API calls that were refused (4xx/5xx, nothing charged), for the
 *   dashboard's "Refused calls" view. Time, route, key id, HTTP status and error code only: never a body, an
 *   image, a key or a header. Rows older than the retention window are deleted by the recorder.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.string('last_used_endpoint', 64).nullable();
  });
  await knex.schema.createTable('refused_calls', (t) => {
    t.bigIncrements('id').primary();
    t.string('account_id', 32).notNullable().references('id').inTable('accounts').onDelete('CASCADE');
    t.string('key_id', 32).nullable();
    t.string('endpoint', 64).notNullable();
    t.integer('status').notNullable();
    t.string('code', 64).notNullable();
    t.bigInteger('created_at').notNullable();
    t.index(['account_id', 'id'], 'refused_calls_account_idx');
    t.index(['created_at'], 'refused_calls_created_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('refused_calls');
  await knex.schema.alterTable('api_keys', (t) => {
    t.dropColumn('last_used_endpoint');
  });
}
