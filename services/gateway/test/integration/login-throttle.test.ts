import { createApp } from '../../src/http/app';
import { LoginThrottle } from '../../src/features/dashboard/login-throttle';
import { startGateway, type TestGateway } from '../helpers/app';
import { dashboardClient, PASSWORD, uniqueEmail } from '../helpers/dashboard';

/**
 * Issue 18 item 1: an attempt is taken atomically before the password is checked, so simultaneous guesses cannot
 * all pass a check made before any of them failed. With Redis (shared by every gateway instance) and without.
 */
const MAX = 5;
const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});

describe.each([
  ['with Redis', true],
  ['without Redis', false],
])('sign-in throttle under concurrency (%s)', (_label, redis) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({
      db: 'mysql',
      redis,
      // A scrypt slow enough (16 MiB) that every guess is in flight before the first one fails; a hasher queue
      // long enough that only the throttle refuses.
      env: {
        PASSWORD_SCRYPT_LOG2N: '14',
        LOGIN_MAX_FAILURES: String(MAX),
        PASSWORD_HASH_QUEUE: '200',
        SIGNUPS_PER_IP_PER_HOUR: '1000',
      },
    });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it(`checks at most ${MAX} of 30 simultaneous wrong guesses and the right password; the rest get 429`, async () => {
    const client = dashboardClient(gw.app);
    const { email } = await client.signUp();
    const guesses = Array.from({ length: 30 }, (_, i) => `wrong password ${i}`);
    guesses.splice(17, 0, PASSWORD);
    const statuses = (
      await Promise.all(guesses.map((password) => client.post('/login', { email, password })))
    ).map((res) => res.status);
    const counts = tally(statuses);
    expect(Object.keys(counts).every((s) => ['200', '401', '429'].includes(s))).toBe(true);
    expect((counts[200] ?? 0) + (counts[401] ?? 0)).toBeLessThanOrEqual(MAX);
    expect(counts[429] ?? 0).toBeGreaterThanOrEqual(31 - MAX);
  });

  it(`checks at most ${MAX * 10} of 70 simultaneous guesses from one client for different e-mails`, async () => {
    const client = dashboardClient(gw.app);
    const statuses = (
      await Promise.all(
        Array.from({ length: 70 }, () => client.post('/login', { email: uniqueEmail(), password: PASSWORD })),
      )
    ).map((res) => res.status);
    const counts = tally(statuses);
    expect(Object.keys(counts).sort()).toEqual(['401', '429']);
    expect(counts[401]).toBeLessThanOrEqual(MAX * 10);
    expect(counts[429]).toBeGreaterThanOrEqual(70 - MAX * 10);
  });

  it('gives a right password its attempt back and forgets the failures before it', async () => {
    const other = await startGateway({
      db: 'sqlite',
      redis,
      env: { PASSWORD_SCRYPT_LOG2N: '12', LOGIN_MAX_FAILURES: String(MAX) },
    });
    try {
      const client = dashboardClient(other.app);
      const { email } = await client.signUp();
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < MAX - 1; i++) {
          expect((await client.post('/login', { email, password: 'wrong password!' })).status).toBe(401);
        }
        expect((await client.post('/login', { email, password: PASSWORD })).status).toBe(200);
      }
    } finally {
      await other.close();
    }
  });

  if (redis) {
    it('counts across gateway instances sharing Redis', async () => {
      const fresh = await startGateway({
        db: 'sqlite',
        redis: true,
        env: { PASSWORD_SCRYPT_LOG2N: '12', LOGIN_MAX_FAILURES: String(MAX) },
      });
      try {
        // A second instance: same database and Redis, a throttle object of its own.
        const second = createApp({
          ...fresh.deps,
          loginThrottle: new LoginThrottle(fresh.config, fresh.redis),
        });
        const clients = [dashboardClient(fresh.app), dashboardClient(second)];
        const { email } = await clients[0]!.signUp();
        const statuses: number[] = [];
        for (let i = 0; i < 2 * MAX; i++) {
          statuses.push((await clients[i % 2]!.post('/login', { email, password: `wrong ${i}` })).status);
        }
        expect(tally(statuses)).toEqual({ 401: MAX, 429: MAX });
      } finally {
        await fresh.close();
      }
    });
  }
});
