// The answer's document data (the contract's DocumentData) from an MRZ reading.
import type { DocumentData } from '@deepface/proto';
import type { Day, DocumentOptions, MrzOutcome, MrzReading } from '../../../contract/document';

const STATUS = {
  absent: 'MRZ_ABSENT',
  too_small: 'MRZ_TOO_SMALL',
  unreadable: 'MRZ_UNREADABLE',
  read: 'MRZ_READ',
} as const;

const compare = (a: Day, b: Day): number => a.year - b.year || a.month - b.month || a.day - b.day;
const iso = (d: Day): string =>
  `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/**
 * An MRZ date (YYMMDD) as a day. The century is not printed: a birth date is the latest one not after `asOf`, an
 * expiry date the earliest one not more than 50 years before it (documents are valid for at most ten years).
 */
export function mrzDay(yymmdd: string, kind: 'birth' | 'expiry', asOf: Day): Day | undefined {
  if (!/^\d{6}$/.test(yymmdd)) return undefined;
  const yy = Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  const day = Number(yymmdd.slice(4, 6));
  const century = Math.floor(asOf.year / 100) * 100;
  let year = century + yy;
  if (kind === 'birth' && compare({ year, month, day }, asOf) > 0) year -= 100;
  if (kind === 'expiry' && year < asOf.year - 50) year += 100;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

/** Whole years from `birth` to `asOf`. */
export function ageOn(birth: Day, asOf: Day): number {
  const years = asOf.year - birth.year;
  return asOf.month > birth.month || (asOf.month === birth.month && asOf.day >= birth.day)
    ? years
    : years - 1;
}

function documentType(r: MrzReading): 'passport' | 'id_card' | 'visa' | 'other' {
  if (r.format === 'MRVA' || r.format === 'MRVB') return 'visa';
  if (r.documentCode.startsWith('P')) return 'passport';
  if (/^[ACI]/.test(r.documentCode)) return 'id_card';
  return 'other';
}

/**
 * The answer's document data from a reading: expiry and age judged on `asOf`, personal fields only when asked
 * for. Dates that do not parse leave `expired` and `age` unset rather than guessed.
 */
export function documentData(outcome: MrzOutcome, opts: DocumentOptions): DocumentData {
  const base: DocumentData = {
    mrz: STATUS[outcome.status],
    format: '',
    document_type: '',
    issuing_country: '',
    nationality: '',
    check_digits_valid: false,
    invalid_fields: [],
  };
  if (outcome.status !== 'read') return base;
  const r = outcome.reading;
  const birth = mrzDay(r.birthDate, 'birth', opts.asOf);
  const expiry = mrzDay(r.expiryDate, 'expiry', opts.asOf);
  return {
    ...base,
    format: r.format,
    document_type: documentType(r),
    issuing_country: r.issuingState,
    nationality: r.nationality,
    check_digits_valid: r.checkDigitsValid,
    invalid_fields: r.invalidFields,
    ...(expiry ? { expired: compare(expiry, opts.asOf) < 0 } : {}),
    ...(birth ? { age: ageOn(birth, opts.asOf) } : {}),
    ...(opts.fields
      ? {
          fields: {
            surname: r.surname,
            given_names: r.givenNames,
            document_number: r.documentNumber,
            birth_date: birth ? iso(birth) : '',
            expiry_date: expiry ? iso(expiry) : '',
            sex: r.sex === 'M' || r.sex === 'F' ? r.sex : 'X',
          },
        }
      : {}),
  };
}
