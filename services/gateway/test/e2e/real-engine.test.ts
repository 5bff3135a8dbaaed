import { readFileSync } from 'node:fs';
import request from 'supertest';
import { fixturePath, makeDocument, makeSelfie } from '@deepface/fixtures';
import { asBase64, asDataUri } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';
import { startRealEngine, type RealEngine } from '../helpers/real-engine';

/**
 * End to end through the REAL engine (services/engine, built: `pnpm --filter @deepface/engine build`), started as a
 * child process with real models on the wasm/CPU backend, with synthetic documents and selfies from
 * @deepface/fixtures (built from the shared fixture faces).
 */
const idCard = async (person: string) =>
  (
    await makeDocument({
      seed: 1,
      person,
      photoIndex: 1,
      layout: 'id1-left-mrz',
      capture: 'scan',
      portrait: 'colour',
    })
  ).buffer;
const selfie = async (person: string, photoIndex: number, seed = 3) =>
  (await makeSelfie({ seed, person, photoIndex, background: 'wall', faceFraction: 0.45 })).buffer;

describe('through the real engine (MariaDB, fixtures)', () => {
  let gw: TestGateway;
  let engine: RealEngine | undefined;
  let key: string;
  let accountId: string;

  beforeAll(async () => {
    engine = await startRealEngine();
    gw = await startGateway({ env: { ENGINE_ADDRESS: engine.address, ENGINE_TIMEOUT_MS: '30000' } });
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await gw?.close();
  });
  beforeEach(async () => {
    const customer = await createCustomer(gw);
    key = customer.key;
    accountId = customer.account.id;
  });

  const balance = async () => (await gw.services.accounts.getAccount(accountId)).balance_micros;

  it('verify: an ID card and a selfie of the same person → verified, charged 0.25', async () => {
    const res = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .send({
        img1: asBase64(await idCard('leonard')),
        img2: asDataUri(await selfie('leonard', 3), 'image/jpeg'),
      });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'success',
      result: 'verified',
      engine_response: { verified: true, decision: 'passed', status: 'success' },
      billing: { charged: 0.25, currency: 'USD' },
    });
    const details = res.body.engine_response.details;
    expect(details.model).toMatch(/face-api/);
    expect(details.facial_areas.img1).toMatchObject({ w: expect.any(Number), h: expect.any(Number) });
    expect(await balance()).toBe(9_750_000);
  });

  it('verify: the ID of one person and the selfie of another → not verified, charged 0', async () => {
    const res = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .send({ img1: asBase64(await idCard('leonard')), img2: asBase64(await selfie('raj', 1)) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'failed', result: 'not_verified', billing: { charged: 0 } });
    const verdict = res.body.engine_response as { threshold: number; details: { distance: number } };
    expect(verdict.details.distance).toBeGreaterThan(verdict.threshold);
    expect(await balance()).toBe(10_000_000);
  });

  it('verify: two selfies → 400 id_required, charged 0', async () => {
    const res = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .send({ img1: asBase64(await selfie('raj', 1, 5)), img2: asBase64(await selfie('raj', 2, 6)) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      status: 'failed',
      result: 'id_required',
      message: 'Please upload one ID image.',
    });
    expect(await balance()).toBe(10_000_000);
  });

  it('look-alike: same person → verified, charged 0.20; different people → low, charged 0', async () => {
    const same = await request(gw.app)
      .post('/v1/lookalike')
      .set('X-API-KEY', key)
      .send({ img1: asBase64(await selfie('leonard', 1)), img2: asBase64(await selfie('leonard', 3)) });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({
      result: 'comparison_complete',
      verified: true,
      billing: { charged: 0.2 },
    });
    const other = await request(gw.app)
      .post('/v1/lookalike')
      .set('X-API-KEY', key)
      .send({ img1: asBase64(await selfie('leonard', 1)), img2: asBase64(await selfie('amy', 1)) });
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ verified: false, billing: { charged: 0 } });
    expect(other.body.similarity).toBeLessThan(same.body.similarity as number);
    expect(await balance()).toBe(9_800_000);
  });

  it('analyze: a happy face → one face, dominant emotion happy, charged 0.30', async () => {
    const image = readFileSync(fixturePath('emotions/happy.jpg'));
    const res = await request(gw.app)
      .post('/v1/analyze')
      .set('X-API-KEY', key)
      .send({ image: asBase64(image) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'success', result: 'analysis_complete', faces_detected: 1 });
    const results = res.body.results as Array<Record<string, Array<Record<string, unknown>>>>;
    expect(results.map((r) => Object.keys(r)[0])).toEqual(['age', 'gender', 'race', 'emotion']);
    const emotion = results[3]!.emotion![0]!;
    expect(emotion.dominant_emotion).toBe('happy');
    expect(Object.keys(emotion.emotion as object).sort()).toEqual([
      'angry',
      'disgust',
      'fear',
      'happy',
      'neutral',
      'sad',
      'surprise',
    ]);
    expect(results[1]!.gender![0]!.dominant_gender).toMatch(/^(Man|Woman)$/);
    expect(await balance()).toBe(9_700_000);
  });
});
