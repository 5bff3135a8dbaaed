import request from 'supertest';
import { VERIFIED } from '@deepface/fake-engine';
import { asBase64, pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';
import type { DbKind } from '../helpers/database';

const IMG = asBase64(pngImage(16, 16));

/** The kind of a statement: its verb and table (BEGIN and COMMIT as they are), e.g. "select accounts". */
function kindOf(sql: string): string {
  const s = sql.trim().toLowerCase();
  const verb = /^\w+/.exec(s)?.[0] ?? s;
  const table = /(?:from|into|update)\s+[`"]?(\w+)/.exec(s)?.[1];
  return table ? `${verb} ${table}` : verb.replace(/;$/, '');
}

/**
 * Each database round trip of a call costs the gateway and the database CPU and the caller latency (issue 15): a
 * charged Verify reads the account once with its key, holds in one transaction and settles in another. An account
 * read coming back (the precheck's, or the metering's before its reservation) fails here.
 */
describe.each<DbKind>(['mysql', 'sqlite'])('the database round trips of a charged Verify (%s)', (kind) => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway({ db: kind });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('key and account in one read, a reservation transaction, a settlement transaction', async () => {
    gw.engine.behaviour.Verify = { kind: 'ok', response: VERIFIED };
    const { key } = await createCustomer(gw);
    const verify = () =>
      request(gw.app).post('/v1/verify').set('X-API-KEY', key).send({ img1: IMG, img2: IMG });
    // The key's first use also records last_used_at (at most once per interval): not part of every call.
    expect((await verify()).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const statements: string[] = [];
    const onQuery = (query: { sql: string }) => statements.push(kindOf(query.sql));
    gw.db.on('query', onQuery);
    try {
      const res = await verify();
      expect(res.status).toBe(200);
      expect(res.body.billing).toEqual({ charged: 0.25, currency: 'USD' });
    } finally {
      gw.db.off('query', onQuery);
    }
    expect(statements).toEqual([
      'select api_keys',
      'begin',
      'update accounts',
      'insert reservations',
      'insert ledger_entries',
      'commit',
      'begin',
      'update reservations',
      'update accounts',
      'insert ledger_entries',
      // The balance left, for X-Balance-Remaining: read under the settlement's own row lock.
      'select accounts',
      'commit',
    ]);
  });
});
