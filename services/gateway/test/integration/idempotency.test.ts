import type { Server } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import request from 'supertest';
import { VERIFIED } from '@deepface/fake-engine';
import { asBase64, pngImage } from '../factories/images';
import { createCustomer, listen, startGateway, type TestGateway } from '../helpers/app';

const IMG = asBase64(pngImage(16, 16));
const BODY = { img1: IMG, img2: IMG };
/**
 * A verify answer without document data, so that a replay is byte for byte the first answer. With document data
 * the stored replay leaves out the holder's facts (verify-document.test.ts).
 */
const ANSWER = { ...VERIFIED, document: null };

describe('Idempotency-Key (MariaDB)', () => {
  let gw: TestGateway;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    gw = await startGateway({ env: { ENGINE_BREAKER_VOLUME: '1000' } });
    ({ server, url } = await listen(gw.app));
  });
  afterAll(async () => {
    server.close();
    await gw.close();
  });
  beforeEach(() => {
    gw.engine.resetCalls();
    gw.engine.behaviour.Verify = { kind: 'ok', response: ANSWER };
  });

  it('20 concurrent identical requests → 1 engine call, 1 charge, 20 identical answers', async () => {
    const { key, account } = await createCustomer(gw);
    gw.engine.behaviour.Verify = { kind: 'ok', response: ANSWER, delayMs: 300 };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(url).post('/v1/verify').set('X-API-KEY', key).set('Idempotency-Key', 'order-42').send(BODY),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    expect(responses.every((r) => r.headers['x-billing-charged'] === '0.25')).toBe(true);
    expect(gw.engine.calls.Verify).toBe(1);
    const after = await gw.services.accounts.getAccount(account.id);
    expect(after.balance_micros).toBe(9_750_000);
    expect(after.reserved_micros).toBe(0);
  });

  it('a later retry with the same key and body replays the stored response, uncharged', async () => {
    const { key, account } = await createCustomer(gw);
    const first = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .set('Idempotency-Key', 'k1')
      .send(BODY);
    // Same JSON, different key order and whitespace: the same request.
    const again = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .set('Idempotency-Key', 'k1')
      .set('Content-Type', 'application/json')
      .send(`{ "img2": "${IMG}",\n "img1": "${IMG}" }`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(gw.engine.calls.Verify).toBe(1);
    expect((await gw.services.accounts.getAccount(account.id)).balance_micros).toBe(9_750_000);
  });

  it('the same key with a different body → 422, nothing run', async () => {
    const { key } = await createCustomer(gw);
    await request(gw.app).post('/v1/verify').set('X-API-KEY', key).set('Idempotency-Key', 'k2').send(BODY);
    const other = asBase64(pngImage(17, 17));
    const res = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .set('Idempotency-Key', 'k2')
      .send({ img1: IMG, img2: other });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 'failed', result: 'idempotency_key_reused' });
    // The same key on another endpoint is another request too.
    const elsewhere = await request(gw.app)
      .post('/v1/lookalike')
      .set('X-API-KEY', key)
      .set('Idempotency-Key', 'k2')
      .send(BODY);
    expect(elsewhere.status).toBe(422);
    expect(gw.engine.totalCalls()).toBe(1);
  });

  it('keys are per account: another account may use the same key', async () => {
    const a = await createCustomer(gw);
    const b = await createCustomer(gw);
    await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', a.key)
      .set('Idempotency-Key', 'shared')
      .send(BODY);
    const res = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', b.key)
      .set('Idempotency-Key', 'shared')
      .send(BODY);
    expect(res.status).toBe(200);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(gw.engine.calls.Verify).toBe(2);
  });

  it('a transient failure (503) is not stored: a retry with the same key runs again', async () => {
    const { key, account } = await createCustomer(gw);
    gw.engine.behaviour.Verify = { kind: 'error', code: grpc.status.RESOURCE_EXHAUSTED };
    const failed = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .set('Idempotency-Key', 'k3')
      .send(BODY);
    expect(failed.status).toBe(503);
    gw.engine.behaviour.Verify = { kind: 'ok', response: ANSWER };
    const retried = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .set('Idempotency-Key', 'k3')
      .send(BODY);
    expect(retried.status).toBe(200);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect((await gw.services.accounts.getAccount(account.id)).balance_micros).toBe(9_750_000);
  });

  it('a deterministic rejection (400 from the engine) is stored and replayed without another engine call', async () => {
    const { key } = await createCustomer(gw);
    gw.engine.behaviour.Verify = {
      kind: 'error',
      code: grpc.status.INVALID_ARGUMENT,
      detail: { reason: 'ID_REQUIRED', message: '' },
    };
    const first = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .set('Idempotency-Key', 'k4')
      .send(BODY);
    const again = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .set('Idempotency-Key', 'k4')
      .send(BODY);
    expect(first.status).toBe(400);
    expect(again.status).toBe(400);
    expect(again.body).toEqual(first.body);
    expect(gw.engine.calls.Verify).toBe(1);
  });

  it('a duplicate that waits longer than IDEMPOTENCY_WAIT_MS gets 409 with Retry-After', async () => {
    const quick = await startGateway({ env: { IDEMPOTENCY_WAIT_MS: '100' } });
    try {
      const { key } = await createCustomer(quick);
      quick.engine.behaviour.Verify = { kind: 'ok', response: VERIFIED, delayMs: 600 };
      const { server: s, url: u } = await listen(quick.app);
      const [a, b] = await Promise.all([
        request(u).post('/v1/verify').set('X-API-KEY', key).set('Idempotency-Key', 'slow').send(BODY),
        new Promise((r) => setTimeout(r, 100)).then(() =>
          request(u).post('/v1/verify').set('X-API-KEY', key).set('Idempotency-Key', 'slow').send(BODY),
        ),
      ]);
      s.close();
      expect(a.status).toBe(200);
      expect(b.status).toBe(409);
      expect(b.body).toMatchObject({ result: 'idempotency_in_progress' });
      expect(b.headers['retry-after']).toBe('1');
      expect(quick.engine.calls.Verify).toBe(1);
    } finally {
      await quick.close();
    }
  });

  it('stores a hash of the request, never the images', async () => {
    const { key } = await createCustomer(gw);
    await request(gw.app).post('/v1/verify').set('X-API-KEY', key).set('Idempotency-Key', 'k5').send(BODY);
    const rows = await gw.db('idempotency_keys').select('*');
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(IMG.slice(0, 40));
    const row = rows.find((r: { idem_key: string }) => r.idem_key === 'k5');
    expect(row.request_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(row.expires_at) - Number(row.created_at)).toBeGreaterThanOrEqual(24 * 3_600_000);
  });

  it('an invalid body creates no record: the fixed request may reuse the key', async () => {
    const { key } = await createCustomer(gw);
    const bad = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .set('Idempotency-Key', 'k6')
      .send({ img1: IMG });
    expect(bad.status).toBe(400);
    const fixed = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .set('Idempotency-Key', 'k6')
      .send(BODY);
    expect(fixed.status).toBe(200);
    expect(fixed.headers['idempotent-replayed']).toBeUndefined();
  });

  it('a transient image failure (allowed host refusing connections) is not stored', async () => {
    const allowing = await startGateway({ env: { IMAGE_FETCH_ALLOW_HOSTS: 'localhost:*' } });
    try {
      const { key } = await createCustomer(allowing);
      const body = { img1: 'http://localhost:1/gone.png', img2: IMG };
      const first = await request(allowing.app)
        .post('/v1/verify')
        .set('X-API-KEY', key)
        .set('Idempotency-Key', 'k7')
        .send(body);
      expect(first.status).toBe(400);
      expect(first.body.result).toBe('invalid_image');
      expect(await allowing.db('idempotency_keys').where({ idem_key: 'k7' })).toHaveLength(0);
    } finally {
      await allowing.close();
    }
  });

  it('a blocked URL is not stored either: replays must not tell a refused address from an unreachable one', async () => {
    const { key } = await createCustomer(gw);
    const body = { img1: 'http://127.0.0.1:1/internal.png', img2: IMG };
    await request(gw.app).post('/v1/verify').set('X-API-KEY', key).set('Idempotency-Key', 'k8').send(body);
    expect(await gw.db('idempotency_keys').where({ idem_key: 'k8' })).toHaveLength(0);
  });

  it('rejects a malformed Idempotency-Key', async () => {
    const { key } = await createCustomer(gw);
    const res = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .set('Idempotency-Key', 'x'.repeat(256))
      .send(BODY);
    expect(res.status).toBe(400);
    expect(res.body.result).toBe('invalid_input');
  });
});
