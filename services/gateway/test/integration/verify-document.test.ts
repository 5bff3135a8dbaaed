import request from 'supertest';
import { PASSPORT_FIELDS, VERIFIED } from '@deepface/fake-engine';
import { asBase64, pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';

const IMG = asBase64(pngImage(16, 16));
/** What a stored copy (an idempotent replay, a batch result) says of the holder: nothing. */
const HOLDER_FACTS_CLEARED = { issuing_country: null, nationality: null, age: null, age_check: null };

/** POST /v1/verify's document options (issue 16): what is forwarded, what is answered, what is refused. */
describe('POST /v1/verify: document_fields and as_of (MariaDB, fake engine)', () => {
  let gw: TestGateway;
  let key: string;

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });
  beforeEach(async () => {
    gw.engine.reset();
    key = (await createCustomer(gw, { balanceMicros: 10_000_000 })).key;
  });

  const verify = (body: Record<string, unknown>) =>
    request(gw.app)
      .post('/v1/verify')
      .set('X-API-KEY', key)
      .send({ img1: IMG, img2: IMG, ...body });
  const forwarded = () => gw.engine.received.find((r) => r.method === 'Verify')!.request;

  it('by default: the document data without personal fields; the engine is asked for none', async () => {
    const res = await verify({});
    expect(res.status).toBe(200);
    const document = res.body.engine_response.details.document;
    expect(document).toEqual({
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
    });
    expect(forwarded()).toMatchObject({ document_fields: false, as_of: '' });
  });

  it('document_fields: true and as_of are forwarded; the fields are answered', async () => {
    const res = await verify({ document_fields: true, as_of: '2024-02-29' });
    expect(res.status).toBe(200);
    expect(forwarded()).toMatchObject({ document_fields: true, as_of: '2024-02-29' });
    expect(res.body.engine_response.details.document.fields).toEqual(PASSPORT_FIELDS);
  });

  it('a zone not read: every key present, null, and fields null when asked', async () => {
    gw.engine.behaviour.Verify = {
      kind: 'ok',
      response: {
        ...VERIFIED,
        document: {
          mrz: 'MRZ_TOO_SMALL',
          format: '',
          document_type: '',
          issuing_country: '',
          nationality: '',
          check_digits_valid: false,
          invalid_fields: [],
        },
      },
    };
    const res = await verify({ document_fields: true });
    expect(res.body.engine_response.details.document).toEqual({
      mrz: 'too_small',
      format: null,
      document_type: null,
      issuing_country: null,
      nationality: null,
      check_digits_valid: null,
      invalid_fields: [],
      expired: null,
      age: null,
      age_check: null,
      fields: null,
    });
  });

  it('an engine without document data: no details.document', async () => {
    gw.engine.behaviour.Verify = { kind: 'ok', response: { ...VERIFIED, document: null } };
    const res = await verify({});
    expect(res.status).toBe(200);
    expect(res.body.engine_response.details).not.toHaveProperty('document');
  });

  it.each([
    [{ as_of: '2026-13-01' }, /as_of must be an existing date as YYYY-MM-DD/],
    [{ as_of: '2025-02-29' }, /as_of must be an existing date/],
    [{ as_of: '06/12/2026' }, /as_of must be an existing date/],
    [{ as_of: 20261206 }, /as_of must be a date as YYYY-MM-DD/],
    [{ document_fields: 'yes' }, /document_fields must be true or false/],
  ])('%j → 400 invalid_input, no engine call, nothing charged', async (body, message) => {
    const res = await verify(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 'failed', result: 'invalid_input' });
    expect(res.body.message).toMatch(message);
    expect(gw.engine.calls.Verify).toBe(0);
  });

  it('with an Idempotency-Key: fields in the answer, not in the stored replay (nor the database)', async () => {
    const first = await verify({ document_fields: true }).set('Idempotency-Key', 'doc-fields-1');
    expect(first.status).toBe(200);
    expect(first.body.engine_response.details.document.fields).toEqual(PASSPORT_FIELDS);
    const replay = await verify({ document_fields: true }).set('Idempotency-Key', 'doc-fields-1');
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(gw.engine.calls.Verify).toBe(1);
    const { fields: _fields, ...document } = first.body.engine_response.details.document;
    expect(replay.body.engine_response.details.document).toEqual({
      ...document,
      ...HOLDER_FACTS_CLEARED,
    });
    const rows = JSON.stringify(await gw.db('idempotency_keys').select());
    expect(rows).toContain('doc-fields-1');
    expect(rows).not.toContain(PASSPORT_FIELDS.surname!);
    expect(rows).not.toContain(PASSPORT_FIELDS.document_number!);
  });

  it('with an Idempotency-Key and no document_fields: the replay keeps no fact about the holder', async () => {
    const first = await verify({}).set('Idempotency-Key', 'doc-facts-1');
    expect(first.body.engine_response.details.document).toMatchObject({ nationality: 'UTO', age: 51 });
    const replay = await verify({}).set('Idempotency-Key', 'doc-facts-1');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.engine_response.details.document).toEqual({
      ...first.body.engine_response.details.document,
      ...HOLDER_FACTS_CLEARED,
    });
    const rows = JSON.stringify(await gw.db('idempotency_keys').where({ idem_key: 'doc-facts-1' }).select());
    expect(rows).toContain('passport');
    expect(rows).not.toMatch(/"age":\d|UTO|estimated_age/);
  });
});
