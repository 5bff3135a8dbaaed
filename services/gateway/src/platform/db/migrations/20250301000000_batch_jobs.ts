import type { Knex } from 'knex';

/**
 * Batch jobs (POST /v1/jobs) and their items. Images are never stored: an item keeps the URLs it will fetch
 * (cleared once the item is done), or, for an inline (base64) item, nothing but its options: inline items are run
 * while the submission request still holds their bytes in memory.
 *
 * An item's `attempt` is a fencing token: a worker completes an item only if nobody claimed it after it, and it
 * does so in the same transaction as the item's charge, which makes each item's billing exactly-once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('batch_jobs', (t) => {
    t.string('id', 32).primary();
    t.string('account_id', 32).notNullable().references('id').inTable('accounts');
    // accepting (inline items running in the submission) → queued → running → completed.
    t.string('status', 16).notNullable();
    t.integer('total_items').notNullable();
    t.string('webhook_url', 2048).nullable();
    // HMAC-SHA256 key for the webhook signature: shown once in the 202, kept until the job expires.
    t.string('webhook_secret', 64).nullable();
    t.string('webhook_status', 16).nullable();
    t.integer('webhook_attempts').notNullable().defaultTo(0);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.bigInteger('completed_at').nullable();
    t.bigInteger('expires_at').notNullable();
    t.check("?? in ('accepting', 'queued', 'running', 'completed')", ['status'], 'batch_jobs_status_valid');
    t.index(['account_id', 'created_at'], 'batch_jobs_account_idx');
    t.index(['status', 'updated_at'], 'batch_jobs_status_idx');
    t.index(['expires_at'], 'batch_jobs_expires_idx');
  });

  await knex.schema.createTable('batch_job_items', (t) => {
    t.string('job_id', 32).notNullable().references('id').inTable('batch_jobs');
    t.integer('idx').notNullable();
    t.string('type', 16).notNullable();
    t.string('source', 8).notNullable();
    // JSON: URLs and options for url items; options only for inline items. NULL once the item is done.
    t.text('input').nullable();
    t.string('status', 16).notNullable();
    t.integer('attempt').notNullable().defaultTo(0);
    t.bigInteger('lease_until').nullable();
    t.integer('http_status').nullable();
    // The body the synchronous endpoint would have answered (never an image).
    t.text('result').nullable();
    t.bigInteger('charged_micros').notNullable().defaultTo(0);
    t.bigInteger('updated_at').notNullable();
    t.primary(['job_id', 'idx']);
    t.check("?? in ('verify', 'analyze', 'lookalike')", ['type'], 'batch_job_items_type_valid');
    t.check("?? in ('url', 'inline')", ['source'], 'batch_job_items_source_valid');
    t.check(
      "?? in ('pending', 'running', 'succeeded', 'failed')",
      ['status'],
      'batch_job_items_status_valid',
    );
    t.index(['job_id', 'status'], 'batch_job_items_status_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('batch_job_items');
  await knex.schema.dropTableIfExists('batch_jobs');
}
