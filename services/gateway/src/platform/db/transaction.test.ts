import type { Knex } from 'knex';
import { withTransaction } from './transaction';

/** A stand-in for knex whose transactions fail with the given errors first, then run the work. */
function flakyDb(failures: Error[]): { db: Knex; attempts: () => number } {
  let attempts = 0;
  const db = {
    transaction: async (work: (trx: unknown) => Promise<unknown>) => {
      attempts++;
      const failure = failures.shift();
      if (failure) throw failure;
      return work({});
    },
  } as unknown as Knex;
  return { db, attempts: () => attempts };
}

const deadlock = Object.assign(new Error('Deadlock found when trying to get lock'), {
  code: 'ER_LOCK_DEADLOCK',
});
const lockTimeout = Object.assign(new Error('Lock wait timeout exceeded'), { code: 'ER_LOCK_WAIT_TIMEOUT' });
const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

describe('withTransaction', () => {
  it('retries the whole transaction on deadlocks, lock timeouts and a busy SQLite', async () => {
    const { db, attempts } = flakyDb([deadlock, lockTimeout, busy]);
    await expect(withTransaction(db, async () => 'done')).resolves.toBe('done');
    expect(attempts()).toBe(4);
  });

  it('gives up after 4 attempts and surfaces the error (the error middleware answers 503)', async () => {
    const { db, attempts } = flakyDb([deadlock, deadlock, deadlock, deadlock, deadlock]);
    await expect(withTransaction(db, async () => 'done')).rejects.toBe(deadlock);
    expect(attempts()).toBe(4);
  });

  it('does not retry other errors', async () => {
    const other = Object.assign(new Error('duplicate'), { code: 'ER_DUP_ENTRY' });
    const { db, attempts } = flakyDb([other]);
    await expect(withTransaction(db, async () => 'done')).rejects.toBe(other);
    expect(attempts()).toBe(1);
  });
});
