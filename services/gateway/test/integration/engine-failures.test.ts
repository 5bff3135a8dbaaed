import * as grpc from '@grpc/grpc-js';
import request from 'supertest';
import { FakeEngine, VERIFIED } from '@deepface/fake-engine';
import { asBase64, pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';

const IMG = asBase64(pngImage(16, 16));
const BODY = { img1: IMG, img2: IMG };

async function expectNothingCharged(gw: TestGateway, accountId: string, balance: number) {
  const account = await gw.services.accounts.getAccount(accountId);
  expect(account.balance_micros).toBe(balance);
  expect(account.reserved_micros).toBe(0);
  expect(await gw.services.repos.reservations.countHeld(gw.db, accountId)).toBe(0);
}

describe('engine failures (MariaDB, fake engine)', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway({ env: { ENGINE_TIMEOUT_MS: '1000', ENGINE_BREAKER_VOLUME: '1000' } });
  });
  afterAll(async () => {
    await gw.close();
  });
  beforeEach(() => gw.engine.resetCalls());

  it('a stalled engine → 504 at the deadline (±10 %), nothing charged, nothing raw leaks', async () => {
    const { key, account } = await createCustomer(gw);
    gw.engine.behaviour.Verify = { kind: 'stall' };
    const started = Date.now();
    const res = await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send(BODY);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(504);
    expect(res.body).toEqual({
      status: 'error',
      result: 'engine_timeout',
      message: 'The face engine did not answer in time. Nothing was charged. Please retry.',
      hint: 'Retry the request; smaller images are processed faster.',
      request_id: res.headers['x-request-id'],
    });
    // At the deadline, not before; the upper bound only rules out waiting for a second attempt or a hang
    // (the same slack as test/reliability's deadline tests, so a loaded machine does not fail it).
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(1_000 * 1.1 + 1_000);
    expect(gw.engine.calls.Verify).toBe(1); // deadline exceeded is not retried
    await expectNothingCharged(gw, account.id, 10_000_000);
  });

  it('UNAVAILABLE is retried (3 attempts at most), then 503 engine_unavailable, nothing charged', async () => {
    const { key, account } = await createCustomer(gw);
    gw.engine.behaviour.Verify = {
      kind: 'error',
      code: grpc.status.UNAVAILABLE,
      detail: {
        reason: 'NOT_READY',
        message: 'models loading at /srv/models',
        retryable: true,
        retry_after_ms: 0,
      },
    };
    const res = await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send(BODY);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'error', result: 'engine_unavailable' });
    expect(res.text).not.toMatch(/srv|models loading|10\.0\.0\.7|127\.0\.0\.1/);
    expect(gw.engine.calls.Verify).toBe(3);
    await expectNothingCharged(gw, account.id, 10_000_000);
  });

  it('UNAVAILABLE once, then success: the retry succeeds and charges once', async () => {
    const { key, account } = await createCustomer(gw);
    let first = true;
    gw.engine.behaviour.Verify = {
      kind: 'error',
      code: grpc.status.UNAVAILABLE,
      detail: { reason: 'NOT_READY', message: '', retryable: true, retry_after_ms: 0 },
    };
    const original = gw.engine.behaviour;
    // Flip to success after the first call.
    const timer = setInterval(() => {
      if (first && gw.engine.calls.Verify >= 1) {
        first = false;
        original.Verify = { kind: 'ok', response: VERIFIED };
      }
    }, 1);
    const res = await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send(BODY);
    clearInterval(timer);
    expect(res.status).toBe(200);
    expect(gw.engine.calls.Verify).toBe(2);
    const after = await gw.services.accounts.getAccount(account.id);
    expect(after.balance_micros).toBe(9_750_000);
  });

  it('RESOURCE_EXHAUSTED (engine overloaded) → 503 with Retry-After from the engine, not retried', async () => {
    const { key, account } = await createCustomer(gw);
    gw.engine.behaviour.Verify = {
      kind: 'error',
      code: grpc.status.RESOURCE_EXHAUSTED,
      detail: { reason: 'OVERLOADED', message: 'queue full', retryable: true, retry_after_ms: 2500 },
    };
    const res = await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send(BODY);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('3');
    expect(res.body).toMatchObject({ result: 'engine_unavailable' });
    expect(gw.engine.calls.Verify).toBe(1);
    await expectNothingCharged(gw, account.id, 10_000_000);
  });

  it('INTERNAL from the engine → 503 engine_unavailable without its message', async () => {
    const { key, account } = await createCustomer(gw);
    gw.engine.behaviour.Verify = {
      kind: 'error',
      code: grpc.status.INTERNAL,
      detail: { reason: 'INTERNAL_ERROR', message: 'tensor shape mismatch in /app/dist/worker.js' },
    };
    const res = await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send(BODY);
    expect(res.status).toBe(503);
    expect(res.text).not.toMatch(/tensor|worker\.js/);
    await expectNothingCharged(gw, account.id, 10_000_000);
  });
});

describe('engine absent, circuit breaker', () => {
  it('engine down → 503 quickly, nothing charged; the breaker opens, then recovers once the engine is back', async () => {
    const engine = new FakeEngine();
    await engine.start();
    const port = engine.port;
    await engine.stop();
    const gw = await startGateway({
      env: {
        ENGINE_ADDRESS: `127.0.0.1:${port}`,
        ENGINE_BREAKER_VOLUME: '3',
        ENGINE_BREAKER_RESET_MS: '500',
      },
      noEngine: true,
    });
    try {
      const { key, account } = await createCustomer(gw);
      const started = Date.now();
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send(BODY)).status);
      }
      expect(statuses).toEqual([503, 503, 503, 503, 503]);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(gw.deps.engine.state().breaker).toBe('open');
      const open = await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send(BODY);
      expect(open.status).toBe(503);
      expect(open.headers['retry-after']).toBe('1');
      await expectNothingCharged(gw, account.id, 10_000_000);

      // The engine comes back on the same port; after the reset timeout a trial call closes the breaker.
      await engine.start(port);
      await new Promise((r) => setTimeout(r, 700));
      let ok = 0;
      for (let i = 0; i < 20 && ok === 0; i++) {
        const res = await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send(BODY);
        if (res.status === 200) ok++;
        else await new Promise((r) => setTimeout(r, 200));
      }
      expect(ok).toBe(1);
      expect(gw.deps.engine.state().breaker).toBe('closed');
    } finally {
      await engine.stop();
      await gw.close();
    }
  });
});
