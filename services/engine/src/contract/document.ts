// A document's machine-readable zone as one image's examination yields it (inference/document/ocr reads it, in a
// worker) and as the pair decision turns it into the answer's document data. Holds personal data: never logged.

/** What a machine-readable zone says, read and checked. */
export interface MrzReading {
  format: 'TD1' | 'TD2' | 'TD3' | 'MRVA' | 'MRVB';
  lines: string[];
  /** Every check digit of the zone agrees with its field (the composite one included where the format has it). */
  checkDigitsValid: boolean;
  /** Fields whose check digit disagrees, or whose value is not what the format allows. */
  invalidFields: string[];
  documentCode: string;
  issuingState: string;
  nationality: string;
  documentNumber: string;
  /** YYMMDD, as printed. */
  birthDate: string;
  expiryDate: string;
  sex: string;
  surname: string;
  givenNames: string;
}

export type MrzOutcome =
  | { status: 'absent' }
  | { status: 'too_small'; capPx: number }
  | { status: 'unreadable' }
  | { status: 'read'; reading: MrzReading };

/** A calendar day, UTC. */
export interface Day {
  year: number;
  month: number;
  day: number;
}

/** What a Verify caller asked of the document data. */
export interface DocumentOptions {
  /** Answer the personal fields (names, number, dates, sex). */
  fields: boolean;
  /** The day expiry and age are judged on. */
  asOf: Day;
}

/** `YYYY-MM-DD`, or today (UTC) when empty; undefined when malformed or not a calendar day. */
export function parseDay(text: string, now = new Date()): Day | undefined {
  if (!text) return { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, day: now.getUTCDate() };
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const day = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const check = new Date(Date.UTC(day.year, day.month - 1, day.day));
  return check.getUTCMonth() === day.month - 1 && check.getUTCDate() === day.day ? day : undefined;
}
