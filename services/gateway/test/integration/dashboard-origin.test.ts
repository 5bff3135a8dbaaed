import request from 'supertest';
import { startGateway, type TestGateway } from '../helpers/app';
import { dashboardClient, PASSWORD, uniqueEmail } from '../helpers/dashboard';

/**
 * Issue 18 item 10: DNS rebinding. A page on attacker.example whose name the attacker re-points at the victim's
 * gateway sends requests whose Host and Origin are both attacker.example — equal to each other, so comparing them
 * (the old check) let it sign up or guess passwords from the victim's browser and address. State changes must come
 * from a public origin (PUBLIC_ORIGIN; default localhost and 127.0.0.1 on PORT).
 */
describe('dashboard state changes only from the public origins', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ db: 'sqlite', env: { PASSWORD_SCRYPT_LOG2N: '12' } });
  });
  afterAll(async () => {
    await gw?.close();
  });

  const signUp = (host: string, origin?: string) => {
    let req = request(gw.app).post('/dashboard/api/signup').set('Host', host);
    if (origin !== undefined) req = req.set('Origin', origin);
    return req.send({ email: uniqueEmail(), name: 'Acme', password: PASSWORD });
  };

  it('refuses a rebinding page: Host and Origin of its own name (sign-up and sign-in)', async () => {
    const res = await signUp('attacker.example:8080', 'http://attacker.example:8080');
    expect(res.status).toBe(403);
    expect(res.body.result).toBe('csrf_failed');
    const { email } = await dashboardClient(gw.app).signUp();
    const guess = await request(gw.app)
      .post('/dashboard/api/login')
      .set('Host', 'attacker.example:8080')
      .set('Origin', 'http://attacker.example:8080')
      .send({ email, password: PASSWORD });
    expect(guess.status).toBe(403);
    expect(await gw.db('users').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('refuses a foreign Host without Origin, a foreign Origin, and an Origin of another allowed host', async () => {
    expect((await signUp('attacker.example:8080')).status).toBe(403);
    expect((await signUp('127.0.0.1:8080', 'http://attacker.example:8080')).status).toBe(403);
    expect((await signUp('127.0.0.1:8080', 'null')).status).toBe(403);
    expect((await signUp('127.0.0.1:8080', 'http://localhost:8080')).status).toBe(403);
    // The right names on another port are other origins.
    expect((await signUp('127.0.0.1:9999', 'http://127.0.0.1:9999')).status).toBe(403);
  });

  it('accepts localhost and 127.0.0.1 on PORT by default, with or without Origin', async () => {
    expect((await signUp('localhost:8080', 'http://localhost:8080')).status).toBe(201);
    expect((await signUp('127.0.0.1:8080', 'http://127.0.0.1:8080')).status).toBe(201);
    expect((await signUp('LOCALHOST:8080')).status).toBe(201);
  });

  it('reads are not affected (no state changes, and no cookie reaches a rebinding page)', async () => {
    const res = await request(gw.app).get('/dashboard/api/session').set('Host', 'attacker.example:8080');
    expect(res.status).toBe(200);
  });

  it('takes PUBLIC_ORIGIN instead of the defaults', async () => {
    const configured = await startGateway({
      db: 'sqlite',
      env: { PASSWORD_SCRYPT_LOG2N: '12', PUBLIC_ORIGIN: 'https://dash.example.com, http://10.0.0.5:8080' },
    });
    try {
      const client = dashboardClient(configured.app, 'https://dash.example.com');
      const b = await client.signUp();
      expect((await client.post('/keys', { name: 'k' }, b)).status).toBe(201);
      await dashboardClient(configured.app, 'http://10.0.0.5:8080').signUp();
      const local = await request(configured.app)
        .post('/dashboard/api/signup')
        .set('Host', 'localhost:8080')
        .set('Origin', 'http://localhost:8080')
        .send({ email: uniqueEmail(), name: 'Acme', password: PASSWORD });
      expect(local.status).toBe(403);
    } finally {
      await configured.close();
    }
  });
});
