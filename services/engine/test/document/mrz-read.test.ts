// The MRZ reader (src/inference/document/ocr) on zones printed in OCR-B with known contents, and on the real specimen
// documents of ../shared/realworld-dev against their transcriptions (skipped, with the reason, where absent).
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { makeSelfie, realWorldSet, REALWORLD_MRZ } from '@deepface/fixtures';
import { decodeImage } from '../../src/inference/image/decode';
import { readDocumentMrz, type MrzOutcome } from '../../src/inference/document/ocr/document-mrz';
import { checkMrz } from '../../src/inference/document/ocr/read-mrz';

const FONT = path.join(__dirname, '../../assets/ocrb/OCRB.otf');
const LIMITS = { maxPixels: 40e6, workMaxSide: 1600 };

// ICAO 9303 part 4–5 specimens (Utopia) and the MRV-A example of a real specimen visa.
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];
const TD1 = [
  'I<UTOD231458907<<<<<<<<<<<<<<<',
  '7408122F1204159UTO<<<<<<<<<<<6',
  'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
];
const MRVA = ['VIUSATRAVELER<<HAPPYPERSON<<<<<<<<<<<<<<<<<<', '555123ABC6GBR6502056F0412236IFLND00AMS803085'];

/**
 * A page with a zone printed in OCR-B, capitals about `cap` pixels tall, on paper with a faint print pattern and
 * some noise, slightly blurred and saved as JPEG: the zone as a scanner or a careful photo gives it.
 */
async function page(lines: readonly string[], cap: number): Promise<Uint8Array> {
  const text = lines.map((l) => l.replace(/</g, '&lt;')).join('\n');
  // Pango's point size: OCR-B capitals are ~0.7 of the em.
  const zone = await sharp({
    text: {
      text: `<span foreground="#1c1c22">${text}</span>`,
      fontfile: FONT,
      font: `OCR B ${cap / 0.7}px`,
      rgba: true,
      spacing: Math.round(cap * 0.9),
    },
  })
    .png()
    .toBuffer();
  const meta = await sharp(zone).metadata();
  const width = Math.round((meta.width ?? 600) * 1.25);
  const height = Math.round((meta.height ?? 100) * 4);
  const noise = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let i = 0; i < noise.length; i += 3) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const pattern = 12 * Math.sin(i / 3 / 37) * Math.sin(Math.floor(i / 3 / width) / 23);
    const v = 222 + pattern + ((seed >> 16) % 14) - 7;
    noise[i] = v;
    noise[i + 1] = v - 4;
    noise[i + 2] = v - 10;
  }
  return sharp(noise, { raw: { width, height, channels: 3 } })
    .composite([
      { input: zone, left: Math.round(width * 0.1), top: Math.round(height * 0.65 - (meta.height ?? 0) / 2) },
    ])
    .blur(0.6)
    .jpeg({ quality: 88 })
    .toBuffer()
    .then((b) => new Uint8Array(b));
}

async function read(bytes: Uint8Array): Promise<MrzOutcome> {
  return readDocumentMrz(await decodeImage(bytes, LIMITS));
}

describe('MRZ reader on OCR-B zones of known contents', () => {
  it.each([
    ['TD3', 16, TD3],
    ['TD3', 30, TD3],
    ['TD2', 20, TD2],
    ['TD1', 22, TD1],
    ['MRV-A', 18, MRVA],
  ] as const)('reads a %s zone with %i px capitals exactly, check digits valid', async (_, cap, lines) => {
    const outcome = await read(await page(lines, cap));
    expect(outcome.status).toBe('read');
    if (outcome.status !== 'read') return;
    expect(outcome.reading.lines).toEqual(lines);
    expect(outcome.reading.checkDigitsValid).toBe(true);
  });

  it('names the field whose check digit disagrees', async () => {
    const altered = [TD3[0]!, TD3[1]!.slice(0, 19) + '3' + TD3[1]!.slice(20)];
    const outcome = await read(await page(altered, 24));
    expect(outcome.status).toBe('read');
    if (outcome.status !== 'read') return;
    expect(outcome.reading.lines).toEqual(altered);
    expect(outcome.reading.checkDigitsValid).toBe(false);
    expect(outcome.reading.invalidFields).toContain('birthDateCheckDigit');
  });

  it('does not guess at a zone printed too small to tell O from 0', async () => {
    const outcome = await read(await page(TD3, 7));
    expect(outcome.status).toBe('too_small');
  });

  it('finds no zone on a selfie', async () => {
    const selfie = await makeSelfie({ seed: 3 });
    expect((await read(new Uint8Array(selfie.buffer))).status).toBe('absent');
  });

  it('checks the ICAO specimens as valid and a changed digit as invalid', () => {
    for (const lines of [TD3, TD2, TD1, MRVA]) expect(checkMrz([...lines])?.checkDigitsValid).toBe(true);
    expect(checkMrz([MRVA[0]!, MRVA[1]!.replace('6502056', '6502057')])?.invalidFields).toEqual([
      'birthDate',
    ]);
  });
});

const set = realWorldSet();
const realSuite = 'missing' in set ? describe.skip : describe;
if ('missing' in set) console.warn(`real-world MRZ checks skipped: ${set.missing}`);

realSuite('MRZ reader on the real specimen documents', () => {
  const outcomes = new Map<string, MrzOutcome>();
  beforeAll(async () => {
    if ('missing' in set) return;
    for (const image of set.images)
      outcomes.set(image.file, await read(new Uint8Array(fs.readFileSync(image.path))));
  }, 300_000);

  it('reads at least 80 % of the zones whose printed check digits are valid, and never a wrong one as valid', () => {
    let valid = 0;
    let printedValid = 0;
    const falseValid: string[] = [];
    for (const [file, truth] of Object.entries(REALWORLD_MRZ)) {
      const expected = checkMrz([...truth]);
      if (expected?.checkDigitsValid) printedValid++;
      const outcome = outcomes.get(file);
      if (outcome?.status !== 'read' || !outcome.reading.checkDigitsValid) continue;
      valid++;
      const r = outcome.reading;
      if (
        !expected ||
        (['documentNumber', 'birthDate', 'expiryDate'] as const).some((f) => r[f] !== expected[f])
      )
        falseValid.push(file);
    }
    expect(falseValid).toEqual([]);
    expect(valid / printedValid).toBeGreaterThanOrEqual(0.8);
  });

  it('reads no zone with valid check digits on photos of people', () => {
    const read = [...outcomes]
      .filter(([file, o]) => !file.startsWith('docs/') && o.status === 'read' && o.reading.checkDigitsValid)
      .map(([file]) => file);
    expect(read).toEqual([]);
  });
});
