import { parse, type ParseResult } from 'mrz';
import type { Box } from '../../geometry';
import type { Gray } from '../gray';
import { readMrzRows } from './mrz-reader';
import type { MrzReading } from '../../../contract/document';

export type { MrzReading };

// Capital height the reader works at: enough samples per glyph for its 12×16 models at every ink weight.
export const READ_CAP = 32;

/** Luma of the pixels of `box` (clamped to the image), one float per pixel. */
function lumaOf(
  rgb: Uint8Array,
  width: number,
  height: number,
  box: Box,
): { data: Float32Array; w: number; h: number; x: number; y: number } {
  const x = Math.max(0, Math.floor(box.x));
  const y = Math.max(0, Math.floor(box.y));
  const w = Math.max(1, Math.min(width, Math.ceil(box.x + box.w)) - x);
  const h = Math.max(1, Math.min(height, Math.ceil(box.y + box.h)) - y);
  const data = new Float32Array(w * h);
  for (let j = 0; j < h; j++) {
    let i = ((y + j) * width + x) * 3;
    for (let k = 0; k < w; k++, i += 3)
      data[j * w + k] = 0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!;
  }
  return { data, w, h, x, y };
}

// Catmull-Rom weights: enlarging small print keeps stroke edges sharper than bilinear interpolation does.
function cubicWeights(t: number): [number, number, number, number] {
  const t2 = t * t;
  const t3 = t2 * t;
  return [(-t3 + 2 * t2 - t) / 2, (3 * t3 - 5 * t2 + 2) / 2, (-3 * t3 + 4 * t2 + t) / 2, (t3 - t2) / 2];
}

/**
 * Resamples one axis of a float image to `outLength` samples, `scale` output samples per input sample: Catmull-Rom
 * when enlarging, area average when shrinking. Separable, so a 2-D resize is two passes.
 */
function resampleRows(src: Float32Array, w: number, h: number, outW: number, scale: number): Float32Array {
  const out = new Float32Array(outW * h);
  if (scale >= 1) {
    for (let o = 0; o < outW; o++) {
      const x = (o + 0.5) / scale - 0.5;
      const xi = Math.floor(x);
      const [a, b, c, d] = cubicWeights(x - xi);
      const i0 = Math.min(w - 1, Math.max(0, xi - 1));
      const i1 = Math.min(w - 1, Math.max(0, xi));
      const i2 = Math.min(w - 1, Math.max(0, xi + 1));
      const i3 = Math.min(w - 1, Math.max(0, xi + 2));
      for (let r = 0; r < h; r++) {
        const row = r * w;
        out[r * outW + o] = a * src[row + i0]! + b * src[row + i1]! + c * src[row + i2]! + d * src[row + i3]!;
      }
    }
  } else {
    for (let o = 0; o < outW; o++) {
      const from = o / scale;
      const to = Math.min(w, (o + 1) / scale);
      for (let r = 0; r < h; r++) {
        let sum = 0;
        let weight = 0;
        for (let x = Math.floor(from); x < to; x++) {
          const cover = Math.min(x + 1, to) - Math.max(x, from);
          sum += cover * src[r * w + x]!;
          weight += cover;
        }
        out[r * outW + o] = weight > 0 ? sum / weight : 0;
      }
    }
  }
  return out;
}

function transpose(src: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[x * h + y] = src[y * w + x]!;
  return out;
}

/** A gray copy of `box` of an RGB image, resampled so that capitals `cap` pixels tall become READ_CAP tall. */
export function grayCrop(rgb: Uint8Array, width: number, height: number, box: Box, cap: number): Gray {
  const scale = READ_CAP / cap;
  const src = lumaOf(rgb, width, height, box);
  const w = Math.max(1, Math.round(src.w * scale));
  const h = Math.max(1, Math.round(src.h * scale));
  const across = resampleRows(src.data, src.w, src.h, w, scale);
  const down = transpose(resampleRows(transpose(across, w, src.h), src.h, w, h, scale), h, w);
  const data = new Uint8Array(w * h);
  for (let i = 0; i < data.length; i++) data[i] = Math.min(255, Math.max(0, Math.round(down[i]!)));
  return { data, width: w, height: h };
}

const WEIGHTS = [7, 3, 1] as const;
const value = (ch: string): number =>
  ch >= '0' && ch <= '9' ? Number(ch) : ch >= 'A' && ch <= 'Z' ? ch.charCodeAt(0) - 55 : 0;
/**
 * ICAO 9303 check digit. The `mrz` package computes it only inside its parsers (not exported, and it throws
 * rather than answers); @deepface/fixtures keeps its own on purpose, so the documents it makes check this one.
 */
export const checkDigit = (field: string): string =>
  String([...field].reduce((sum, ch, i) => sum + value(ch) * WEIGHTS[i % 3]!, 0) % 10);

const splitNames = (field: string): [string, string] => {
  const [surname = '', given = ''] = field.replace(/<+$/, '').split('<<');
  return [surname.replace(/</g, ' ').trim(), given.replace(/</g, ' ').trim()];
};

/**
 * Visas (MRV-A, 2 × 44; MRV-B, 2 × 36) share the passport's first row and the first 28 positions of its second,
 * but have no personal-number or composite check digit, which the `mrz` package does not know: checked here.
 */
function readVisa(lines: string[]): MrzReading {
  const [l1 = '', l2 = ''] = lines;
  const checks: [string, string, string][] = [
    ['documentNumber', l2.slice(0, 9), l2[9] ?? ''],
    ['birthDate', l2.slice(13, 19), l2[19] ?? ''],
    ['expirationDate', l2.slice(21, 27), l2[27] ?? ''],
  ];
  const invalidFields = checks
    .filter(([, field, digit]) => checkDigit(field) !== digit)
    .map(([name]) => name);
  const [surname, givenNames] = splitNames(l1.slice(5));
  return {
    format: l1.length === 44 ? 'MRVA' : 'MRVB',
    lines,
    checkDigitsValid: invalidFields.length === 0,
    invalidFields,
    documentCode: l1.slice(0, 2).replace(/</g, ''),
    issuingState: l1.slice(2, 5).replace(/</g, ''),
    nationality: l2.slice(10, 13).replace(/</g, ''),
    documentNumber: l2.slice(0, 9).replace(/</g, ''),
    birthDate: l2.slice(13, 19),
    expiryDate: l2.slice(21, 27),
    sex: l2[20] ?? '<',
    surname,
    givenNames,
  };
}

function fromParse(lines: string[], result: ParseResult): MrzReading {
  const invalidFields = result.details.filter((d) => !d.valid && d.field).map((d) => d.field as string);
  const checkDigitsValid = result.details
    .filter((d) => d.field?.endsWith('CheckDigit'))
    .every((d) => d.valid);
  // Fields as printed (fillers dropped): the parser nulls values it finds invalid, such as the ICAO specimen
  // country UTO, and words some (sex); the answer reports what the document says next to whether it checks out.
  const printed = (field: string): string => {
    const d = result.details.find((x) => x.field === field);
    return d ? (lines[d.line] ?? '').slice(d.start, d.end) : '';
  };
  const plain = (field: string): string => printed(field).replace(/</g, '');
  const names = result.details.find((x) => x.field === 'lastName');
  const [surname, givenNames] = names ? splitNames((lines[names.line] ?? '').slice(names.start)) : ['', ''];
  return {
    format: result.format as MrzReading['format'],
    lines,
    checkDigitsValid,
    invalidFields,
    documentCode: plain('documentCode'),
    issuingState: plain('issuingState'),
    nationality: plain('nationality'),
    documentNumber: plain('documentNumber'),
    birthDate: printed('birthDate'),
    expiryDate: printed('expirationDate'),
    sex: printed('sex'),
    surname,
    givenNames,
  };
}

/**
 * Reads the machine-readable zone in `box` (working-copy pixels, the zone found by its geometry with margins of a
 * few characters), whose capitals are about `cap` pixels tall, and checks it.
 */
export function readMrz(
  rgb: Uint8Array,
  width: number,
  height: number,
  box: Box,
  cap: number,
): MrzReading | undefined {
  const read = readMrzRows(grayCrop(rgb, width, height, box, cap), READ_CAP);
  if (!read) return undefined;
  return checkMrz(read.rows.map((row) => row.map((c) => c.ch).join('')));
}

/** Parses and checks the rows of a zone (TD1, TD2, TD3, MRV-A, MRV-B). */
export function checkMrz(lines: string[]): MrzReading | undefined {
  const visa = lines[0]?.startsWith('V') && lines.length === 2;
  if (visa) return readVisa(lines);
  try {
    return fromParse(lines, parse(lines));
  } catch {
    // Not a layout the parser knows (a first row it cannot place): no reading rather than a guess.
    return undefined;
  }
}
