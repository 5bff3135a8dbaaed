import request from 'supertest';
import { asBase64, pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';

/**
 * A gateway without REDIS_URL (what `npm start` runs on its embedded defaults) has no batch queue. POST /v1/jobs
 * then answers 501 jobs_not_enabled, saying what enables it: the condition lasts until the server is configured
 * otherwise, so it is not a 503 that tells the client to retry. Nothing is stored, charged or sent to the engine.
 */
describe('batch jobs on a gateway without Redis (SQLite)', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway({ db: 'sqlite' });
  });
  afterAll(() => gw.close());

  it('answers POST /v1/jobs with 501 jobs_not_enabled, no Retry-After, nothing charged', async () => {
    const { key, account } = await createCustomer(gw, { balanceMicros: 1_000_000 });
    const res = await request(gw.app)
      .post('/v1/jobs')
      .set('X-API-KEY', key)
      .send({ items: [{ type: 'analyze', image: asBase64(pngImage(16, 16)) }] });
    expect(res.status).toBe(501);
    expect(res.body).toEqual({
      status: 'error',
      result: 'jobs_not_enabled',
      message: expect.stringContaining('REDIS_URL') as unknown,
      hint: expect.stringContaining('synchronous') as unknown,
      request_id: expect.any(String) as unknown,
    });
    expect(res.headers['retry-after']).toBeUndefined();
    expect((await gw.services.accounts.getAccount(account.id)).balance_micros).toBe(1_000_000);
    expect(await gw.db('batch_jobs').count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(gw.engine.totalCalls()).toBe(0);
  });

  it('still authenticates first: no key is a 401, not a hint about the server', async () => {
    const res = await request(gw.app).post('/v1/jobs').send({ items: [] });
    expect(res.status).toBe(401);
  });
});
