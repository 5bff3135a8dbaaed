/** Money is held in integer micro-units of USD (1 USD = 1,000,000 micros); dollars only appear in JSON. */
export const MICROS_PER_DOLLAR = 1_000_000;

export function dollarsToMicros(dollars: number): number {
  const micros = Math.round(dollars * MICROS_PER_DOLLAR);
  if (!Number.isSafeInteger(micros)) throw new RangeError(`amount out of range: ${dollars}`);
  return micros;
}

/** Dollars for display: at most 6 decimals, no float noise (0.3, not 0.30000000000000004). */
export function microsToDollars(micros: number): number {
  return Number((micros / MICROS_PER_DOLLAR).toFixed(6));
}

/** Parses a decimal dollar string such as "10", "0.25" or "12.345678" without going through floats. */
export function parseDollars(text: string): number {
  const match = /^(\d{1,9})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!match) throw new RangeError(`not a dollar amount: "${text}" (use e.g. 10 or 0.25)`);
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(6, '0'));
  return whole * MICROS_PER_DOLLAR + fraction;
}
