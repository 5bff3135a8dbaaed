import type { Knex } from 'knex';

/**
 * Password reset links. Only the SHA-256 of a link's token is stored (a database dump cannot reset anyone's
 * password); a link works once (used_at) and until expires_at. A new request or a completed reset spends every
 * other link of the user.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('password_resets', (t) => {
    t.string('token_hash', 64).primary();
    t.string('user_id', 32).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('used_at').nullable();
    t.index(['user_id'], 'password_resets_user_idx');
    t.index(['expires_at'], 'password_resets_expires_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('password_resets');
}
