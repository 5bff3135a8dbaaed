import * as grpc from '@grpc/grpc-js';
import request from 'supertest';
import { DOCUMENT_EVIDENCE, NOT_VERIFIED, SELFIE_EVIDENCE, VERIFIED } from '@deepface/fake-engine';
import { asBase64, asDataUri, pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';

const IMG = asBase64(pngImage(16, 16));

describe('POST /v1/verify (MariaDB, fake engine)', () => {
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
    gw.engine.resetCalls();
    gw.engine.behaviour.Verify = { kind: 'ok', response: VERIFIED };
    const customer = await createCustomer(gw, { balanceMicros: 10_000_000 });
    key = customer.key;
    accountId = customer.account.id;
  });

  const balanceOf = async () => {
    const account = await gw.services.accounts.getAccount(accountId);
    return { balance: account.balance_micros, reserved: account.reserved_micros };
  };

  it('verified: the published shape, charged 0.25, billing headers, request id', async () => {
    const res = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .send({ img1: IMG, img2: asDataUri(pngImage(16, 16)) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'success',
      result: 'verified',
      message: 'Face verification successful. ID matches the selfie.',
      engine_response: {
        verified: true,
        confidence: 97.46,
        decision: 'passed',
        threshold: 0.5,
        status: 'success',
        reason: 'Face verification successful. ID matches the selfie.',
        details: {
          detector_backend: 'face-api SsdMobilenetv1',
          distance: 0.312346,
          model: 'face-api FaceRecognitionNet (ResNet-34, 128-d)',
          processing_time: 1.23,
          facial_areas: {
            img1: { x: 380, y: 1127, w: 1380, h: 1380, left_eye: [1313, 1647], right_eye: [798, 1705] },
            img2: { x: 40, y: 50, w: 120, h: 120, left_eye: [130, 90], right_eye: [70, 91] },
          },
          roles: {
            swapped: false,
            img1: {
              role: 'document',
              document_score: 0.89,
              signals: ['mrz', 'fields'],
              mrz: true,
              card_boundary: false,
              text_lines: 13,
              field_lines: 13,
              field_column: 4,
              faces: 1,
              face_ratio: 0.225,
              person_out_of_frame: false,
            },
            img2: {
              role: 'selfie',
              document_score: 0,
              signals: [],
              mrz: false,
              card_boundary: false,
              text_lines: 1,
              field_lines: 0,
              field_column: 0,
              faces: 1,
              face_ratio: 0.43,
              person_out_of_frame: false,
            },
          },
          quality: {
            img1: expect.objectContaining({
              role: 'document',
              acceptable: true,
              issues: [],
              measures: expect.objectContaining({ eye_distance_px: 516.2, sharpness: 0.4123 }) as unknown,
            }) as unknown,
            img2: {
              role: 'selfie',
              acceptable: true,
              issues: [],
              score: 88,
              scores: { resolution: 100, sharpness: 100, exposure: 100, glare: 100, pose: 88 },
              measures: {
                eye_distance_px: 60,
                face_px: 168,
                sharpness: 0.4123,
                brightness: 141.3,
                glare: 0,
                yaw: 6.2,
                pitch: -3.1,
                roll: 1.4,
              },
            },
          },
          liveness: { score: 0.9912, decision: 'live', threshold: 0.5, model: 'fake liveness' },
          document: {
            mrz: 'read',
            format: 'TD3',
            document_type: 'passport',
            issuing_country: 'UTO',
            nationality: 'UTO',
            check_digits_valid: true,
            invalid_fields: [],
            expired: false,
            age: 51,
            age_check: { estimated_age: 47, margin: 23, consistent: true },
          },
        },
      },
      billing: { charged: 0.25, currency: 'USD' },
    });
    // Key order as published.
    expect(Object.keys(res.body as object)).toEqual([
      'status',
      'result',
      'message',
      'engine_response',
      'billing',
    ]);
    expect(res.headers['x-request-id']).toMatch(/^req_/);
    expect(res.headers['x-billing-charged']).toBe('0.25');
    expect(res.headers['x-balance-remaining']).toBe('9.75');
    expect(await balanceOf()).toEqual({ balance: 9_750_000, reserved: 0 });
    expect(gw.engine.calls.Verify).toBe(1);
    // The engine got the decoded bytes, not base64.
    const forwarded = gw.engine.received[0]!.request;
    expect(Buffer.from(forwarded.img1 as Buffer).equals(pngImage(16, 16))).toBe(true);
  });

  it('not verified: status failed, an eye may be null, charged 0', async () => {
    gw.engine.behaviour.Verify = { kind: 'ok', response: NOT_VERIFIED };
    const res = await request(gw.app).post('/v1/verify').set('x-api-key', key).send({ img1: IMG, img2: IMG });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'failed',
      result: 'not_verified',
      message: 'Face verification failed. ID does not match the selfie.',
      engine_response: {
        verified: false,
        confidence: 0,
        decision: 'failed',
        status: 'success',
        reason: 'Face verification failed. ID does not match the selfie.',
        details: { distance: 1.061641, facial_areas: { img2: { left_eye: null, right_eye: [70, 91] } } },
      },
      billing: { charged: 0, currency: 'USD' },
    });
    expect(res.headers['x-billing-charged']).toBe('0.00');
    expect(await balanceOf()).toEqual({ balance: 10_000_000, reserved: 0 });
  });

  it('engine LOW_QUALITY → 400 low_quality naming the image and its problems, a hint by role, nothing charged', async () => {
    gw.engine.behaviour.Verify = {
      kind: 'error',
      code: grpc.status.INVALID_ARGUMENT,
      detail: {
        reason: 'LOW_QUALITY',
        // The issues come from the structured field, never from the words (which name another one here); an
        // issue the gateway does not know is left out.
        message: "The selfie's face is not good enough to compare reliably: glare.",
        image: 'IMG2',
        quality_issues: ['blurry', 'sparkles', 'too_dark'],
      },
    };
    const res = await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send({ img1: IMG, img2: IMG });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      status: 'failed',
      result: 'low_quality',
      message:
        'The face in image img2 is not good enough to compare reliably (blurry, too_dark). Send a sharper, well-lit photo facing the camera.',
      hint: 'Selfie: the face is not clear enough to compare; retake the photo — hold the camera still and let it focus, use more light.',
      request_id: res.headers['x-request-id'],
    });
    expect(await balanceOf()).toEqual({ balance: 10_000_000, reserved: 0 });
    expect(gw.engine.calls.Verify).toBe(1);
  });

  it.each([
    ['ID_REQUIRED', 'id_required', 'Please upload one ID image.', /^ID document: neither image/],
    ['SELFIE_REQUIRED', 'selfie_required', 'Please upload one selfie image.', /^Selfie: both images/],
    ['NO_FACE', 'invalid_image', 'No clear face detected in one of the images.', /^Selfie: no clear face/],
    [
      'MULTIPLE_FACES',
      'invalid_image',
      'Selfie image must contain exactly one clear face.',
      /^Selfie: use a photo with only one person/,
    ],
  ] as const)(
    'engine %s → 400 %s with the published message and a hint naming the image, nothing charged',
    async (reason, result, message, hint) => {
      gw.engine.behaviour.Verify = {
        kind: 'error',
        code: grpc.status.INVALID_ARGUMENT,
        detail: { reason, message: 'engine words', image: 'IMG2' },
      };
      const res = await request(gw.app)
        .post('/v1/verify')
        .set('X-API-KEY', key)
        .send({ img1: IMG, img2: IMG });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        status: 'failed',
        result,
        message,
        hint: expect.stringMatching(hint),
        request_id: res.headers['x-request-id'],
      });
      expect(await balanceOf()).toEqual({ balance: 10_000_000, reserved: 0 });
    },
  );

  it('reports swapped roles, and each image’s evidence when the pair is refused on roles', async () => {
    gw.engine.behaviour.Verify = {
      kind: 'ok',
      response: {
        ...VERIFIED,
        roles_swapped: true,
        img1_role: SELFIE_EVIDENCE,
        img2_role: DOCUMENT_EVIDENCE,
      },
    };
    const ok = await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send({ img1: IMG, img2: IMG });
    expect(ok.body).toMatchObject({
      engine_response: {
        details: {
          roles: {
            swapped: true,
            img1: { role: 'selfie' },
            img2: { role: 'document', signals: ['mrz', 'fields'] },
          },
        },
      },
    });

    const selfie = {
      ...SELFIE_EVIDENCE,
      text_lines: 15,
      field_lines: 7,
      field_column: 2,
      document_score: 0.4,
    };
    gw.engine.behaviour.Verify = {
      kind: 'error',
      code: grpc.status.INVALID_ARGUMENT,
      detail: {
        reason: 'ID_REQUIRED',
        message: 'engine words',
        img1_role: selfie,
        img2_role: SELFIE_EVIDENCE,
      },
    };
    const refused = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .send({ img1: IMG, img2: IMG });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      status: 'failed',
      result: 'id_required',
      message: 'Please upload one ID image.',
      details: {
        roles: {
          swapped: false,
          img1: expect.objectContaining({ role: 'selfie', field_lines: 7, field_column: 2, signals: [] }),
          img2: expect.objectContaining({ role: 'selfie', document_score: 0 }),
        },
      },
      hint: expect.stringMatching(/^ID document: /),
      request_id: refused.headers['x-request-id'],
    });
    expect(await balanceOf()).toEqual({ balance: 9_750_000, reserved: 0 });
  });

  it.each([
    ['INVALID_IMAGE', /^Image img2 could not be read/, /^Selfie: the file is damaged/],
    ['IMAGE_TOO_LARGE', /^Image img2 is too large/, /^Selfie: the file is too large/],
    ['UNSUPPORTED_FORMAT', /^Image img2 has an unsupported format/, /^Selfie: this file type/],
    ['FACE_TOO_SMALL', /^The face in img2 is too small/, /^Selfie: the face is too small/],
  ] as const)('engine %s → 400 invalid_image naming the image', async (reason, message, hint) => {
    gw.engine.behaviour.Verify = {
      kind: 'error',
      code: grpc.status.INVALID_ARGUMENT,
      detail: { reason, message: 'engine words', image: 'IMG2' },
    };
    const res = await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send({ img1: IMG, img2: IMG });
    expect(res.status).toBe(400);
    expect(res.body.result).toBe('invalid_image');
    expect(res.body.message).toMatch(message);
    expect(res.body.hint).toMatch(hint);
    expect(JSON.stringify(res.body)).not.toMatch(/engine words|10\.0\.0\.7/);
    expect(await balanceOf()).toEqual({ balance: 10_000_000, reserved: 0 });
  });

  it.each([
    [{}, 'img1 is required.'],
    [{ img1: IMG }, 'img2 is required.'],
    [{ img1: 5, img2: IMG }, 'img1 must be a string: an image URL or base64.'],
    [{ img1: '  ', img2: IMG }, 'img1 must not be empty.'],
    [{ img1: IMG, img2: IMG, extra: 1 }, 'Unknown field "extra".'],
  ])('invalid body %j → 400 invalid_input, 0 engine calls', async (body, message) => {
    const res = await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      status: 'failed',
      result: 'invalid_input',
      message,
      hint: expect.stringMatching(/^Correct the field named in the message/),
      request_id: expect.any(String),
    });
    expect(gw.engine.totalCalls()).toBe(0);
  });

  it('malformed JSON and non-JSON bodies → 400 invalid_input', async () => {
    const bad = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .set('Content-Type', 'application/json')
      .send('{"img1": ');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      status: 'failed',
      result: 'invalid_input',
      message: 'Request body is not valid JSON.',
    });
    const form = await request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .type('form')
      .send('img1=a&img2=b');
    expect(form.status).toBe(400);
    expect(form.body.result).toBe('invalid_input');
    const array = await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send([IMG, IMG]);
    expect(array.status).toBe(400);
    expect(array.body.message).toBe('Request body must be a JSON object.');
  });
});
