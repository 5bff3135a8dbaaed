// The answer's document data: MRZ dates with their century, expiry and age on the caller's day, and the rule
// that personal fields appear only when asked for.
import { ageOn, documentData, mrzDay } from '../../src/inference/document/ocr/document-data';
import { parseDay } from '../../src/contract/document';
import { checkMrz } from '../../src/inference/document/ocr/read-mrz';

const asOf = { year: 2026, month: 12, day: 6 };
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

describe('document data', () => {
  it('puts MRZ dates in their century: births never in the future, expiries near the day', () => {
    expect(mrzDay('740812', 'birth', asOf)).toEqual({ year: 1974, month: 8, day: 12 });
    expect(mrzDay('200101', 'birth', asOf)).toEqual({ year: 2020, month: 1, day: 1 });
    expect(mrzDay('261207', 'birth', asOf)).toEqual({ year: 1926, month: 12, day: 7 });
    expect(mrzDay('120415', 'expiry', asOf)).toEqual({ year: 2012, month: 4, day: 15 });
    expect(mrzDay('350101', 'expiry', asOf)).toEqual({ year: 2035, month: 1, day: 1 });
    expect(mrzDay('991301', 'expiry', asOf)).toBeUndefined();
    expect(mrzDay('74O812', 'birth', asOf)).toBeUndefined();
  });

  it('counts whole years of age', () => {
    expect(ageOn({ year: 1974, month: 8, day: 12 }, asOf)).toBe(52);
    expect(ageOn({ year: 1974, month: 12, day: 7 }, asOf)).toBe(51);
    expect(ageOn({ year: 1974, month: 12, day: 6 }, asOf)).toBe(52);
  });

  it('parses the caller day, or takes today, and refuses a malformed one', () => {
    expect(parseDay('2026-12-06')).toEqual(asOf);
    expect(parseDay('', new Date(Date.UTC(2026, 11, 6, 23)))).toEqual(asOf);
    expect(parseDay('2026-02-30')).toBeUndefined();
    expect(parseDay('06/12/2026')).toBeUndefined();
  });

  it('answers type, countries, checks, expiry and age, and personal fields only when asked', () => {
    const reading = checkMrz(TD3)!;
    const plain = documentData({ status: 'read', reading }, { fields: false, asOf });
    expect(plain).toEqual({
      mrz: 'MRZ_READ',
      format: 'TD3',
      document_type: 'passport',
      issuing_country: 'UTO',
      nationality: 'UTO',
      check_digits_valid: true,
      invalid_fields: ['issuingState', 'nationality'],
      expired: true,
      age: 52,
    });
    expect(JSON.stringify(plain)).not.toMatch(/ERIKSSON|L898902C3|1974/);
    const full = documentData({ status: 'read', reading }, { fields: true, asOf });
    expect(full.fields).toEqual({
      surname: 'ERIKSSON',
      given_names: 'ANNA MARIA',
      document_number: 'L898902C3',
      birth_date: '1974-08-12',
      expiry_date: '2012-04-15',
      sex: 'F',
    });
  });

  it('says why there is no reading', () => {
    expect(documentData({ status: 'too_small', capPx: 7 }, { fields: true, asOf })).toMatchObject({
      mrz: 'MRZ_TOO_SMALL',
      check_digits_valid: false,
    });
    expect(documentData({ status: 'absent' }, { fields: true, asOf }).fields).toBeUndefined();
  });
});
