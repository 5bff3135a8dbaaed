import request from 'supertest';
import { SAMPLE_FACE, SAMPLE_ID_CARD, SAMPLE_SELFIE } from '../../src/openapi/samples';
import { startGateway, type TestGateway } from '../helpers/app';

/**
 * The dashboard's security bar (reliability item 30) and its data routes: __Host- session cookie, session rotation,
 * CSRF, same-origin checks, CSP, login throttling, scrypt hashes, object-level authorization, trial credit.
 */
const PASSWORD = 'correct horse battery';
// One of the default public origins (PORT 8080): the dashboard refuses changes from any other Host.
const HOST = '127.0.0.1:8080';

interface Browser {
  cookie: string;
  csrf: string;
}

describe('dashboard (MariaDB)', () => {
  let gw: TestGateway;
  let seq = 0;

  beforeAll(async () => {
    gw = await startGateway({
      env: { PASSWORD_SCRYPT_LOG2N: '12', LOGIN_MAX_FAILURES: '3', SIGNUPS_PER_IP_PER_HOUR: '1000' },
    });
  });
  afterAll(async () => {
    await gw?.close();
  });

  const email = () => `user${++seq}-${Date.now()}@example.test`;
  const sessionCookie = (res: request.Response): string => {
    const header = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    const cookie = header.find((c) => c.startsWith('__Host-df_session='));
    if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(header)}`);
    return cookie.split(';')[0]!;
  };
  const post = (path: string, body: object, b?: Browser) => {
    let req = request(gw.app).post(`/dashboard/api${path}`).set('Host', HOST).set('Origin', `http://${HOST}`);
    if (b) req = req.set('Cookie', b.cookie).set('X-CSRF-Token', b.csrf);
    return req.send(body);
  };
  const get = (path: string, b?: Browser) => {
    const req = request(gw.app).get(`/dashboard/api${path}`);
    return b ? req.set('Cookie', b.cookie) : req;
  };
  async function signUp(address = email()): Promise<Browser & { email: string }> {
    const res = await post('/signup', { email: address, name: 'Acme', password: PASSWORD });
    expect(res.status).toBe(201);
    return { cookie: sessionCookie(res), csrf: res.body.csrf_token as string, email: address };
  }

  it('serves the page with a strict CSP (no framing, own scripts only)', async () => {
    const res = await request(gw.app).get('/dashboard');
    expect(res.status).toBe(200);
    expect(res.text).toContain('/dashboard/js/main.js');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect((await request(gw.app).get('/dashboard/js/main.js')).headers['content-type']).toMatch(
      /javascript/,
    );
    expect((await request(gw.app).get('/dashboard/js/views/keys.js')).status).toBe(200);
    expect((await request(gw.app).get('/dashboard/js/..%2Fpackage.json')).status).toBe(404);
    expect((await request(gw.app).get('/dashboard/static/app.css')).status).toBe(200);
  });

  it('signs up: __Host- cookie (Secure, HttpOnly, SameSite=Lax), $1.00 trial credit in the ledger', async () => {
    const address = email();
    const res = await post('/signup', { email: address.toUpperCase(), name: 'Acme KYC', password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: address, name: 'Acme KYC' });
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]!;
    expect(cookie).toMatch(
      /^__Host-df_session=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
    const browser = { cookie: sessionCookie(res), csrf: res.body.csrf_token as string };
    const account = await get('/account', browser);
    expect(account.body.account).toMatchObject({ balance: 1, email: address, status: 'active' });
    const usage = await get('/usage?days=7', browser);
    expect(usage.body.recent).toEqual([
      expect.objectContaining({ type: 'credit', balance_change: 1, reason: 'sign-up trial credit' }),
    ]);
    expect(usage.body.days).toHaveLength(7);
    expect(await gw.services.accounts.reconcile()).toEqual([]);
  });

  it('stores a scrypt hash, never the password, and only a hash of the session token', async () => {
    const b = await signUp();
    const user = (await gw.db('users').where({ email: b.email }).first()) as { password_hash: string };
    expect(user.password_hash).toMatch(/^scrypt\$12\$8\$1\$/);
    expect(JSON.stringify(await gw.db('users').select())).not.toContain(PASSWORD);
    const token = b.cookie.split('=')[1]!;
    expect(JSON.stringify(await gw.db('sessions').select())).not.toContain(token);
  });

  it('refuses a second account with the same e-mail, and weak or malformed input', async () => {
    const b = await signUp();
    expect((await post('/signup', { email: b.email, name: 'X', password: PASSWORD })).status).toBe(409);
    expect((await post('/signup', { email: email(), name: 'X', password: 'short' })).body).toMatchObject({
      result: 'invalid_input',
    });
    expect((await post('/signup', { email: 'not-an-email', name: 'X', password: PASSWORD })).status).toBe(
      400,
    );
  });

  it('signs in with a new session id (rotation) and deletes the one the browser held', async () => {
    const b = await signUp();
    const first = await post('/login', { email: b.email, password: PASSWORD });
    expect(first.status).toBe(200);
    const firstCookie = sessionCookie(first);
    const second = await request(gw.app)
      .post('/dashboard/api/login')
      .set('Host', HOST)
      .set('Cookie', firstCookie)
      .send({ email: b.email, password: PASSWORD });
    const secondCookie = sessionCookie(second);
    expect(secondCookie).not.toBe(firstCookie);
    expect((await get('/session', { cookie: firstCookie, csrf: '' })).body.user).toBeNull();
    expect((await get('/session', { cookie: secondCookie, csrf: '' })).body.user.email).toBe(b.email);
    expect((await get('/keys', { cookie: firstCookie, csrf: '' })).status).toBe(401);
  });

  it('throttles sign-in: after 3 failures even the right password gets 429 with Retry-After', async () => {
    const b = await signUp();
    for (let i = 0; i < 3; i++) {
      const res = await post('/login', { email: b.email, password: 'wrong password!' });
      expect(res.status).toBe(401);
      expect(res.body.result).toBe('invalid_credentials');
    }
    const locked = await post('/login', { email: b.email, password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Unknown e-mails get the same answer as wrong passwords (no account enumeration).
    const unknown = await post('/login', { email: email(), password: PASSWORD });
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toBe('The e-mail address or the password is not right.');
  });

  it('refuses sign-ups when DASHBOARD_SIGNUPS=false (sign-in still works)', async () => {
    const existing = await signUp();
    const closed = await startGateway({
      db: 'sqlite',
      env: { DASHBOARD_SIGNUPS: 'false', PASSWORD_SCRYPT_LOG2N: '12' },
    });
    try {
      const res = await request(closed.app)
        .post('/dashboard/api/signup')
        .set('Host', HOST)
        .send({ email: email(), name: 'X', password: PASSWORD });
      expect(res.status).toBe(403);
      expect(res.body.result).toBe('signups_closed');
      expect(await closed.db('accounts').count({ n: '*' })).toEqual([{ n: 0 }]);
    } finally {
      await closed.close();
    }
    expect((await post('/login', { email: existing.email, password: PASSWORD })).status).toBe(200);
  });

  it('reads at most 16 KiB from anyone not signed in', async () => {
    const res = await post('/login', { email: 'a@example.test', password: 'x'.repeat(20_000) });
    expect(res.status).toBe(413);
    expect(res.body.result).toBe('payload_too_large');
  });

  it('requires the session on every data route', async () => {
    for (const path of ['/account', '/keys', '/usage']) {
      const res = await get(path);
      expect(res.status).toBe(401);
      expect(res.body.result).toBe('session_required');
    }
    expect((await post('/keys', { name: 'x' })).status).toBe(401);
    expect((await post('/playground/verify', { img1: SAMPLE_ID_CARD, img2: SAMPLE_SELFIE })).status).toBe(
      401,
    );
  });

  it('requires the CSRF token and a same-origin request for every state change', async () => {
    const b = await signUp();
    const noToken = await post('/keys', { name: 'k' }, { cookie: b.cookie, csrf: '' });
    expect(noToken.status).toBe(403);
    expect(noToken.body.result).toBe('csrf_failed');
    expect((await post('/keys', { name: 'k' }, { cookie: b.cookie, csrf: 'x'.repeat(43) })).status).toBe(403);
    const crossSite = await request(gw.app)
      .post('/dashboard/api/keys')
      .set('Host', HOST)
      .set('Cookie', b.cookie)
      .set('X-CSRF-Token', b.csrf)
      .set('Origin', 'https://evil.example')
      .send({ name: 'k' });
    expect(crossSite.status).toBe(403);
    const fetchSite = await request(gw.app)
      .post('/dashboard/api/login')
      .set('Host', HOST)
      .set('Sec-Fetch-Site', 'cross-site')
      .send({ email: b.email, password: PASSWORD });
    expect(fetchSite.status).toBe(403);
    expect((await post('/keys', { name: 'k' }, b)).status).toBe(201);
  });

  it('grants no CORS: a preflight from another origin gets no Access-Control-Allow-Origin', async () => {
    const res = await request(gw.app)
      .options('/dashboard/api/keys')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const api = await request(gw.app).options('/v1/verify').set('Origin', 'https://evil.example');
    expect(api.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('creates a key (secret shown once) that works on the API, lists it, revokes it', async () => {
    const b = await signUp();
    const created = await post('/keys', { name: 'backend', mode: 'test' }, b);
    expect(created.status).toBe(201);
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^df_test_/);
    expect(created.body.key).toMatchObject({ name: 'backend', mode: 'test', status: 'active' });
    expect(created.body.key).not.toHaveProperty('key_hash');
    const listed = await get('/keys', b);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(listed.body.keys).toEqual([
      expect.objectContaining({ id: created.body.key.id, last_used_at: null }),
    ]);

    const account = await request(gw.app).get('/v1/account').set('X-API-KEY', secret);
    expect(account.status).toBe(200);
    expect(account.body.account.email).toBe(b.email);
    expect((await get('/keys', b)).body.keys[0].last_used_at).not.toBeNull();

    const revoked = await post(`/keys/${created.body.key.id as string}/revoke`, {}, b);
    expect(revoked.body.key.status).toBe('revoked');
    expect((await request(gw.app).get('/v1/account').set('X-API-KEY', secret)).status).toBe(401);
  });

  it("never shows or touches another user's keys or usage (404, object-level authorization)", async () => {
    const alice = await signUp();
    const mallory = await signUp();
    const key = await post('/keys', { name: 'alice-key' }, alice);
    const keyId = key.body.key.id as string;
    expect((await get('/keys', mallory)).body.keys).toEqual([]);
    const attempt = await post(`/keys/${keyId}/revoke`, {}, mallory);
    expect(attempt.status).toBe(404);
    expect((await get('/keys', alice)).body.keys[0].status).toBe('active');
    const malloryUsage = await get('/usage', mallory);
    expect(JSON.stringify(malloryUsage.body)).not.toContain(alice.email);
  });

  it('signs out: the session is gone and the cookie cleared', async () => {
    const b = await signUp();
    const res = await post('/logout', {}, b);
    expect(res.status).toBe(200);
    expect(([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]).toMatch(
      /^__Host-df_session=; Max-Age=0/,
    );
    expect((await get('/account', b)).status).toBe(401);
  });

  it('runs the playground on the user account: verify, look-alike with face boxes, analyze', async () => {
    const b = await signUp();
    const verify = await post('/playground/verify', { img1: SAMPLE_ID_CARD, img2: SAMPLE_SELFIE }, b);
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ result: 'verified', billing: { charged: 0.25 } });
    expect(verify.headers['x-balance-remaining']).toBe('0.75');
    const lookalike = await post('/playground/lookalike', { img1: SAMPLE_SELFIE, img2: SAMPLE_FACE }, b);
    expect(lookalike.body).toMatchObject({
      result: 'comparison_complete',
      facial_areas: { img1: null, img2: null },
      // The same-person cut is stated (the fake engine's canned comparison).
      distance: 0.2,
      threshold: 0.5,
    });
    const analyze = await post('/playground/analyze', { image: SAMPLE_FACE }, b);
    expect(analyze.body.faces_detected).toBe(1);
    const usage = await get('/usage?days=1', b);
    expect(usage.body.days[0]).toMatchObject({
      requests: 3,
      by_endpoint: { verify: 1, analyze: 1, lookalike: 1 },
    });
    expect(usage.body.totals.charged).toBe(0.75);
    const bad = await post('/playground/verify', { img1: SAMPLE_ID_CARD }, b);
    expect(bad.status).toBe(400);
    // The pickers' limits and formats come from the gateway's own configuration.
    const limits = await get('/playground/limits', b);
    expect(limits.body).toMatchObject({ max_bytes: 5 * 1024 * 1024, max_pixels: 40_000_000 });
    const formats = limits.body.formats as Array<{ name: string; mime: string }>;
    expect(formats.map((f) => f.name)).toEqual(['JPEG', 'PNG', 'WebP', 'GIF', 'AVIF', 'TIFF']);
  });
});
