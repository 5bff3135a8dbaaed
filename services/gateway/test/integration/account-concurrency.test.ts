import request from 'supertest';
import { Redis } from 'ioredis';
import { createApp } from '../../src/http/app';
import { createAccountSlots, MemorySlots, RedisSlots } from '../../src/platform/redis/account-slots';
import { asBase64, pngImage } from '../factories/images';
import { createCustomer, REDIS_URL, startGateway, type TestGateway } from '../helpers/app';

const IMG = asBase64(pngImage(16, 16));

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('ACCOUNT_MAX_CONCURRENT across gateway instances (MariaDB, Redis)', () => {
  let gw: TestGateway;
  let other: Redis;
  let key: string;

  beforeAll(async () => {
    gw = await startGateway({ redis: true, env: { ACCOUNT_MAX_CONCURRENT: '2' } });
    other = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    await new Promise((resolve) => other.once('ready', resolve));
    key = (await createCustomer(gw, { balanceMicros: 10_000_000 })).key;
  });
  afterAll(async () => {
    other.disconnect();
    await gw.close();
  });

  it('a second instance (its own Redis connection and slots, same database) sees the first one’s requests', async () => {
    // Instance B: the same app on the same database and Redis prefix, with nothing shared in memory.
    const b = createApp({ ...gw.deps, accountSlots: createAccountSlots(gw.config, other) });
    gw.engine.behaviour.Verify = { kind: 'ok', delayMs: 700 };
    const verifyOn = (app: typeof b) =>
      request(app).post('/v1/verify').set('X-API-KEY', key).send({ img1: IMG, img2: IMG });
    // Two requests held in flight on instance A (the engine answers after 700 ms).
    const onA = [verifyOn(gw.app), verifyOn(gw.app)].map((r) => r.then((res) => res));
    await until(() => gw.engine.calls.Verify === 2);

    const refused = await verifyOn(b);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      status: 'failed',
      result: 'rate_limited',
      message: expect.stringMatching(/in flight for this account/) as unknown,
    });
    expect(refused.headers['retry-after']).toBe('1');

    expect((await Promise.all(onA)).map((res) => res.status)).toEqual([200, 200]);
    // Both slots were given back: B is served now.
    gw.engine.behaviour.Verify = { kind: 'ok' };
    expect((await verifyOn(b)).status).toBe(200);
    expect(gw.engine.calls.Verify).toBe(3);
  });
});

describe('account slots in Redis', () => {
  let redis: Redis;
  const prefix = `slots_test_${process.pid}_${Date.now()}:`;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    await new Promise((resolve) => redis.once('ready', resolve));
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  const slots = (max: number, leaseMs: number, client: Redis = redis) =>
    new RedisSlots(client, {
      max,
      keyPrefix: prefix,
      leaseMs,
      timeoutMs: 200,
      fallback: new MemorySlots(max),
    });

  it('caps, gives back on release (once), and lets a lease that was never given back expire', async () => {
    const s = slots(1, 300);
    const first = await s.acquire('acct-1');
    expect(first).toBeDefined();
    expect(await s.acquire('acct-1')).toBeUndefined();
    expect(await s.acquire('acct-2')).toBeDefined(); // accounts are counted apart
    first?.();
    first?.();
    await new Promise((resolve) => setTimeout(resolve, 20)); // the release is sent without waiting
    const second = await s.acquire('acct-1');
    expect(second).toBeDefined();
    // A gateway that died holding `second`: its lease ends by itself.
    expect(await s.acquire('acct-1')).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await s.acquire('acct-1')).toBeDefined();
  });

  it('gives back at once a slot Redis grants after the wait for it was given up', async () => {
    const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      // Redis holds every write (scripts included) for 300 ms; the slots wait 200 ms, then count in this process.
      await admin.call('CLIENT', 'PAUSE', '300', 'WRITE');
      const s = slots(1, 60_000);
      expect(await s.acquire('acct-late')).toBeDefined();
      const key = `${prefix}inflight:acct-late`;
      // The script has run once the pause ended; its lease must not outlive that.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await redis.zcard(key)).toBe(0);
    } finally {
      admin.disconnect();
    }
  });

  it('counts in this process while Redis does not answer, so the API keeps working', async () => {
    // Nothing listens on port 1: every command fails at once.
    const down = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
    });
    try {
      const s = slots(1, 60_000, down);
      const held = await s.acquire('acct-3');
      expect(held).toBeDefined();
      expect(await s.acquire('acct-3')).toBeUndefined();
      held?.();
      expect(await s.acquire('acct-3')).toBeDefined();
    } finally {
      down.disconnect();
    }
  });
});
