import request from 'supertest';
import { startGateway, type TestGateway } from '../helpers/app';
import { DASHBOARD_ORIGIN, dashboardClient } from '../helpers/dashboard';

/** Issue 18 item 9 (dashboard part): odd input gets a 4xx, never a 500, and is never logged verbatim. */
describe('dashboard: odd input', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ db: 'sqlite', env: { PASSWORD_SCRYPT_LOG2N: '12' } });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('answers 403 to a non-ASCII X-CSRF-Token of the right length (no RangeError, nothing logged)', async () => {
    const client = dashboardClient(gw.app);
    const b = await client.signUp();
    // As many characters as the real token, but more bytes: a byte-length compare would throw.
    const token = `é${b.csrf.slice(1)}`;
    const marker = b.csrf.slice(1, 20);
    const res = await request(gw.app)
      .post('/dashboard/api/keys')
      .set('Host', new URL(DASHBOARD_ORIGIN).host)
      .set('Origin', DASHBOARD_ORIGIN)
      .set('Cookie', b.cookie)
      .set('X-CSRF-Token', token)
      .send({ name: 'k' });
    expect(res.status).toBe(403);
    expect(res.body.result).toBe('csrf_failed');
    expect(gw.logs.join('\n')).not.toContain(marker);
    expect(gw.logs.join('\n')).not.toMatch(/RangeError|"level":50/);
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])(
    '/dashboard/samples/%s is 404, not a property of an object',
    async (name) => {
      const res = await request(gw.app).get(`/dashboard/samples/${name}`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).not.toMatch(/image/);
    },
  );

  it('still serves the real samples', async () => {
    const res = await request(gw.app).get('/dashboard/samples/selfie.jpg');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/image\/jpeg/);
  });
});
