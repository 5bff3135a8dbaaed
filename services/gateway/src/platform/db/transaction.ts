import type { Knex } from 'knex';
import { isRetryableTransactionError } from '../errors/db-errors';

const MAX_ATTEMPTS = 4;

/**
 * Runs `work` in a transaction, retrying the whole transaction on deadlocks and lock-wait timeouts (MySQL) or a
 * busy database (SQLite). `work` must be safe to re-run: it only touches the database through `trx`.
 */
export async function withTransaction<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryableTransactionError(error)) throw error;
      const backoff = 10 * 2 ** attempt + Math.random() * 20;
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
  }
}
