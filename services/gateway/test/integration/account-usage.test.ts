import request from 'supertest';
import { VERIFIED, NOT_VERIFIED } from '@deepface/fake-engine';
import { asBase64, pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';

const IMG = asBase64(pngImage(16, 16));

type Usage = { data: Array<{ type: string }>; next_cursor: string | null };
const types = (body: unknown) => (body as Usage).data.map((e) => e.type);

describe('GET /v1/account and /v1/usage (MariaDB)', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('account: balance, prices and status of the caller only', async () => {
    const { key, account } = await createCustomer(gw, {
      balanceMicros: 12_340_000,
      prices: { analyze: 500_000 },
    });
    const res = await request(gw.app).get('/v1/account').set('X-API-KEY', key);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'success',
      result: 'account',
      message: 'Account retrieved',
      account: {
        id: account.id,
        name: 'Test customer',
        email: null,
        status: 'active',
        currency: 'USD',
        balance: 12.34,
        reserved: 0,
        prices: { verify: 0.25, analyze: 0.5, lookalike: 0.2 },
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });
  });

  it('usage: the caller ledger, newest first, cursor-paginated, filterable, never another account', async () => {
    const { key, account } = await createCustomer(gw);
    const other = await createCustomer(gw);
    gw.engine.behaviour.Verify = { kind: 'ok', response: VERIFIED };
    await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send({ img1: IMG, img2: IMG });
    gw.engine.behaviour.Verify = { kind: 'ok', response: NOT_VERIFIED };
    const notVerified = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .send({ img1: IMG, img2: IMG });
    await request(gw.app).post('/v1/verify').set('X-API-KEY', other.key).send({ img1: IMG, img2: IMG });

    // credit (opening), reserve+capture, reserve+release = 5 entries.
    const page1 = await request(gw.app).get('/v1/usage?limit=2').set('X-API-KEY', key);
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ status: 'success', result: 'usage', has_more: true });
    expect(types(page1.body)).toEqual(['release', 'reserve']);
    expect(page1.body.data[0]).toEqual({
      id: expect.stringMatching(/^le_\d+$/),
      type: 'release',
      endpoint: 'verify',
      amount: 0.25,
      balance_change: 0,
      reserved_change: -0.25,
      request_id: notVerified.headers['x-request-id'],
      reason: null,
      created_at: expect.any(String),
    });
    const page2 = await request(gw.app)
      .get(`/v1/usage?limit=2&cursor=${page1.body.next_cursor}`)
      .set('X-API-KEY', key);
    expect(types(page2.body)).toEqual(['capture', 'reserve']);
    const page3 = await request(gw.app)
      .get(`/v1/usage?limit=2&cursor=${page2.body.next_cursor}`)
      .set('X-API-KEY', key);
    expect(types(page3.body)).toEqual(['credit']);
    expect(page3.body).toMatchObject({ has_more: false, next_cursor: null });

    const charges = await request(gw.app).get('/v1/usage?type=capture,debit').set('X-API-KEY', key);
    expect(charges.body.data).toHaveLength(1);
    expect(charges.body.data[0]).toMatchObject({ type: 'capture', amount: 0.25, balance_change: -0.25 });

    const all = await request(gw.app).get('/v1/usage?limit=100').set('X-API-KEY', key);
    expect(all.body.data).toHaveLength(5);
    expect(JSON.stringify(all.body)).not.toContain(other.account.id);
    expect(account.id).toBeTruthy();
  });

  it.each([['limit=0'], ['limit=101'], ['limit=abc'], ['cursor=not-a-cursor'], ['type=refund']])(
    'usage ?%s → 400 invalid_input',
    async (query) => {
      const { key } = await createCustomer(gw);
      const res = await request(gw.app).get(`/v1/usage?${query}`).set('X-API-KEY', key);
      expect(res.status).toBe(400);
      expect(res.body.result).toBe('invalid_input');
    },
  );

  it('unknown routes → 404 in the envelope with a request id', async () => {
    const { key } = await createCustomer(gw);
    const res = await request(gw.app).get('/v1/nothing').set('X-API-KEY', key);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      status: 'failed',
      result: 'not_found',
      message: 'No route for GET /v1/nothing.',
      hint: expect.stringMatching(/^Check the address/),
      request_id: res.headers['x-request-id'],
    });
  });
});
