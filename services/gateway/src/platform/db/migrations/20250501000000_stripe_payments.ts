import type { Knex } from 'knex';

/**
 * Top-ups through Stripe Checkout. `stripe_checkouts`: every Checkout Session we created, with the account it was
 * created for and the amount, so a payment is credited to that account only and only for that amount, once
 * (`status` open → paid, a guarded update). `stripe_events`: every webhook event handled, keyed by Stripe's event
 * id (primary key): a redelivered or replayed event finds its row and changes nothing. The credit itself is an
 * ordinary ledger `credit`, written in the same transaction as both rows.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('stripe_checkouts', (t) => {
    // Stripe's Checkout Session id (cs_live_… / cs_test_…).
    t.string('id', 255).primary();
    t.string('account_id', 32).notNullable().references('id').inTable('accounts');
    t.string('user_id', 32).nullable();
    t.bigInteger('amount_micros').notNullable();
    t.string('currency', 8).notNullable();
    t.string('status', 16).notNullable().defaultTo('open');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('paid_at').nullable();
    // The event that credited it.
    t.string('event_id', 255).nullable();
    t.check("?? in ('open', 'paid')", ['status'], 'stripe_checkouts_status_valid');
    t.check('?? > 0', ['amount_micros'], 'stripe_checkouts_amount_positive');
    t.index(['account_id', 'created_at'], 'stripe_checkouts_account_idx');
  });

  await knex.schema.createTable('stripe_events', (t) => {
    // Stripe's event id (evt_…): the unique key that makes crediting idempotent.
    t.string('id', 255).primary();
    t.string('type', 100).notNullable();
    t.string('checkout_id', 255).nullable();
    // credited | duplicate_payment | ignored | refused
    t.string('outcome', 32).notNullable();
    t.bigInteger('created_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('stripe_events');
  await knex.schema.dropTableIfExists('stripe_checkouts');
}
