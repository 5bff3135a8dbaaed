// POST /v1/verify's liveness option against the fake engine: what the gateway forwards, how it presents the
// engine's answer, and that a refusal under "require" is a free 400 liveness_failed naming the selfie.
import * as grpc from '@grpc/grpc-js';
import request from 'supertest';
import { VERIFIED } from '@deepface/fake-engine';
import { asBase64, pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';

const IMG = asBase64(pngImage(16, 16));

describe('POST /v1/verify liveness (MariaDB, fake engine)', () => {
  let gw: TestGateway;
  let key: string;
  let accountId: string;

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });
  beforeEach(async () => {
    gw.engine.reset();
    const customer = await createCustomer(gw, { balanceMicros: 10_000_000 });
    key = customer.key;
    accountId = customer.account.id;
  });

  const balanceOf = async () => {
    const account = await gw.services.accounts.getAccount(accountId);
    return { balance: account.balance_micros, reserved: account.reserved_micros };
  };
  const verify = (body: Record<string, unknown>) =>
    request(gw.app).post('/v1/verify').set('X-API-KEY', key).send(body);

  it('reports details.liveness by default, asking the engine for REPORT', async () => {
    const res = await verify({ img1: IMG, img2: IMG });
    expect(res.status).toBe(200);
    expect(res.body.engine_response.details.liveness).toEqual({
      score: 0.9912,
      decision: 'live',
      threshold: 0.5,
      model: 'fake liveness',
    });
    expect(gw.engine.received[0]!.request.liveness).toBe('LIVENESS_REPORT');
  });

  it('forwards require and off; off answers no liveness', async () => {
    await verify({ img1: IMG, img2: IMG, liveness: 'require' });
    expect(gw.engine.received[0]!.request.liveness).toBe('LIVENESS_REQUIRE');
    const off = await verify({ img1: IMG, img2: IMG, liveness: 'off' });
    expect(gw.engine.received[1]!.request.liveness).toBe('LIVENESS_OFF');
    expect(off.status).toBe(200);
    expect(off.body.engine_response.details).not.toHaveProperty('liveness');
  });

  it('presents a spoof the engine reported (report mode) without refusing it', async () => {
    gw.engine.behaviour.Verify = {
      kind: 'ok',
      response: { ...VERIFIED, liveness: { score: 0.2, decision: 'SPOOF', threshold: 0.5, model: 'm' } },
    };
    const res = await verify({ img1: IMG, img2: IMG });
    expect(res.status).toBe(200);
    expect(res.body.engine_response.details.liveness).toMatchObject({ score: 0.2, decision: 'spoof' });
  });

  it('engine LIVENESS_FAILED → 400 liveness_failed with a hint about the selfie, nothing charged', async () => {
    gw.engine.behaviour.Verify = {
      kind: 'error',
      code: grpc.status.INVALID_ARGUMENT,
      detail: { reason: 'LIVENESS_FAILED', message: 'engine words', image: 'IMG2' },
    };
    const res = await verify({ img1: IMG, img2: IMG, liveness: 'require' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      status: 'failed',
      result: 'liveness_failed',
      message: 'The selfie did not pass the liveness check: it looks like a photo of a photo or of a screen.',
      hint: expect.stringMatching(/^Selfie: it looks like a photo of a printed picture or of a screen/),
      request_id: res.headers['x-request-id'],
    });
    expect(res.headers['x-billing-charged']).toBeUndefined();
    expect(await balanceOf()).toEqual({ balance: 10_000_000, reserved: 0 });
  });

  it('refuses an unknown liveness mode before calling the engine', async () => {
    const res = await verify({ img1: IMG, img2: IMG, liveness: 'strict' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      result: 'invalid_input',
      message: expect.stringMatching(/liveness must be one of off, report, require/),
    });
    expect(gw.engine.calls.Verify).toBe(0);
  });
});
