import type { Knex } from 'knex';

/**
 * Dashboard users and their sessions. A user owns one API account (accounts.id). Passwords are stored only as
 * scrypt hashes (parameters inside the string); sessions only as the SHA-256 of their token, so a database dump
 * can neither sign anyone in nor reveal a password.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.string('id', 32).primary();
    // Lower-cased and trimmed; unique.
    t.string('email', 320).notNullable().unique('users_email_unique');
    t.string('name', 200).notNullable();
    t.string('password_hash', 255).notNullable();
    t.string('account_id', 32)
      .notNullable()
      .references('id')
      .inTable('accounts')
      .unique('users_account_unique');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_login_at').nullable();
  });

  await knex.schema.createTable('sessions', (t) => {
    // SHA-256 (hex) of the session token held in the cookie; the token itself is never stored.
    t.string('id_hash', 64).primary();
    t.string('user_id', 32).notNullable().references('id').inTable('users').onDelete('CASCADE');
    // Synchronizer token: state-changing dashboard requests must echo it in X-CSRF-Token.
    t.string('csrf_token', 64).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('last_seen_at').notNullable();
    t.index(['user_id'], 'sessions_user_idx');
    t.index(['expires_at'], 'sessions_expires_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sessions');
  await knex.schema.dropTableIfExists('users');
}
