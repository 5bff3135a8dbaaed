import request from 'supertest';
import { startGateway, type TestGateway } from '../helpers/app';

/**
 * TRUST_PROXY (issue 18, item 6): behind a reverse proxy every request arrives from the proxy's address, so the
 * per-IP limits (dashboard sign-ups, login throttling) must key on the client address the trusted proxy reports in
 * X-Forwarded-For — and on the socket's address when the sender is not a trusted proxy, whatever it claims.
 * supertest connects from 127.0.0.1: it plays the proxy hop.
 */
const PASSWORD = 'correct horse battery';
// One of the default public origins (PORT 8080): the dashboard refuses changes from any other Host.
const HOST = '127.0.0.1:8080';
let seq = 0;
const email = () => `proxy${++seq}-${Date.now()}@example.test`;

function dashboard(gw: TestGateway) {
  const post = (path: string, body: object, forwardedFor?: string) => {
    let req = request(gw.app).post(`/dashboard/api${path}`).set('Host', HOST).set('Origin', `http://${HOST}`);
    if (forwardedFor !== undefined) req = req.set('X-Forwarded-For', forwardedFor);
    return req.send(body);
  };
  return {
    signUp: (forwardedFor?: string, address = email()) =>
      post('/signup', { email: address, name: 'Acme', password: PASSWORD }, forwardedFor),
    signIn: (address: string, password: string, forwardedFor?: string) =>
      post('/login', { email: address, password }, forwardedFor),
  };
}

const LIMITS = { PASSWORD_SCRYPT_LOG2N: '10', SIGNUPS_PER_IP_PER_HOUR: '1', LOGIN_MAX_FAILURES: '1' };

describe.each([
  ['a hop count (TRUST_PROXY=1)', '1'],
  ['a named range (TRUST_PROXY=loopback)', 'loopback'],
  ['a CIDR list (TRUST_PROXY=10.0.0.0/8,127.0.0.0/8)', '10.0.0.0/8, 127.0.0.0/8'],
])('behind a trusted proxy: %s', (_label, trustProxy) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ db: 'sqlite', env: { ...LIMITS, TRUST_PROXY: trustProxy } });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('two clients with different X-Forwarded-For are limited separately; a forged entry does not help', async () => {
    const d = dashboard(gw);
    expect((await d.signUp('203.0.113.10')).status).toBe(201);
    expect((await d.signUp('203.0.113.11')).status).toBe(201);
    // The client's own (forged) header comes first; the proxy appends the address it saw: that one counts.
    const again = await d.signUp('198.51.100.99, 203.0.113.10');
    expect(again.status).toBe(429);
    expect(again.body).toMatchObject({ result: 'too_many_attempts' });
  });

  it('login throttling locks the guessing client, not another client of the same account', async () => {
    const d = dashboard(gw);
    const address = email();
    expect((await d.signUp('203.0.113.20', address)).status).toBe(201);
    expect((await d.signIn(address, 'wrong password!!', '203.0.113.21')).status).toBe(401);
    expect((await d.signIn(address, PASSWORD, '203.0.113.21')).status).toBe(429);
    expect((await d.signIn(address, PASSWORD, '203.0.113.22')).status).toBe(200);
  });
});

describe.each([
  ['TRUST_PROXY unset', {}],
  ['TRUST_PROXY=false', { TRUST_PROXY: 'false' }],
  ['TRUST_PROXY naming other proxies (10.0.0.0/8)', { TRUST_PROXY: '10.0.0.0/8' }],
])('not trusted: %s', (_label, env: Record<string, string>) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ db: 'sqlite', env: { ...LIMITS, ...env } });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('X-Forwarded-For is ignored: every request counts for the socket address', async () => {
    const d = dashboard(gw);
    expect((await d.signUp('203.0.113.10')).status).toBe(201);
    expect((await d.signUp('203.0.113.11')).status).toBe(429);
    expect((await d.signUp()).status).toBe(429);
  });
});
