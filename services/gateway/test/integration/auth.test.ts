import request from 'supertest';
import { asBase64, pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';
import { createApp } from '../../src/http/app';
import { createDb } from '../../src/platform/db/connection';
import { generateApiKey } from '../../src/platform/lib/api-key';

const IMG = asBase64(pngImage(16, 16));
const UNAUTHORIZED = {
  error: 'Unauthorized',
  message: 'API key is missing or invalid. Please provide a valid API key in the X-API-KEY header.',
  status: 401,
  // Additive to the published shape (platform/errors/catalogue.ts).
  hint: 'Send a valid, active API key in the X-API-KEY header; create one in the dashboard under API keys.',
};
const FORBIDDEN = {
  error: 'Forbidden',
  message: 'Your account has been suspended. Please contact support to resolve this issue.',
  status: 403,
  hint: 'Contact the operator of this server to have the account reinstated.',
};

describe('authentication (MariaDB)', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });
  beforeEach(() => gw.engine.resetCalls());

  /** Counts SQL statements the gateway runs while `fn` executes. */
  async function queriesDuring(fn: () => Promise<unknown>): Promise<number> {
    let n = 0;
    const listener = () => n++;
    gw.db.on('query', listener);
    try {
      await fn();
    } finally {
      gw.db.removeListener('query', listener);
    }
    return n;
  }

  it('missing, malformed, bad-checksum, unknown and revoked keys get byte-identical 401 bodies', async () => {
    const { key: revoked, keyId } = await createCustomer(gw);
    await gw.services.accounts.revokeKey(keyId);
    const valid = generateApiKey('live').key;
    const badChecksum = valid.slice(0, -1) + (valid.endsWith('A') ? 'B' : 'A');
    const unknown = generateApiKey('live').key; // well-formed, never issued

    const cases: Array<string | undefined> = [
      undefined,
      '',
      'YOUR_API_KEY',
      'df_live_123',
      badChecksum,
      unknown,
      revoked,
    ];
    const bodies: string[] = [];
    for (const candidate of cases) {
      const req = request(gw.app).post('/v1/verify');
      if (candidate !== undefined) req.set('X-API-KEY', candidate);
      const res = await req.send({ img1: IMG, img2: IMG });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ ...UNAUTHORIZED, request_id: res.headers['x-request-id'] });
      // Same bytes once the per-request id is taken out.
      bodies.push(res.text.replace(res.headers['x-request-id'] as string, 'ID'));
    }
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toBe(`${JSON.stringify(UNAUTHORIZED).slice(0, -1)},"request_id":"ID"}`);
    expect(gw.engine.totalCalls()).toBe(0);
  });

  it('a key with a bad checksum is refused without touching the database', async () => {
    const valid = generateApiKey('live').key;
    const badChecksum = valid.slice(0, -1) + (valid.endsWith('A') ? 'B' : 'A');
    const n = await queriesDuring(() => request(gw.app).get('/v1/account').set('X-API-KEY', badChecksum));
    expect(n).toBe(0);
    // A well-formed unknown key does need one lookup: the counter above can see queries.
    const m = await queriesDuring(() =>
      request(gw.app).get('/v1/account').set('X-API-KEY', generateApiKey('live').key),
    );
    expect(m).toBe(1);
  });

  it('the header name is case-insensitive and test keys work like live keys', async () => {
    const { key } = await createCustomer(gw, { mode: 'test' });
    const res = await request(gw.app).get('/v1/account').set('x-Api-KeY', key);
    expect(res.status).toBe(200);
  });

  it('suspended account → 403 verbatim with 0 engine calls; reactivated → served again', async () => {
    const { key, account } = await createCustomer(gw);
    await gw.services.accounts.setStatus(account.id, 'suspended');
    for (const path of ['/v1/verify', '/v1/lookalike']) {
      const res = await request(gw.app).post(path).set('X-API-KEY', key).send({ img1: IMG, img2: IMG });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ ...FORBIDDEN, request_id: res.headers['x-request-id'] });
    }
    const analyze = await request(gw.app).post('/v1/analyze').set('X-API-KEY', key).send({ image: IMG });
    expect(analyze.status).toBe(403);
    expect((await request(gw.app).get('/v1/account').set('X-API-KEY', key)).status).toBe(403);
    expect(gw.engine.totalCalls()).toBe(0);

    await gw.services.accounts.setStatus(account.id, 'active');
    const ok = await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send({ img1: IMG, img2: IMG });
    expect(ok.status).toBe(200);
    expect(gw.engine.calls.Verify).toBe(1);
  });

  it('authenticates before reading the body: an unauthenticated oversized body gets 401, not 413', async () => {
    const big = 'A'.repeat(gw.config.bodyLimitBytes + 1024);
    const res = await request(gw.app)
      .post('/v1/verify')
      .set('Content-Type', 'application/json')
      .send(`{"img1":"${big}","img2":"x"}`);
    expect(res.status).toBe(401);
  });

  it('several keys per account; revoking one leaves the others working; last_used_at is recorded', async () => {
    const { key, account } = await createCustomer(gw);
    const second = await gw.services.accounts.createKey(account.id, 'live', 'second');
    expect((await request(gw.app).get('/v1/account').set('X-API-KEY', second.key)).status).toBe(200);
    await gw.services.accounts.revokeKey(second.row.id);
    expect((await request(gw.app).get('/v1/account').set('X-API-KEY', second.key)).status).toBe(401);
    expect((await request(gw.app).get('/v1/account').set('X-API-KEY', key)).status).toBe(200);
    // Both keys may share a created_at millisecond, so they are told apart by id, not by list order.
    const keys = await gw.services.accounts.listKeys(account.id);
    expect(keys.map((k) => [k.id === second.row.id, k.revoked_at === null]).sort()).toEqual([
      [false, true],
      [true, false],
    ]);
    // last_used_at is written asynchronously, at most once per interval.
    await new Promise((r) => setTimeout(r, 100));
    const first = (await gw.services.accounts.listKeys(account.id)).find((k) => k.id !== second.row.id)!;
    expect(first.last_used_at).not.toBeNull();
  });

  it('last_used_at costs at most one write per key per interval, not one per request', async () => {
    const { key } = await createCustomer(gw);
    let updates = 0;
    const listener = (q: { sql: string }) => {
      if (/^update `api_keys`/i.test(q.sql)) updates++;
    };
    gw.db.on('query', listener);
    try {
      for (let i = 0; i < 10; i++) await request(gw.app).get('/v1/account').set('X-API-KEY', key);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      gw.db.removeListener('query', listener);
    }
    expect(updates).toBe(1);
  });

  it('only a hash of the key is stored', async () => {
    const { key } = await createCustomer(gw);
    const rows = await gw.db('api_keys').select('*');
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(key);
    expect(dump).not.toContain(key.slice(12));
  });
});

describe('authentication when the database is down', () => {
  it('fails closed with 503 (never 401, never through) within the acquire timeout', async () => {
    const gw = await startGateway({ env: { DB_ACQUIRE_TIMEOUT_MS: '500' } });
    try {
      const { key } = await createCustomer(gw);
      // Point the app at a database that refuses connections.
      const deadDb = createDb(
        {
          db: { ...gw.config.db, url: 'mysql://root@127.0.0.1:1/nothing', acquireTimeoutMs: 500 },
        },
        gw.logger,
      );
      const app = createApp({ ...gw.deps, db: deadDb });
      const started = Date.now();
      const res = await request(app).post('/v1/verify').set('X-API-KEY', key).send({ img1: IMG, img2: IMG });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 'error', result: 'service_unavailable' });
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(gw.engine.totalCalls()).toBe(0);
      const ready = await request(app).get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.database).toBe('down');
      await deadDb.destroy();
    } finally {
      await gw.close();
    }
  });
});
