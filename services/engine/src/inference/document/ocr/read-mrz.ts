import { parse, type ParseResult } from 'mrz';
import type { Box } from '../../geometry';
import type { Gray } from '../gray';
import { FRESH, withScratch, type Scratch } from '../scratch';
import { GLYPH_MODELS } from './glyphs';
import { readMrzRows } from './mrz-reader';
import type { MrzReading } from '../../../contract/document';

export type { MrzReading };

// Capital height the reader works at: enough samples per glyph for its 12×16 models at every ink weight.
export const READ_CAP = 32;

/** Luma of one row of `n` RGB pixels from byte `from`, one float per pixel. */
function lumaRow(rgb: Uint8Array, from: number, out: Float32Array, n: number): void {
  for (let k = 0, i = from; k < n; k++, i += 3)
    out[k] = 0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!;
}

// Catmull-Rom weights: enlarging small print keeps stroke edges sharper than bilinear interpolation does.
function cubicWeights(t: number): [number, number, number, number] {
  const t2 = t * t;
  const t3 = t2 * t;
  return [(-t3 + 2 * t2 - t) / 2, (3 * t3 - 5 * t2 + 2) / 2, (-3 * t3 + 4 * t2 + t) / 2, (t3 - t2) / 2];
}

/**
 * Where each output sample of one axis reads from: `outLength` samples, `scale` output samples per input sample;
 * Catmull-Rom when enlarging, area average when shrinking. Taps and weights depend on the position alone, so they
 * are computed once per axis, not once per pixel.
 */
interface AxisTaps {
  /** Per output sample: its taps' range in `index`/`weight`. */
  start: Int32Array;
  index: Int32Array;
  weight: Float64Array;
  /** Area average: the sum of the sample's weights (it divides); 0 for Catmull-Rom (weights sum to 1). */
  total: Float64Array;
  shrink: boolean;
}

function axisTaps(length: number, outLength: number, scale: number): AxisTaps {
  const start = new Int32Array(outLength + 1);
  const total = new Float64Array(outLength);
  const index: number[] = [];
  const weight: number[] = [];
  const shrink = scale < 1;
  for (let o = 0; o < outLength; o++) {
    start[o] = index.length;
    if (!shrink) {
      const x = (o + 0.5) / scale - 0.5;
      const xi = Math.floor(x);
      const w = cubicWeights(x - xi);
      for (let k = 0; k < 4; k++) {
        index.push(Math.min(length - 1, Math.max(0, xi - 1 + k)));
        weight.push(w[k]!);
      }
    } else {
      const from = o / scale;
      const to = Math.min(length, (o + 1) / scale);
      let sum = 0;
      for (let x = Math.floor(from); x < to; x++) {
        const cover = Math.min(x + 1, to) - Math.max(x, from);
        index.push(x);
        weight.push(cover);
        sum += cover;
      }
      total[o] = sum;
    }
  }
  start[outLength] = index.length;
  return { start, index: Int32Array.from(index), weight: Float64Array.from(weight), total, shrink };
}

/** A gray copy of `box` of an RGB image, resampled so that capitals `cap` pixels tall become READ_CAP tall. */
export function grayCrop(
  rgb: Uint8Array,
  width: number,
  height: number,
  box: Box,
  cap: number,
  scratch: Scratch = FRESH,
): Gray {
  const scale = READ_CAP / cap;
  // The pixels of `box`, clamped to the image. Whole numbers as int32 (`| 0`): a Math.floor or Math.round result
  // may be held as a double, which V8 would carry into the loops' index arithmetic (float64, slower).
  const x0 = Math.max(0, Math.floor(box.x)) | 0;
  const y0 = Math.max(0, Math.floor(box.y)) | 0;
  const sw = Math.max(1, Math.min(width, Math.ceil(box.x + box.w)) - x0) | 0;
  const sh = Math.max(1, Math.min(height, Math.ceil(box.y + box.h)) - y0) | 0;
  const w = Math.max(1, Math.round(sw * scale)) | 0;
  const h = Math.max(1, Math.round(sh * scale)) | 0;
  // Separable: across every row (each source row's luma as float32, computed into one row buffer), then down
  // every column; both passes walk the rows in memory order.
  const tx = axisTaps(sw, w, scale);
  const luma = scratch.f32(sw);
  const across = scratch.f32(w * sh);
  for (let r = 0; r < sh; r++) {
    lumaRow(rgb, (((y0 + r) * width + x0) * 3) | 0, luma, sw);
    if (tx.shrink) shrinkRow(luma, tx, across, r * w, w);
    else enlargeRow(luma, tx, across, r * w, w);
  }
  const ty = axisTaps(sh, h, scale);
  const data = scratch.u8(w * h);
  if (ty.shrink) shrinkColumns(across, ty, data, w, h);
  else enlargeColumns(across, ty, data, w, h);
  return { data, width: w, height: h };
}

// The passes' loops, each a small function of arrays and numbers (V8 optimises them whole).

/** One row, enlarged: four taps per output sample. */
function enlargeRow(src: Float32Array, t: AxisTaps, dst: Float32Array, at: number, w: number): void {
  const { index, weight } = t;
  for (let o = 0, k = 0; o < w; o++, k += 4)
    dst[at + o] =
      weight[k]! * src[index[k]!]! +
      weight[k + 1]! * src[index[k + 1]!]! +
      weight[k + 2]! * src[index[k + 2]!]! +
      weight[k + 3]! * src[index[k + 3]!]!;
}

/** One row, shrunk: each output sample the area average of the inputs it covers. */
function shrinkRow(src: Float32Array, t: AxisTaps, dst: Float32Array, at: number, w: number): void {
  const { start, index, weight, total } = t;
  for (let o = 0, k = start[0]!; o < w; o++) {
    let acc = 0;
    for (const end = start[o + 1]!; k < end; k++) acc += weight[k]! * src[index[k]!]!;
    const sum = total[o]!;
    dst[at + o] = sum > 0 ? acc / sum : 0;
  }
}

// Each output value as float32 (the precision the separable passes store), then rounded and clamped to a byte,
// in one pass with the vertical sums. For a float32 v, v + 0.5 is exact in a double, so Math.round(v) is
// floor(v + 0.5): clamped to 0..255, that is 0 below 1, 255 from 255 up, and the truncation in between.

/** Down the columns, enlarged (the usual case): four source rows with one weight each per output row. */
function enlargeColumns(across: Float32Array, t: AxisTaps, data: Uint8Array, w: number, h: number): void {
  const { index, weight } = t;
  for (let o = 0, k = 0, out = 0; o < h; o++, k += 4) {
    const w0 = weight[k]!;
    const w1 = weight[k + 1]!;
    const w2 = weight[k + 2]!;
    const w3 = weight[k + 3]!;
    const r0 = index[k]! * w;
    const r1 = index[k + 1]! * w;
    const r2 = index[k + 2]! * w;
    const r3 = index[k + 3]! * w;
    for (let x = 0; x < w; x++, out++) {
      const v =
        Math.fround(
          w0 * across[r0 + x]! + w1 * across[r1 + x]! + w2 * across[r2 + x]! + w3 * across[r3 + x]!,
        ) + 0.5;
      data[out] = v < 1 ? 0 : v >= 255 ? 255 : v | 0;
    }
  }
}

/**
 * Down the columns, shrunk: each pixel's weighted sum accumulated tap by tap, in the order a per-pixel loop adds
 * them (the first tap stored, not added to a zero: the same double but for the sign of a zero, which rounds to the
 * same byte).
 */
function shrinkColumns(across: Float32Array, t: AxisTaps, data: Uint8Array, w: number, h: number): void {
  const { start, index, weight, total } = t;
  const acc = new Float64Array(w);
  for (let o = 0; o < h; o++) {
    const from = start[o]!;
    const to = start[o + 1]!;
    const sum = total[o]!;
    const out = o * w;
    if (to === from || !(sum > 0)) {
      // No taps, or none with weight: 0, as a per-pixel loop gives.
      data.fill(0, out, out + w);
      continue;
    }
    const first = weight[from]!;
    const base = index[from]! * w;
    for (let x = 0; x < w; x++) acc[x] = first * across[base + x]!;
    for (let j = from + 1; j < to; j++) {
      const wj = weight[j]!;
      const row = index[j]! * w;
      for (let x = 0; x < w; x++) acc[x] = acc[x]! + wj * across[row + x]!;
    }
    for (let x = 0; x < w; x++) {
      const v = Math.fround(acc[x]! / sum) + 0.5;
      data[out + x] = v < 1 ? 0 : v >= 255 ? 255 : v | 0;
    }
  }
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
  // The crop and the reader's planes are scratch: only the characters leave the scope.
  const read = withScratch((scratch) =>
    readMrzRows(grayCrop(rgb, width, height, box, cap, scratch), READ_CAP, GLYPH_MODELS, scratch),
  );
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
