// ReadDocument (internal callers): what a document's machine-readable zone says, without a face or a selfie. A real
// specimen passport from ../shared/realworld-dev (skipped, with the reason, where absent) and a synthetic passport
// whose MRZ is printed in OCR-B; the request's checks on the main thread.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeDocument, makeSelfie, realWorldSet } from '@deepface/fixtures';
import { ok } from '../support/engine';
import { checkReadDocument } from '../../src/transport/grpc/validate';

const asOf = { year: 2026, month: 12, day: 6 };
const set = realWorldSet();
const withRealWorld = 'missing' in set ? it.skip : it;
if ('missing' in set) console.warn(`ReadDocument on a real passport skipped: ${set.missing}`);

describe('ReadDocument', () => {
  withRealWorld('reads a real passport; personal fields only when asked', async () => {
    if ('missing' in set) return;
    const image = new Uint8Array(fs.readFileSync(path.join(set.dir, 'docs/pe_100_pass-cze.jpg')));
    const plain = await ok({ op: 'readDocument', image, document: { fields: false, asOf } });
    expect(plain.document).toEqual({
      mrz: 'MRZ_READ',
      format: 'TD3',
      document_type: 'passport',
      issuing_country: 'CZE',
      nationality: 'CZE',
      check_digits_valid: true,
      invalid_fields: [],
      expired: true,
      age: 15,
    });
    expect(plain.timings?.document_ms).toBeGreaterThan(0);
    expect(plain.model?.recognition_model).toMatch(/MRZ/);
    const asked = await ok({ op: 'readDocument', image, document: { fields: true, asOf } });
    expect(asked.document?.fields).toMatchObject({ surname: 'SPECIMEN', document_number: '99003853' });
  });

  it('reads a synthetic passport printed in OCR-B, its names only when asked', async () => {
    const doc = await makeDocument({
      seed: 1,
      person: 'leonard',
      photoIndex: 1,
      layout: 'passport-td3',
      capture: 'scan',
      portrait: 'colour',
      names: { surname: 'QUUXMARKER', givenNames: 'ZEBEDEE' },
      mrzFont: 'ocrb',
    });
    const image = new Uint8Array(doc.buffer);
    const plain = await ok({ op: 'readDocument', image, document: { fields: false, asOf } });
    expect(plain.document).toMatchObject({ mrz: 'MRZ_READ', format: 'TD3', document_type: 'passport' });
    expect(plain.document?.check_digits_valid).toBe(true);
    expect(JSON.stringify(plain)).not.toContain('QUUXMARKER');
    const asked = await ok({ op: 'readDocument', image, document: { fields: true, asOf } });
    expect(asked.document?.fields).toMatchObject({ surname: 'QUUXMARKER', given_names: 'ZEBEDEE', sex: 'M' });
  });

  it('a selfie has no zone: MRZ_ABSENT, nothing else', async () => {
    const selfie = await makeSelfie({ seed: 3, person: 'raj', photoIndex: 1 });
    const r = await ok({
      op: 'readDocument',
      image: new Uint8Array(selfie.buffer),
      document: { fields: true, asOf },
    });
    expect(r.document).toMatchObject({ mrz: 'MRZ_ABSENT', format: '', check_digits_valid: false });
    expect(r.document?.fields).toBeUndefined();
  });

  it('checks the request before queueing: an empty image, a malformed day', () => {
    const limits = { maxImageBytes: 1000 };
    const image = Buffer.from([1, 2, 3]);
    expect(
      checkReadDocument({ image: Buffer.alloc(0), document_fields: false, as_of: '' }, limits),
    ).toMatchObject({
      ok: false,
      error: { reason: 'BAD_REQUEST', image: 'IMG1' },
    });
    expect(checkReadDocument({ image, document_fields: false, as_of: '2026-02-30' }, limits)).toMatchObject({
      ok: false,
      error: { reason: 'BAD_REQUEST', message: expect.stringMatching(/as_of/) },
    });
    expect(checkReadDocument({ image, document_fields: true, as_of: '2026-12-06' }, limits)).toEqual({
      ok: true,
      task: { op: 'readDocument', image, document: { fields: true, asOf } },
    });
  });
});
