import { randomBytes } from 'node:crypto';
import knex from 'knex';
import { createLogger, serializeError } from '../../src/platform/logger';
import { createDatabase } from '../helpers/database';

/**
 * Issue 18, item 9: a failed query must not put its values in the logs. knex prefixes the error message with the
 * statement, values interpolated; mysql2 adds `sql` and a `sqlMessage` that can quote a value.
 */
describe.each(['mysql', 'sqlite'] as const)('database errors in logs (%s)', (kind) => {
  it('keep the error code and the stack frames, never the statement or its values', async () => {
    const database = await createDatabase(kind);
    const db =
      kind === 'mysql'
        ? knex({ client: 'mysql2', connection: database.env.DATABASE_URL, pool: { min: 0, max: 1 } })
        : knex({
            client: 'better-sqlite3',
            connection: { filename: database.env.SQLITE_FILE! },
            useNullAsDefault: true,
          });
    const marker = `marker${randomBytes(8).toString('hex')}`;
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    try {
      await db.schema.createTable('t', (t) => t.string('v', 8).unique());
      await db('t').insert({ v: 'dup' });
      for (const attempt of [
        () => db('t').insert({ v: 'dup' }), // unique violation: mysql quotes the duplicate value
        () => db.raw('select ? as x from no_such_table', [marker]),
        () => db('t').where({ v: marker }).update({ no_such_column: marker }),
      ]) {
        const error = await attempt().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeDefined();
        expect(String((error as Error).message)).toMatch(/select|insert|update/); // knex did quote the statement
        logger.error({ err: error }, 'unexpected error');
      }
    } finally {
      await db.destroy();
      await database.drop();
    }
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).not.toContain(marker);
      expect(line).not.toContain('dup');
      const { err } = JSON.parse(line) as { err: { message: string; code?: string; stack: string } };
      expect(err.message).toMatch(/^database error (ER_|SQLITE_)/);
      expect(err.stack).toContain('    at ');
    }
  });
});

it('a database error without stack frames keeps nothing of its message', () => {
  const error = Object.assign(new Error("insert into `t` values ('secret-value') - Data too long"), {
    code: 'ER_DATA_TOO_LONG',
    sql: "insert into `t` values ('secret-value')",
  });
  error.stack = error.message;
  expect(JSON.stringify(serializeError(error))).not.toContain('secret-value');
  expect(serializeError(error)).toMatchObject({
    message: 'database error ER_DATA_TOO_LONG',
    code: 'ER_DATA_TOO_LONG',
  });
});
