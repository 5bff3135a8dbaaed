import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { startGateway, type TestGateway } from '../helpers/app';
import { dashboardClient, PASSWORD } from '../helpers/dashboard';

/** Issue 18 item 11: password change, signing out everywhere, no keys for suspended accounts, a private SQLite file. */
describe('account hygiene', () => {
  let gw: TestGateway;
  let client: ReturnType<typeof dashboardClient>;
  beforeAll(async () => {
    gw = await startGateway({ db: 'mysql', env: { PASSWORD_SCRYPT_LOG2N: '12', LOGIN_MAX_FAILURES: '3' } });
    client = dashboardClient(gw.app);
  });
  afterAll(async () => {
    await gw?.close();
  });

  const NEW_PASSWORD = 'a much better passphrase';

  it('changes the password with the current one and signs every other session out', async () => {
    const here = await client.signUp();
    const laptop = await client.signIn(here.email);
    const phone = await client.signIn(here.email);

    const res = await client.post(
      '/password',
      { current_password: PASSWORD, new_password: NEW_PASSWORD },
      here,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'success', signed_out_sessions: 2 });
    // The other sessions are gone; this one stays.
    expect((await client.get('/account', laptop)).status).toBe(401);
    expect((await client.get('/account', phone)).status).toBe(401);
    expect((await client.get('/account', here)).status).toBe(200);
    expect((await client.post('/login', { email: here.email, password: PASSWORD })).status).toBe(401);
    expect((await client.post('/login', { email: here.email, password: NEW_PASSWORD })).status).toBe(200);
    const stored = (await gw.db('users').where({ email: here.email }).first()) as { password_hash: string };
    expect(stored.password_hash).toMatch(/^scrypt\$12\$/);
    expect(JSON.stringify(stored)).not.toContain(NEW_PASSWORD);
  });

  it('refuses a wrong current password (401, throttled like a sign-in), a weak new one, and no CSRF token', async () => {
    const b = await client.signUp();
    const weak = await client.post('/password', { current_password: PASSWORD, new_password: 'short' }, b);
    expect(weak.status).toBe(400);
    expect(weak.body.result).toBe('invalid_input');
    expect(
      (await client.post('/password', { current_password: PASSWORD, new_password: NEW_PASSWORD })).status,
    ).toBe(401);
    const noToken = await client.post(
      '/password',
      { current_password: PASSWORD, new_password: NEW_PASSWORD },
      { cookie: b.cookie, csrf: '' },
    );
    expect(noToken.status).toBe(403);
    for (let i = 0; i < 3; i++) {
      const wrong = await client.post(
        '/password',
        { current_password: `wrong ${i}`, new_password: NEW_PASSWORD },
        b,
      );
      expect(wrong.status).toBe(401);
      expect(wrong.body.result).toBe('invalid_credentials');
    }
    // A stolen session cannot guess the password: even the right one is refused now.
    const locked = await client.post(
      '/password',
      { current_password: PASSWORD, new_password: NEW_PASSWORD },
      b,
    );
    expect(locked.status).toBe(429);
    expect((await client.post('/login', { email: b.email, password: PASSWORD })).status).toBe(429);
  });

  it('signs out of every session, this one included', async () => {
    const here = await client.signUp();
    const other = await client.signIn(here.email);
    const res = await client.post('/logout-all', {}, here);
    expect(res.status).toBe(200);
    expect(([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]).toMatch(
      /^__Host-df_session=; Max-Age=0/,
    );
    expect((await client.get('/account', here)).status).toBe(401);
    expect((await client.get('/account', other)).status).toBe(401);
    expect(
      await gw.db('sessions').join('users', 'users.id', 'sessions.user_id').where('users.email', here.email),
    ).toEqual([]);
  });

  it('creates no key for a suspended account (dashboard and admin)', async () => {
    const b = await client.signUp();
    const user = (await gw.db('users').where({ email: b.email }).first()) as { account_id: string };
    await gw.services.accounts.setStatus(user.account_id, 'suspended');
    const res = await client.post('/keys', { name: 'after suspension' }, b);
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/suspended/);
    await expect(gw.services.accounts.createKey(user.account_id, 'live')).rejects.toThrow(/suspended/);
    expect(await gw.db('api_keys').where({ account_id: user.account_id })).toEqual([]);
    await gw.services.accounts.setStatus(user.account_id, 'active');
    expect((await client.post('/keys', { name: 'reactivated' }, b)).status).toBe(201);
  });
});

describe('the SQLite file', () => {
  it('is created 0600 (with its -wal and -shm) in a directory created 0700', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sqlite-mode-'));
    const file = path.join(dir, 'data', 'gateway.sqlite');
    const gw = await startGateway({ db: 'sqlite', env: { SQLITE_FILE: file, PASSWORD_SCRYPT_LOG2N: '12' } });
    try {
      await dashboardClient(gw.app).signUp();
      const mode = (f: string) => (statSync(f).mode & 0o777).toString(8);
      expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`), mode(path.dirname(file))]).toEqual([
        '600',
        '600',
        '600',
        '700',
      ]);
      expect((await request(gw.app).get('/readyz')).status).toBe(200);
    } finally {
      await gw.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
