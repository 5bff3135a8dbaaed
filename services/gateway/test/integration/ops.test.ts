import request from 'supertest';
import { asBase64, asDataUri, pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';

const IMG = asBase64(pngImage(16, 16));

describe('rate limits with Redis', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway({ redis: true, env: { RATE_LIMIT_POINTS: '3', RATE_LIMIT_WINDOW_S: '60' } });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('per key: RateLimit headers, then 429 with Retry-After; another key is unaffected', async () => {
    const { key } = await createCustomer(gw);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await request(gw.app).get('/v1/account').set('X-API-KEY', key);
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-policy']).toBe('"per-key";q=3;w=60, "per-account";q=100000;w=60');
      remaining.push(res.headers.ratelimit as string);
    }
    expect(remaining.map((h) => /r=(\d+)/.exec(h)![1])).toEqual(['2', '1', '0']);
    const limited = await request(gw.app).get('/v1/account').set('X-API-KEY', key);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ status: 'failed', result: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);

    const other = await createCustomer(gw);
    expect((await request(gw.app).get('/v1/account').set('X-API-KEY', other.key)).status).toBe(200);
    // The counter lives in Redis under this run's prefix.
    const keys = await gw.redis!.keys(`${gw.config.redis.keyPrefix}*`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
  });

  it('Redis down → the API keeps serving with the in-process insurance limiter', async () => {
    const { key } = await createCustomer(gw);
    gw.redis!.disconnect();
    const res = await request(gw.app).get('/v1/account').set('X-API-KEY', key);
    expect(res.status).toBe(200);
    expect(res.headers.ratelimit).toMatch(/r=2/);
    const ready = await request(gw.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.redis).toBe('down');
  });
});

describe('rate limits without Redis (in-process)', () => {
  it('limits per key in memory', async () => {
    const gw = await startGateway({ env: { RATE_LIMIT_POINTS: '1' } });
    try {
      const { key } = await createCustomer(gw);
      expect((await request(gw.app).get('/v1/account').set('X-API-KEY', key)).status).toBe(200);
      expect((await request(gw.app).get('/v1/account').set('X-API-KEY', key)).status).toBe(429);
    } finally {
      await gw.close();
    }
  });
});

describe('health, request ids and logs', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('/healthz and /readyz (database required, engine reported), both with request ids', async () => {
    const health = await request(gw.app).get('/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    expect(health.headers['x-request-id']).toMatch(/^req_/);
    const ready = await request(gw.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      draining: false,
      checks: {
        database: 'ok',
        redis: 'disabled',
        engine: { channel: expect.any(String), breaker: 'closed' },
      },
    });
    gw.deps.lifecycle!.draining = true;
    expect((await request(gw.app).get('/readyz')).status).toBe(503);
    gw.deps.lifecycle!.draining = false;
  });

  it('keeps a well-formed client request id and replaces a malformed one', async () => {
    const kept = await request(gw.app).get('/healthz').set('X-Request-Id', 'client-trace-12345');
    expect(kept.headers['x-request-id']).toBe('client-trace-12345');
    const replaced = await request(gw.app).get('/healthz').set('X-Request-Id', 'bad id with spaces');
    expect(replaced.headers['x-request-id']).toMatch(/^req_/);
  });

  it('never logs a key, an image or base64; logs carry request ids', async () => {
    const { key } = await createCustomer(gw);
    gw.logs.length = 0;
    const marker = pngImage(24, 24, 77);
    const res = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .send({ img1: asDataUri(marker), img2: IMG });
    expect(res.status).toBe(200);
    await request(gw.app).post('/v1/verify').set('X-API-KEY', `${key}x`).send({ img1: IMG, img2: IMG });
    const logs = gw.logs.join('\n');
    expect(logs).toContain(res.headers['x-request-id'] as string);
    expect(logs).not.toContain(key);
    expect(logs).not.toContain(key.slice(12, 30));
    expect(logs).not.toContain(IMG.slice(0, 24));
    expect(logs).not.toContain(marker.toString('base64').slice(0, 24));
  });

  it('responses carry no-store and nosniff, and no X-Powered-By', async () => {
    const res = await request(gw.app).get('/healthz');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
