// Verify answers what the document's machine-readable zone says (issue 16): type, countries, check digits, expiry
// and age on the caller's day, and the personal fields only when asked for. Real specimen documents from
// ../shared/realworld-dev (skipped, with the reason, where absent) against a synthetic selfie.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeSelfie, realWorldSet } from '@deepface/fixtures';
import { ok } from '../support/engine';

const set = realWorldSet();
const suite = 'missing' in set ? describe.skip : describe;
if ('missing' in set) console.warn(`document data checks skipped: ${set.missing}`);
const asOf = { year: 2026, month: 12, day: 6 };

suite('Verify with a real passport', () => {
  let passport: Uint8Array;
  let selfie: Uint8Array;
  beforeAll(async () => {
    if ('missing' in set) return;
    passport = new Uint8Array(fs.readFileSync(path.join(set.dir, 'docs/pe_100_pass-cze.jpg')));
    selfie = new Uint8Array((await makeSelfie({ seed: 11, person: 'raj', photoIndex: 1 })).buffer);
  });

  it('answers the document data without personal fields unless asked', async () => {
    const r = await ok({ op: 'verify', img1: passport, img2: selfie, document: { fields: false, asOf } });
    expect(r.document).toEqual({
      mrz: 'MRZ_READ',
      format: 'TD3',
      document_type: 'passport',
      issuing_country: 'CZE',
      nationality: 'CZE',
      check_digits_valid: true,
      invalid_fields: [],
      expired: true,
      age: 15,
      // The synthetic selfie is of an adult actor: 11 years off, inside the margin for a 15-year-old.
      age_check: { estimated_age: 26, margin: 23, consistent: true },
    });
    expect(JSON.stringify(r)).not.toMatch(/SPECIMEN|VZOR|99003853/);
    expect(r.timings?.document_ms).toBeGreaterThan(0);
  });

  it('answers the personal fields when asked, from the document whichever slot it came in', async () => {
    const r = await ok({ op: 'verify', img1: selfie, img2: passport, document: { fields: true, asOf } });
    expect(r.roles_swapped).toBe(true);
    expect(r.document?.fields).toEqual({
      surname: 'SPECIMEN',
      given_names: 'VZOR',
      document_number: '99003853',
      birth_date: '2011-01-01',
      expiry_date: '2012-07-04',
      sex: 'M',
    });
  });
});

suite('Verify’s age check on real photos', () => {
  it('calls a real adult’s selfie inconsistent with a 15-year-old’s passport, and reports it only', async () => {
    if ('missing' in set) return;
    const passport = new Uint8Array(fs.readFileSync(path.join(set.dir, 'docs/pe_100_pass-cze.jpg')));
    const adult = new Uint8Array(fs.readFileSync(path.join(set.dir, 'people/obama/fr_obama.jpg')));
    const r = await ok({ op: 'verify', img1: passport, img2: adult, document: { fields: false, asOf } });
    expect(r.document?.age).toBe(15);
    expect(r.document?.age_check?.consistent).toBe(false);
    expect(r.document?.age_check?.estimated_age).toBeGreaterThan(15 + (r.document?.age_check?.margin ?? 0));
    expect(r.decision).toBe('FAILED');
  });

  it('estimates the age on the selfie only, never on the document’s portrait', async () => {
    if ('missing' in set) return;
    const passport = new Uint8Array(fs.readFileSync(path.join(set.dir, 'docs/pe_100_pass-cze.jpg')));
    const alone = await ok({ op: 'evidence', image: passport, ref: 'IMG1', roles: true, age: true });
    expect(alone.estimatedAge).toBeUndefined();
    const adult = new Uint8Array(fs.readFileSync(path.join(set.dir, 'people/obama/fr_obama.jpg')));
    const selfie = await ok({ op: 'evidence', image: adult, ref: 'IMG2', roles: true, age: true });
    expect(selfie.estimatedAge).toBeGreaterThan(30);
    const unasked = await ok({ op: 'evidence', image: adult, ref: 'IMG2', roles: true });
    expect(unasked.estimatedAge).toBeUndefined();
  });
});
