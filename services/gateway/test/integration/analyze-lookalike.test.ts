import * as grpc from '@grpc/grpc-js';
import request from 'supertest';
import { LOW_RESEMBLANCE, ONE_FACE_ANALYSIS, SAME_PERSON } from '@deepface/fake-engine';
import { asBase64, pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';

const IMG = asBase64(pngImage(16, 16));
const REGION = { x: 102, y: 279, w: 329, h: 329, left_eye: [325, 402], right_eye: [191, 417] };

describe('POST /v1/analyze and /v1/lookalike (MariaDB)', () => {
  let gw: TestGateway;
  let key: string;

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });
  beforeEach(async () => {
    gw.engine.resetCalls();
    gw.engine.behaviour.Analyze = { kind: 'ok', response: ONE_FACE_ANALYSIS };
    gw.engine.behaviour.Compare = { kind: 'ok', response: SAME_PERSON };
    key = (await createCustomer(gw)).key;
  });

  it('analyze: results grouped per action exactly as published, charged 0.30', async () => {
    const res = await request(gw.app)
      .post('/v1/analyze')
      .set('X-API-KEY', key)
      .send({ image: IMG, actions: ['age', 'gender', 'race', 'emotion'] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'success',
      result: 'analysis_complete',
      message: 'Facial analysis completed successfully',
      faces_detected: 1,
      results: [
        { age: [{ age: 25, face_confidence: 0.94, region: REGION }] },
        {
          gender: [
            {
              dominant_gender: 'Man',
              gender: { Man: 99.51, Woman: 0.49 },
              face_confidence: 0.94,
              region: REGION,
            },
          ],
        },
        {
          race: [
            {
              dominant_race: 'black',
              race: { asian: 0, black: 100, indian: 0, 'latino hispanic': 0, 'middle eastern': 0, white: 0 },
              face_confidence: 0.94,
              region: REGION,
            },
          ],
        },
        {
          emotion: [
            {
              dominant_emotion: 'neutral',
              emotion: {
                angry: 5.36,
                disgust: 0.33,
                fear: 7.49,
                happy: 0.7,
                neutral: 78.5,
                sad: 6.8,
                surprise: 0.82,
              },
              face_confidence: 0.94,
              region: REGION,
            },
          ],
        },
      ],
      billing: { charged: 0.3, currency: 'USD' },
    });
    expect(Object.keys(res.body as object)).toEqual([
      'status',
      'result',
      'message',
      'faces_detected',
      'results',
      'billing',
    ]);
    expect(gw.engine.received[0]!.request.actions).toEqual(['AGE', 'GENDER', 'RACE', 'EMOTION']);
  });

  it('analyze: a subset in the requested order, duplicates dropped; omitted actions mean all four', async () => {
    const res = await request(gw.app)
      .post('/v1/analyze')
      .set('X-API-KEY', key)
      .send({ image: IMG, actions: ['emotion', 'age', 'emotion'] });
    expect((res.body as { results: object[] }).results.map((r) => Object.keys(r)[0])).toEqual([
      'emotion',
      'age',
    ]);
    const all = await request(gw.app).post('/v1/analyze').set('X-API-KEY', key).send({ image: IMG });
    expect((all.body as { results: object[] }).results.map((r) => Object.keys(r)[0])).toEqual([
      'age',
      'gender',
      'race',
      'emotion',
    ]);
  });

  it('analyze: several faces are each analysed', async () => {
    const face = ONE_FACE_ANALYSIS.faces![0]!;
    gw.engine.behaviour.Analyze = {
      kind: 'ok',
      response: { faces: [face, { ...face, face_confidence: 0.5 }] },
    };
    const res = await request(gw.app)
      .post('/v1/analyze')
      .set('X-API-KEY', key)
      .send({ image: IMG, actions: ['age'] });
    expect(res.body.faces_detected).toBe(2);
    expect(res.body.results[0].age).toHaveLength(2);
    expect(res.body.results[0].age[1].face_confidence).toBe(0.5);
  });

  it.each([
    [{ image: IMG, actions: [] }, 'actions must not be empty.'],
    [{ image: IMG, actions: ['age', 'height'] }, 'actions may only contain age, gender, race, emotion.'],
    [{ image: IMG, actions: 'age' }, 'actions must be an array, e.g. ["age", "gender", "race", "emotion"].'],
    [{ actions: ['age'] }, 'image is required.'],
  ])('analyze: %j → 400 invalid_input', async (body, message) => {
    const res = await request(gw.app).post('/v1/analyze').set('X-API-KEY', key).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 'failed', result: 'invalid_input' });
    expect(res.body.message).toContain(message);
    expect(gw.engine.totalCalls()).toBe(0);
  });

  it('analyze: no face → 400 invalid_image', async () => {
    gw.engine.behaviour.Analyze = {
      kind: 'error',
      code: grpc.status.INVALID_ARGUMENT,
      detail: { reason: 'NO_FACE', message: '', image: 'IMG1' },
    };
    const res = await request(gw.app).post('/v1/analyze').set('X-API-KEY', key).send({ image: IMG });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      result: 'invalid_image',
      message: 'No clear face detected in the image.',
    });
  });

  it('look-alike, strong resemblance: the published body byte for byte (plus nothing)', async () => {
    const res = await request(gw.app)
      .post('/v1/lookalike')
      .set('X-API-KEY', key)
      .send({ img1: IMG, img2: IMG });
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      '{"status":"success","result":"comparison_complete","message":"Face comparison completed","similarity":100,' +
        '"similarity_label":"very_high","verified":true,"ui_hint":{"emoji":"👨\u200d👩\u200d👧","message":"Strong resemblance"},' +
        '"billing":{"charged":0.2,"currency":"USD"}}',
    );
  });

  it('look-alike, low resemblance: a valid result, charged 0', async () => {
    gw.engine.behaviour.Compare = { kind: 'ok', response: LOW_RESEMBLANCE };
    const res = await request(gw.app)
      .post('/v1/lookalike')
      .set('X-API-KEY', key)
      .send({ img1: IMG, img2: IMG });
    expect(res.text).toBe(
      '{"status":"success","result":"comparison_complete","message":"Face comparison completed","similarity":0,' +
        '"similarity_label":"low","verified":false,"ui_hint":{"emoji":"😅","message":"Low resemblance"},' +
        '"billing":{"charged":0,"currency":"USD"}}',
    );
  });

  it.each([
    ['MEDIUM', 'medium', 'Some resemblance'],
    ['HIGH', 'high', 'Clear resemblance'],
  ] as const)(
    'look-alike label %s → %s with a UI hint, not billed unless same person',
    async (label, name, hint) => {
      gw.engine.behaviour.Compare = {
        kind: 'ok',
        response: { ...SAME_PERSON, label, similarity: 61.234, same_person: false },
      };
      const res = await request(gw.app)
        .post('/v1/lookalike')
        .set('X-API-KEY', key)
        .send({ img1: IMG, img2: IMG });
      expect(res.body).toMatchObject({
        similarity: 61.23,
        similarity_label: name,
        verified: false,
        ui_hint: { message: hint },
        billing: { charged: 0 },
      });
    },
  );
});
