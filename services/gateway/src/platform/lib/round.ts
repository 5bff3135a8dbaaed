/** `value` rounded to `digits` decimals, as a number (what the published JSON shapes carry). */
export const round = (value: number, digits: number) => Number(value.toFixed(digits));
