import request from 'supertest';
import { SAMPLE_FACE, SAMPLE_ID_CARD, SAMPLE_SELFIE, SAMPLE_SELFIE_2 } from '../../src/openapi/samples';
import { asDataUri, pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';
import { ContractValidator } from '../helpers/openapi';

/**
 * Issue 18 item 11: what `df_test_` keys mean (API-DECISIONS.md, "Test keys"). Test mode never reaches the engine
 * and never touches the balance; it answers on the published sample images only, with their published answers,
 * and is rate-limited per account. Every answer is checked against the OpenAPI document.
 */
describe('test mode (df_test_ keys)', () => {
  let gw: TestGateway;
  const contract = new ContractValidator();
  const problems: string[] = [];

  beforeAll(async () => {
    gw = await startGateway({ db: 'sqlite', env: { TEST_RATE_LIMIT_POINTS: '1000' } });
  });
  afterAll(async () => {
    await gw?.close();
  });
  afterEach(() => {
    expect(problems.splice(0)).toEqual([]);
  });

  const call = (key: string, path: string, body: object) =>
    contract.call(gw.app, problems, 'post', `/v1/${path}`, { key, body });
  const ledgerOf = (accountId: string) => gw.db('ledger_entries').where({ account_id: accountId });

  it('answers the sample pairs with their published results, charges nothing and never calls the engine', async () => {
    const { key, account } = await createCustomer(gw, { mode: 'test', balanceMicros: 1_000_000 });
    const ledgerBefore = (await ledgerOf(account.id)).length;
    gw.engine.resetCalls();

    const verified = await call(key, 'verify', { img1: SAMPLE_ID_CARD, img2: SAMPLE_SELFIE });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ result: 'verified', billing: { charged: 0, currency: 'USD' } });
    expect(verified.headers).toMatchObject({ 'x-billing-charged': '0.00', 'x-balance-remaining': '1.00' });
    const swapped = await call(key, 'verify', { img1: SAMPLE_SELFIE_2, img2: SAMPLE_ID_CARD });
    expect(swapped.body.result).toBe('verified');
    expect(swapped.body.engine_response.details.roles).toMatchObject({
      swapped: true,
      img2: { role: 'document' },
    });
    const stranger = await call(key, 'verify', { img1: SAMPLE_ID_CARD, img2: SAMPLE_FACE });
    expect(stranger.body).toMatchObject({ result: 'not_verified', billing: { charged: 0 } });
    const twoSelfies = await call(key, 'verify', { img1: SAMPLE_SELFIE, img2: SAMPLE_SELFIE_2 });
    expect(twoSelfies.status).toBe(400);
    expect(twoSelfies.body.result).toBe('id_required');
    const twoCards = await call(key, 'verify', { img1: SAMPLE_ID_CARD, img2: SAMPLE_ID_CARD });
    expect(twoCards.body.result).toBe('selfie_required');

    const alike = await call(key, 'lookalike', { img1: SAMPLE_SELFIE, img2: SAMPLE_SELFIE_2 });
    expect(alike.body).toMatchObject({
      verified: true,
      similarity_label: 'very_high',
      billing: { charged: 0 },
    });
    const unlike = await call(key, 'lookalike', { img1: SAMPLE_SELFIE, img2: SAMPLE_FACE });
    expect(unlike.body).toMatchObject({ verified: false, similarity_label: 'low' });

    const analysis = await call(key, 'analyze', { image: SAMPLE_FACE, actions: ['emotion', 'age'] });
    expect(analysis.status).toBe(200);
    const results = analysis.body.results as object[];
    expect(results.map((r) => Object.keys(r)[0])).toEqual(['emotion', 'age']);
    expect(analysis.body.billing.charged).toBe(0);

    expect(gw.engine.totalCalls()).toBe(0);
    expect((await ledgerOf(account.id)).length).toBe(ledgerBefore);
    const after = await request(gw.app).get('/v1/account').set('X-API-KEY', key);
    expect(after.body.account).toMatchObject({ balance: 1, reserved: 0 });
  });

  it('refuses any other image (400, nothing processed) and bad input exactly like live keys', async () => {
    const { key } = await createCustomer(gw, { mode: 'test' });
    gw.engine.resetCalls();
    const real = asDataUri(pngImage(64, 64));
    const res = await call(key, 'verify', { img1: SAMPLE_ID_CARD, img2: real });
    expect(res.status).toBe(400);
    expect(res.body.result).toBe('invalid_image');
    expect(res.body.message).toMatch(/^Image img2 is not one of the sample images: test keys/);
    expect((await call(key, 'analyze', { image: real })).status).toBe(400);
    const broken = await call(key, 'verify', { img1: SAMPLE_ID_CARD, img2: 'not base64!' });
    expect(broken.body.result).toBe('invalid_image');
    expect((await call(key, 'verify', { img1: SAMPLE_ID_CARD })).body.result).toBe('invalid_input');
    expect(gw.engine.totalCalls()).toBe(0);
  });

  it('refuses batch jobs with a test key', async () => {
    const { key } = await createCustomer(gw, { mode: 'test' });
    const res = await request(gw.app)
      .post('/v1/jobs')
      .set('X-API-KEY', key)
      .send({ items: [{ type: 'analyze', image: SAMPLE_FACE }] });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/live key/);
  });

  it('live keys of the same account are billed and reach the engine as before', async () => {
    const { key, account } = await createCustomer(gw, { mode: 'live', balanceMicros: 1_000_000 });
    gw.engine.resetCalls();
    const res = await call(key, 'verify', { img1: SAMPLE_ID_CARD, img2: SAMPLE_SELFIE });
    expect(res.body.billing.charged).toBe(0.25);
    expect(gw.engine.totalCalls()).toBe(1);
    expect((await ledgerOf(account.id)).length).toBeGreaterThan(1);
  });
});

describe('test mode rate limit', () => {
  it.each([
    ['with Redis', true],
    ['without Redis', false],
  ])(
    'allows TEST_RATE_LIMIT_POINTS test calls per account per window, across its keys (%s)',
    async (_l, redis) => {
      const gw = await startGateway({ db: 'sqlite', redis, env: { TEST_RATE_LIMIT_POINTS: '3' } });
      try {
        const { key, account } = await createCustomer(gw, { mode: 'test' });
        const other = (await gw.services.accounts.createKey(account.id, 'test', 'second')).key;
        const body = { img1: SAMPLE_ID_CARD, img2: SAMPLE_SELFIE };
        const statuses = [];
        for (const k of [key, other, key, other]) {
          statuses.push((await request(gw.app).post('/v1/verify').set('X-API-KEY', k).send(body)).status);
        }
        expect(statuses).toEqual([200, 200, 200, 429]);
        const limited = await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send(body);
        expect(limited.body).toMatchObject({ result: 'rate_limited' });
        expect(limited.body.message).toMatch(/test-mode requests for this account/);
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
        // Another account's test calls are not affected.
        const stranger = await createCustomer(gw, { mode: 'test' });
        expect(
          (await request(gw.app).post('/v1/verify').set('X-API-KEY', stranger.key).send(body)).status,
        ).toBe(200);
      } finally {
        await gw.close();
      }
    },
  );
});
