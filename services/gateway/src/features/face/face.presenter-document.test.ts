import type { DocumentData__Output } from '@deepface/proto';
import { presentDocument } from './face.presenter';

const read: DocumentData__Output = {
  mrz: 'MRZ_READ',
  format: 'TD1',
  document_type: 'id_card',
  issuing_country: 'D',
  nationality: 'D',
  check_digits_valid: true,
  invalid_fields: [],
  expired: true,
  age: 30,
  age_check: { estimated_age: 52, margin: 26, consistent: true },
  fields: {
    surname: 'MUSTERMANN',
    given_names: 'ERIKA',
    document_number: 'T22000129',
    birth_date: '1996-08-12',
    expiry_date: '',
    sex: 'F',
  },
};

describe('presentDocument', () => {
  it('drops personal fields the request did not ask for, whatever the engine sent', () => {
    const out = presentDocument(read, false);
    expect(out).not.toHaveProperty('fields');
    expect(JSON.stringify(out)).not.toMatch(/MUSTERMANN|ERIKA|T22000129|1996/);
    expect(out).toMatchObject({ mrz: 'read', issuing_country: 'D', expired: true, age: 30 });
    expect(out.age_check).toEqual({ estimated_age: 52, margin: 26, consistent: true });
  });

  it('answers them when asked, an unread date as null', () => {
    expect(presentDocument(read, true).fields).toEqual({
      surname: 'MUSTERMANN',
      given_names: 'ERIKA',
      document_number: 'T22000129',
      birth_date: '1996-08-12',
      expiry_date: null,
      sex: 'F',
    });
  });

  it('unset expired, age and age check (dates not readable) are null, not false or 0', () => {
    const { expired: _e, age: _a, age_check: _c, ...rest } = read;
    expect(presentDocument({ ...rest, age_check: null }, false)).toMatchObject({
      expired: null,
      age: null,
      age_check: null,
    });
  });
});
