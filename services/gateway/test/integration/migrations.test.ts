import { loadConfig } from '../../src/platform/config';
import { createDb, migrateLatest, type Db } from '../../src/platform/db/connection';
import { createDatabase, type DbKind, type TestDatabase } from '../helpers/database';

// Rolling a migration back must not weaken the schema's money rules: on SQLite, dropping a column rebuilds the
// table, and with it the ledger's append-only triggers would go.
describe.each<DbKind>(['sqlite', 'mysql'])('migrations on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await createDatabase(kind);
    db = createDb(loadConfig({ NODE_ENV: 'test', ...database.env }));
    await migrateLatest(db);
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('keeps the ledger append-only after the key_id migration is rolled back', async () => {
    // Down one at a time, newest first, until the migration that rebuilds the ledger on SQLite is undone.
    for (let steps = 0; ; steps++) {
      const [, rolledBack] = (await db.migrate.down()) as [number, string[]];
      if (rolledBack.join().includes('ledger_key_id')) break;
      expect(steps).toBeLessThan(20);
    }
    const now = Date.now();
    await db('accounts').insert({ id: 'acc_migration_test', name: 'm', created_at: now, updated_at: now });
    await db('ledger_entries').insert({
      account_id: 'acc_migration_test',
      type: 'credit',
      amount_micros: 1,
      balance_delta_micros: 0,
      reserved_delta_micros: 0,
      created_at: now,
    });
    const ledger = () => db('ledger_entries').where({ account_id: 'acc_migration_test' });
    await expect(ledger().update({ amount_micros: 2 })).rejects.toMatchObject({
      message: expect.stringMatching(/append-only/) as unknown,
    });
    await expect(ledger().delete()).rejects.toMatchObject({
      message: expect.stringMatching(/append-only/) as unknown,
    });
  });
});
