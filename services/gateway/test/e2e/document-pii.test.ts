import request from 'supertest';
import { makeDocument, makeSelfie } from '@deepface/fixtures';
import { asBase64 } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';
import { startRealEngine, type RealEngine } from '../helpers/real-engine';

/**
 * The PII rule of issue 16, end to end through the REAL engine: a synthetic passport whose MRZ (printed in OCR-B,
 * so it reads as real ones do) carries a marker name. The marker and the document number appear in the answer only
 * with `document_fields: true`, and never in the gateway's or the engine's logs (both at debug level) nor in any
 * table of the database.
 */
const MARKER = 'QUUXMARKER';
const GIVEN = 'ZEBEDEE';
const AS_OF = '2026-12-06';

describe('document data: the PII rule through the real engine', () => {
  let gw: TestGateway;
  let engine: RealEngine | undefined;
  let key: string;
  let passport: string;
  let selfie: string;
  let documentNumber = '';

  beforeAll(async () => {
    engine = await startRealEngine({ logLevel: 'debug' });
    gw = await startGateway({
      env: { ENGINE_ADDRESS: engine.address, ENGINE_TIMEOUT_MS: '30000', LOG_LEVEL: 'debug' },
    });
    key = (await createCustomer(gw)).key;
    const doc = await makeDocument({
      seed: 1,
      person: 'leonard',
      photoIndex: 1,
      layout: 'passport-td3',
      capture: 'scan',
      portrait: 'colour',
      names: { surname: MARKER, givenNames: GIVEN },
      mrzFont: 'ocrb',
    });
    passport = asBase64(doc.buffer);
    selfie = asBase64(
      (
        await makeSelfie({
          seed: 3,
          person: 'leonard',
          photoIndex: 3,
          background: 'wall',
          faceFraction: 0.45,
        })
      ).buffer,
    );
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await gw?.close();
  });

  const verify = (body: Record<string, unknown>, idempotencyKey?: string) => {
    const req = request(gw.app).post('/v1/verify').set('X-API-KEY', key);
    if (idempotencyKey) req.set('Idempotency-Key', idempotencyKey);
    return req.send({ img1: passport, img2: selfie, ...body });
  };

  it('with document_fields: the marker name, number and dates from the MRZ', async () => {
    const res = await verify({ document_fields: true, as_of: AS_OF });
    expect(res.status).toBe(200);
    const document = res.body.engine_response.details.document;
    expect(document).toMatchObject({
      mrz: 'read',
      format: 'TD3',
      document_type: 'passport',
      check_digits_valid: expect.any(Boolean),
      expired: false,
      age: expect.any(Number),
      fields: { surname: MARKER, given_names: GIVEN, sex: 'M' },
    });
    expect(document.fields.document_number).toMatch(/^[A-Z0-9]{6,}$/);
    documentNumber = document.fields.document_number as string;
  });

  it('without document_fields: the document data, and neither the marker nor the number', async () => {
    const res = await verify({ as_of: AS_OF });
    expect(res.status).toBe(200);
    const document = res.body.engine_response.details.document;
    expect(document).toMatchObject({ mrz: 'read', format: 'TD3', document_type: 'passport' });
    expect(document).not.toHaveProperty('fields');
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(MARKER);
    expect(text).not.toContain(GIVEN);
    expect(documentNumber).not.toBe('');
    expect(text).not.toContain(documentNumber);
  });

  it('with an Idempotency-Key: the fields in the answer, the stored replay without them', async () => {
    const first = await verify({ document_fields: true, as_of: AS_OF }, 'pii-idem-1');
    expect(first.status).toBe(200);
    expect(first.body.engine_response.details.document.fields.surname).toBe(MARKER);
    const replay = await verify({ document_fields: true, as_of: AS_OF }, 'pii-idem-1');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.engine_response.details.document).toMatchObject({ mrz: 'read' });
    expect(JSON.stringify(replay.body)).not.toContain(MARKER);
  });

  it('never in the logs (gateway and engine, debug level) nor in any table of the database', async () => {
    const logs = gw.logs.join('\n') + '\n' + engine!.output();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toMatch(/verify/i);
    const tables = (await gw.db.raw('SHOW TABLES'))[0] as Array<Record<string, string>>;
    expect(tables.length).toBeGreaterThan(5);
    let dump = '';
    for (const row of tables) {
      const table = Object.values(row)[0]!;
      dump += `${table}\n${JSON.stringify(await gw.db(table).select())}\n`;
    }
    expect(dump).toMatch(/verify/);
    for (const secret of [MARKER, GIVEN, documentNumber]) {
      expect(logs).not.toContain(secret);
      expect(dump).not.toContain(secret);
    }
  });
});
