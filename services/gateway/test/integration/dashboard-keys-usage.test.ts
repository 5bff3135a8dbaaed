import request from 'supertest';
import { VERIFIED } from '@deepface/fake-engine';
import { asBase64, asDataUri, pngImage } from '../factories/images';
import { startGateway, type TestGateway } from '../helpers/app';
import { dashboardClient, type Browser } from '../helpers/dashboard';
import type { DbKind } from '../helpers/database';

/**
 * Developer console, keys and usage (issue 17): rename, roll (one transaction, key cap kept), duplicate names,
 * ownership, last-used endpoint, the activity list (period, paging, filters), refused calls and the CSV export.
 */
const IMG = asBase64(pngImage(16, 16));

/** Waits for a fire-and-forget write to land (bounded: fails the test rather than hanging). */
async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 100 && !ok(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}

describe.each<DbKind>(['mysql', 'sqlite'])('dashboard keys and usage (%s)', (kind) => {
  let gw: TestGateway;
  let client: ReturnType<typeof dashboardClient>;

  beforeAll(async () => {
    gw = await startGateway({
      db: kind,
      env: { PASSWORD_SCRYPT_LOG2N: '12', SIGNUPS_PER_IP_PER_HOUR: '1000', ACCOUNT_MAX_KEYS: '3' },
    });
    client = dashboardClient(gw.app);
  });
  afterAll(async () => {
    await gw?.close();
  });
  beforeEach(() => {
    gw.engine.behaviour.Verify = { kind: 'ok', response: VERIFIED };
  });

  const createKey = async (b: Browser, name: string, mode = 'live') => {
    const res = await client.post('/keys', { name, mode }, b);
    expect(res.status).toBe(201);
    return res.body as { key: { id: string; name: string; prefix: string }; secret: string };
  };
  const keys = async (b: Browser) =>
    (await client.get('/keys', b)).body.keys as { id: string; name: string; status: string }[];
  const verify = (secret: string, body: object = { img1: IMG, img2: asDataUri(pngImage(16, 16)) }) =>
    request(gw.app).post('/v1/verify').set('X-API-KEY', secret).send(body);

  it('refuses a duplicate name among active keys, ignoring case and spaces; allows it once revoked', async () => {
    const b = await client.signUp();
    const first = await createKey(b, 'Backend');
    const dup = await client.post('/keys', { name: '  backend ', mode: 'test' }, b);
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ status: 'failed', result: 'key_name_taken' });
    expect(dup.body.message).toMatch(/already named “backend”.*ignoring case/);
    expect(await keys(b)).toHaveLength(1);
    expect((await client.post(`/keys/${first.key.id}/revoke`, {}, b)).status).toBe(200);
    expect((await client.post('/keys', { name: 'BACKEND', mode: 'live' }, b)).status).toBe(201);
  });

  it('renames a key (CSRF, ownership → 404, duplicates → 409, revoked → 409)', async () => {
    const a = await client.signUp();
    const other = await client.signUp();
    const k1 = await createKey(a, 'one');
    const k2 = await createKey(a, 'two');
    const renamed = await client.post(`/keys/${k1.key.id}/rename`, { name: 'payments-prod' }, a);
    expect(renamed.status).toBe(200);
    expect(renamed.body.key).toMatchObject({ id: k1.key.id, name: 'payments-prod', status: 'active' });
    expect(renamed.body.key).not.toHaveProperty('key_hash');
    // Its own name in another case is fine; another key's name is not.
    expect((await client.post(`/keys/${k1.key.id}/rename`, { name: 'Payments-Prod' }, a)).status).toBe(200);
    const taken = await client.post(`/keys/${k2.key.id}/rename`, { name: 'PAYMENTS-PROD' }, a);
    expect(taken.status).toBe(409);
    expect(taken.body.result).toBe('key_name_taken');
    // Someone else's key, a missing key: the same 404; nothing changed.
    for (const id of [k1.key.id, 'key_doesnotexist']) {
      const res = await client.post(`/keys/${id}/rename`, { name: 'mine now' }, other);
      expect(res.status).toBe(404);
    }
    expect((await keys(a)).find((k) => k.id === k1.key.id)?.name).toBe('Payments-Prod');
    // No CSRF token: refused.
    const noCsrf = await client.post(
      `/keys/${k1.key.id}/rename`,
      { name: 'x' },
      { cookie: a.cookie, csrf: '' },
    );
    expect(noCsrf.status).toBe(403);
    // Bad names: clear 400s.
    expect((await client.post(`/keys/${k1.key.id}/rename`, { name: '   ' }, a)).status).toBe(400);
    expect((await client.post(`/keys/${k1.key.id}/rename`, { name: 'x'.repeat(101) }, a)).status).toBe(400);
    expect((await client.post(`/keys/${k1.key.id}/rename`, { name: 'ok', extra: 1 }, a)).status).toBe(400);
    await client.post(`/keys/${k2.key.id}/revoke`, {}, a);
    const revoked = await client.post(`/keys/${k2.key.id}/rename`, { name: 'again' }, a);
    expect(revoked.status).toBe(409);
    expect(revoked.body.result).toBe('key_revoked');
  });

  it('rolls a key: new secret, same name and mode, old key refused at once; works at the key cap', async () => {
    const b = await client.signUp();
    const other = await client.signUp();
    const k1 = await createKey(b, 'rolling', 'test');
    await createKey(b, 'second');
    await createKey(b, 'third'); // ACCOUNT_MAX_KEYS=3: the account is at its cap.
    expect((await client.post('/keys', { name: 'fourth', mode: 'live' }, b)).body.result).toBe(
      'key_limit_reached',
    );
    expect((await client.post(`/keys/${k1.key.id}/roll`, {}, other)).status).toBe(404);

    const rolled = await client.post(`/keys/${k1.key.id}/roll`, {}, b);
    expect(rolled.status).toBe(201);
    expect(rolled.body.key).toMatchObject({ name: 'rolling', mode: 'test', status: 'active' });
    expect(rolled.body.key.id).not.toBe(k1.key.id);
    expect(rolled.body.secret).toMatch(/^df_test_/);
    expect(rolled.body.secret).not.toBe(k1.secret);
    expect(rolled.body.revoked).toMatchObject({ id: k1.key.id, status: 'revoked' });
    const list = await keys(b);
    expect(list.filter((k) => k.status === 'active')).toHaveLength(3);
    // The old secret is refused, the new one works (test key: sandbox, free).
    expect((await request(gw.app).get('/v1/account').set('X-API-KEY', k1.secret)).status).toBe(401);
    expect(
      (
        await request(gw.app)
          .get('/v1/account')
          .set('X-API-KEY', rolled.body.secret as string)
      ).status,
    ).toBe(200);
    // A revoked key cannot be rolled again (no second live secret from one key).
    const again = await client.post(`/keys/${k1.key.id}/roll`, {}, b);
    expect(again.status).toBe(409);
    expect(again.body.result).toBe('key_revoked');
    expect((await keys(b)).filter((k) => k.status === 'active')).toHaveLength(3);
  });

  it('concurrent rolls of one key leave exactly one new active key', async () => {
    const b = await client.signUp();
    const k = await createKey(b, 'raced');
    const results = await Promise.all([1, 2, 3].map(() => client.post(`/keys/${k.key.id}/roll`, {}, b)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.result === 'key_revoked')).toBe(true);
    const active = (await keys(b)).filter((x) => x.status === 'active');
    expect(active).toHaveLength(1);
    expect(active[0]!.name).toBe('raced');
  });

  it('records the endpoint a key was last used on', async () => {
    const b = await client.signUp();
    const k = await createKey(b, 'used');
    expect((await client.get('/keys', b)).body.keys[0]).toMatchObject({ last_used_endpoint: null });
    expect((await verify(k.secret)).status).toBe(200);
    const list = await eventually(
      () => keys(b) as Promise<{ id: string; last_used_endpoint?: string | null }[]>,
      (l) => l[0]?.last_used_endpoint !== null,
    );
    expect(list[0]).toMatchObject({ id: k.key.id, last_used_endpoint: 'POST /v1/verify' });
  });

  it('activity: follows the period, pages by cursor, filters by endpoint and type', async () => {
    const b = await client.signUp();
    const k = await createKey(b, 'pager');
    expect((await verify(k.secret)).status).toBe(200);
    expect((await verify(k.secret)).status).toBe(200);
    const account = (await client.get('/account', b)).body.account as { id: string };
    // An old zero-amount credit (40 days ago): inside 90 days, outside 30.
    await gw.db('ledger_entries').insert({
      account_id: account.id,
      type: 'credit',
      amount_micros: 0,
      balance_delta_micros: 0,
      reserved_delta_micros: 0,
      reason: '=HYPERLINK("http://evil.example")',
      created_at: Date.now() - 40 * 86_400_000,
    });

    const all30 = await client.get('/usage/activity?days=30', b);
    expect(all30.status).toBe(200);
    expect((all30.body.entries as { type: string }[]).map((e) => e.type)).toEqual([
      'capture',
      'capture',
      'credit',
    ]);
    expect(all30.body.next_cursor).toBeNull();
    const all90 = await client.get('/usage/activity?days=90', b);
    expect(all90.body.entries).toHaveLength(4);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await client.get(
        `/usage/activity?days=90&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        b,
      );
      expect(res.status).toBe(200);
      expect(res.body.entries).toHaveLength(1);
      seen.push(res.body.entries[0].id as string);
      cursor = res.body.next_cursor as string | null;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual((all90.body.entries as { id: string }[]).map((e) => e.id));

    const verifies = await client.get('/usage/activity?days=30&endpoint=verify', b);
    expect((verifies.body.entries as { endpoint: string }[]).every((e) => e.endpoint === 'verify')).toBe(
      true,
    );
    expect(verifies.body.entries).toHaveLength(2);
    expect((await client.get('/usage/activity?days=90&type=credit', b)).body.entries).toHaveLength(2);
    expect((await client.get('/usage/activity?days=30&endpoint=analyze', b)).body.entries).toHaveLength(0);
    // Bad filters and cursors: 400, never a 500.
    for (const q of [
      'days=0',
      'days=91',
      'type=reserve',
      'endpoint=nope',
      'cursor=bm9wZQ',
      'limit=1000',
      'x=1',
    ]) {
      const res = await client.get(`/usage/activity?${q}`, b);
      expect(res.status).toBe(400);
    }
    // Another account sees none of it.
    const other = await client.signUp();
    expect((await client.get('/usage/activity?days=90&type=capture', other)).body.entries).toHaveLength(0);

    // CSV: the same rows, a safe file name, formulas defused.
    const csv = await client.get('/usage/export.csv?days=90', b);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(
      /^attachment; filename="deepface-usage-\d{4}-\d{2}-\d{2}-90d\.csv"$/,
    );
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,type,endpoint,amount,balance_change,request_id,reason,key_name,key_prefix');
    expect(lines).toHaveLength(5);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(csv.text).not.toMatch(/,=HYPERLINK/);
    // Newest id first (the old credit was appended last); amounts as plain numbers, not defused.
    expect(lines[2]).toMatch(/,capture,verify,0\.25,-0\.25,/);
    const filtered = await client.get('/usage/export.csv?days=30&type=credit', b);
    expect(filtered.text.trimEnd().split('\r\n')).toHaveLength(2);
    expect((await client.get('/usage/export.csv?days=30&view=../etc', b)).status).toBe(400);
    expect(
      (await request(gw.app).get('/dashboard/api/usage/export.csv').set('Host', '127.0.0.1:8080')).status,
    ).toBe(401);
  });

  it('activity by key: each charge records the key that made it; filter, CSV, another account sees nothing', async () => {
    const b = await client.signUp();
    const ka = await createKey(b, 'backend');
    const kb = await createKey(b, 'mobile', 'live');
    expect((await verify(ka.secret)).status).toBe(200);
    expect((await verify(kb.secret)).status).toBe(200);
    expect((await verify(kb.secret)).status).toBe(200);
    const account = (await client.get('/account', b)).body.account as { id: string };
    // Every ledger entry of a call (the hold, then its capture) carries the key id; the credit none.
    const rows = (await gw.db('ledger_entries').where({ account_id: account.id }).orderBy('id')) as {
      type: string;
      key_id: string | null;
    }[];
    expect(rows.map((r) => [r.type, r.key_id])).toEqual([
      ['credit', null],
      ['reserve', ka.key.id],
      ['capture', ka.key.id],
      ['reserve', kb.key.id],
      ['capture', kb.key.id],
      ['reserve', kb.key.id],
      ['capture', kb.key.id],
    ]);

    const all = await client.get('/usage/activity?days=30', b);
    const named = (all.body.entries as { type: string; key: { id: string; name: string } | null }[]).map(
      (e) => [e.type, e.key?.name ?? null],
    );
    expect(named).toEqual([
      ['capture', 'mobile'],
      ['capture', 'mobile'],
      ['capture', 'backend'],
      ['credit', null],
    ]);
    const onlyA = await client.get(`/usage/activity?days=30&key=${ka.key.id}`, b);
    expect(onlyA.status).toBe(200);
    expect(onlyA.body.entries).toHaveLength(1);
    expect(onlyA.body.entries[0]).toMatchObject({
      type: 'capture',
      key: { id: ka.key.id, name: 'backend', prefix: ka.key.prefix },
    });
    // Paging keeps the filter.
    const page1 = await client.get(`/usage/activity?days=30&key=${kb.key.id}&limit=1`, b);
    expect(page1.body.entries).toHaveLength(1);
    const page2 = await client.get(
      `/usage/activity?days=30&key=${kb.key.id}&limit=1&cursor=${encodeURIComponent(page1.body.next_cursor as string)}`,
      b,
    );
    expect(page2.body.entries).toHaveLength(1);
    expect(page2.body.next_cursor).toBeNull();
    // A revoked key's past calls stay attributed to it.
    expect((await client.post(`/keys/${ka.key.id}/revoke`, {}, b)).status).toBe(200);
    expect((await client.get(`/usage/activity?days=30&key=${ka.key.id}`, b)).body.entries).toHaveLength(1);
    // Someone else filtering by this key id sees nothing of this account.
    const other = await client.signUp();
    expect((await client.get(`/usage/activity?days=30&key=${kb.key.id}`, other)).body.entries).toHaveLength(
      0,
    );
    expect((await client.get('/usage/activity?key=' + 'x'.repeat(41), b)).status).toBe(400);

    const csv = await client.get(`/usage/export.csv?days=30&key=${kb.key.id}`, b);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(new RegExp(`,capture,verify,.*,mobile,${kb.key.prefix}$`));
  });

  it('refused calls: recorded per account with status and code, nothing charged, filterable, in CSV', async () => {
    const b = await client.signUp();
    const k1 = await createKey(b, '=cmd|calc');
    const k2 = await createKey(b, 'quiet');
    const before = (await client.get('/account', b)).body.account.balance as number;
    expect((await verify(k1.secret, { img1: 'not an image' })).status).toBe(400);
    expect((await request(gw.app).get('/v1/jobs/job_missing').set('X-API-KEY', k2.secret)).status).toBe(404);
    // No valid key: belongs to no account, not recorded anywhere.
    expect((await verify('df_live_nope')).status).toBe(401);
    const page = await eventually(
      () => client.get('/usage/refused?days=7', b),
      (res) => (res.body.calls as unknown[] | undefined)?.length === 2,
    );
    expect(page.status).toBe(200);
    expect(page.body.calls).toEqual([
      expect.objectContaining({
        endpoint: 'GET /v1/jobs/{id}',
        status: 404,
        code: 'not_found',
        charged: 0,
        key: { id: k2.key.id, name: 'quiet', prefix: k2.key.prefix },
      }),
      expect.objectContaining({
        endpoint: 'POST /v1/verify',
        status: 400,
        code: 'invalid_input',
        charged: 0,
        key: expect.objectContaining({ id: k1.key.id }),
      }),
    ]);
    expect(JSON.stringify(page.body)).not.toContain(k1.secret);
    expect((await client.get('/account', b)).body.account.balance).toBe(before);
    expect((await client.get('/usage?days=7', b)).body.totals.refused).toBe(2);

    const byKey = await client.get(`/usage/refused?days=7&key=${k1.key.id}`, b);
    expect(byKey.body.calls).toHaveLength(1);
    const byEndpoint = await client.get('/usage/refused?days=7&endpoint=verify', b);
    expect(byEndpoint.body.calls).toHaveLength(1);
    const first = await client.get('/usage/refused?days=7&limit=1', b);
    expect(first.body.calls).toHaveLength(1);
    const second = await client.get(
      `/usage/refused?days=7&limit=1&cursor=${first.body.next_cursor as string}`,
      b,
    );
    expect(second.body.calls[0].id).not.toBe(first.body.calls[0].id);
    expect(second.body.next_cursor).toBeNull();
    // Someone else sees none of them.
    const other = await client.signUp();
    expect((await client.get('/usage/refused?days=7', other)).body.calls).toHaveLength(0);

    const csv = await client.get('/usage/export.csv?view=refused&days=7', b);
    expect(csv.headers['content-disposition']).toMatch(/filename="deepface-refused-calls-[\d-]+-7d\.csv"/);
    expect(csv.text).toContain(`"'=cmd|calc"`);
    expect(csv.text).not.toMatch(/(^|,)=cmd/m);
    const rows = await gw.db('refused_calls').select('*');
    expect(JSON.stringify(rows)).not.toContain('not an image');

    // Retention: rows older than the window are deleted, newer ones kept.
    const accountId = ((await client.get('/account', b)).body.account as { id: string }).id;
    await gw.db('refused_calls').insert({
      account_id: accountId,
      key_id: null,
      endpoint: 'other',
      status: 404,
      code: 'not_found',
      created_at: Date.now() - 31 * 86_400_000,
    });
    const deleted = await gw.services.repos.refusedCalls.deleteOlderThan(gw.db, Date.now() - 30 * 86_400_000);
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(await gw.db('refused_calls').where({ account_id: accountId }).count({ n: '*' })).toEqual([
      { n: 2 },
    ]);
  });
});
