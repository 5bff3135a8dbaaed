import request from 'supertest';
import { VERIFIED } from '@deepface/fake-engine';
import { runAdmin } from '../../src/cli/admin';
import { loadConfig } from '../../src/platform/config';
import { asBase64, pngImage } from '../factories/images';
import { createCustomer, listen, startGateway, type TestGateway } from '../helpers/app';

/**
 * Fairness between accounts with the default settings (issue 18, item 4): an account's limits hold across all of
 * its keys, it holds a bounded number of keys, and the engine can tell accounts apart without learning who they
 * are. The engine's own scheduling is tested in services/engine/test/pool/fairness.test.ts, and the whole path
 * with real processes in test/reliability/test/fairness.test.ts.
 */
const IMG = asBase64(pngImage(16, 16));
const BODY = { img1: IMG, img2: IMG };

// The test helper lifts the account limits for the other suites; '' means unset here: the shipped defaults.
const DEFAULTS = { ACCOUNT_RATE_LIMIT_POINTS: '', ACCOUNT_MAX_CONCURRENT: '', ACCOUNT_MAX_KEYS: '' };

describe('fairness between accounts by default (MariaDB, Redis, fake engine)', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway({ redis: true, env: DEFAULTS });
  });
  afterAll(() => gw.close());

  it('ships with account limits on: 8 in flight, 240 per minute, 10 active keys', () => {
    const config = loadConfig({});
    expect(config.rateLimit).toMatchObject({ accountConcurrency: 8, accountPoints: 240, windowS: 60 });
    expect(config.keys.maxActive).toBe(10);
  });

  it('requests in flight count per account, whatever key carries them', async () => {
    const { account, key } = await createCustomer(gw);
    const second = await gw.services.accounts.createKey(account.id, 'live', 'second');
    const third = await gw.services.accounts.createKey(account.id, 'live', 'third');
    const other = await createCustomer(gw);
    gw.engine.behaviour.Verify = { kind: 'ok', response: VERIFIED, delayMs: 600 };
    const { server, url } = await listen(gw.app);
    try {
      const keys = [key, second.key, third.key];
      const flood = Array.from({ length: 11 }, (_, i) =>
        request(url)
          .post('/v1/verify')
          .set('X-API-KEY', keys[i % 3]!)
          .send(BODY),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const meanwhile = await request(url).post('/v1/verify').set('X-API-KEY', other.key).send(BODY);
      const results = await Promise.all(flood);
      expect(meanwhile.status).toBe(200);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([...Array(8).fill(200), 429, 429, 429]);
      const busy = results.find((r) => r.status === 429)!;
      expect(busy.body.message).toMatch(/in flight for this account/);
      expect(busy.headers['retry-after']).toBe('1');
    } finally {
      server.close();
      gw.engine.reset();
    }
  });

  it('the rate limit holds for the account across its keys (240 per window), each key keeping its own', async () => {
    const { account, key } = await createCustomer(gw);
    const keys = [key];
    for (let i = 0; i < 3; i++) keys.push((await gw.services.accounts.createKey(account.id, 'live')).key);
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let i = 0; i < 244; i++) {
      last = await request(gw.app)
        .get('/v1/account')
        .set('X-API-KEY', keys[i % 4]!);
      statuses.push(last.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(240);
    expect(statuses.slice(240)).toEqual([429, 429, 429, 429]);
    expect(last!.body).toMatchObject({ result: 'rate_limited' });
    expect(last!.body.message).toMatch(/for this account/);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.headers['ratelimit-policy']).toBe('"per-key";q=100000;w=60, "per-account";q=240;w=60');
    expect(last!.headers.ratelimit).toMatch(/^"per-key";r=\d+;t=\d+, "per-account";r=0;t=\d+$/);
    // Another account is not affected.
    const other = await createCustomer(gw);
    expect((await request(gw.app).get('/v1/account').set('X-API-KEY', other.key)).status).toBe(200);
  });

  it('tells the engine an opaque tenant per account: the same for all its keys, never its id or a key', async () => {
    const a = await createCustomer(gw);
    const a2 = await gw.services.accounts.createKey(a.account.id, 'live');
    const b = await createCustomer(gw);
    gw.engine.resetCalls();
    for (const key of [a.key, a2.key, b.key]) {
      expect((await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send(BODY)).status).toBe(200);
    }
    const tenants = gw.engine.received.map((r) => r.tenant);
    expect(tenants[0]).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(tenants[1]).toBe(tenants[0]);
    expect(tenants[2]).not.toBe(tenants[0]);
    for (const secret of [a.account.id, b.account.id, a.key, a2.key, b.key]) {
      for (const tenant of tenants) expect(secret).not.toContain(tenant!);
    }
  });
});

describe('keys per account (MariaDB)', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway({ env: { ...DEFAULTS, ACCOUNT_MAX_KEYS: '3', PASSWORD_SCRYPT_LOG2N: '12' } });
  });
  afterAll(() => gw.close());

  it('the admin CLI refuses a key beyond ACCOUNT_MAX_KEYS active ones; revoking one frees a place', async () => {
    const { account, keyId } = await createCustomer(gw);
    const admin = (...argv: string[]) => runAdmin(argv, gw) as Promise<{ key: { id: string } }>;
    await admin('key:create', account.id);
    await admin('key:create', account.id);
    await expect(admin('key:create', account.id)).rejects.toMatchObject({
      status: 409,
      code: 'key_limit_reached',
      message: expect.stringMatching(/already has 3 active API keys/),
    });
    await admin('key:revoke', keyId);
    await expect(admin('key:create', account.id)).resolves.toMatchObject({ key: { id: expect.any(String) } });
  });

  it('the limit holds under concurrent creation (20 at once → exactly the limit)', async () => {
    const account = await gw.services.accounts.createAccount({ name: 'Race', balanceMicros: 0 });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => gw.services.accounts.createKey(account.id, 'live')),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const keys = await gw.services.accounts.listKeys(account.id);
    expect(keys.filter((k) => k.revoked_at === null)).toHaveLength(3);
  });

  it('the dashboard answers 409 key_limit_reached in the error envelope', async () => {
    const host = '127.0.0.1:8080'; // a default public origin (PORT 8080)
    const signup = await request(gw.app)
      .post('/dashboard/api/signup')
      .set('Host', host)
      .set('Origin', `http://${host}`)
      .send({ email: `keys-${Date.now()}@example.test`, name: 'Keys', password: 'correct horse battery' });
    expect(signup.status).toBe(201);
    const cookie = ([] as string[]).concat(signup.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
    // Names are unique among active keys (issue 17), so each key gets its own.
    let n = 0;
    const create = () =>
      request(gw.app)
        .post('/dashboard/api/keys')
        .set('Host', host)
        .set('Origin', `http://${host}`)
        .set('Cookie', cookie)
        .set('X-CSRF-Token', signup.body.csrf_token as string)
        .send({ name: `k${++n}` });
    for (let i = 0; i < 3; i++) expect((await create()).status).toBe(201);
    const refused = await create();
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      status: 'failed',
      result: 'key_limit_reached',
      message:
        'This account already has 3 active API keys, the most allowed. Revoke one before creating another.',
      hint: 'Revoke an API key you no longer use, then create the new one.',
      request_id: refused.headers['x-request-id'],
    });
  });
});
