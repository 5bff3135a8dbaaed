// The decode skips the colour transform of images tagged with the common sRGB profile (image/decode.ts): over every
// 8-bit colour that transform moves no value by more than 1, so skipping it is a rounding-level change; images
// with any other profile (here Adobe RGB) are still transformed.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import sharp from 'sharp';
import { facesDir } from '@deepface/fixtures';
import { decodeImage, taggedSrgb } from '../../src/inference/image/decode';

const LIMITS = { maxPixels: 40e6, workMaxSide: 1600 };
// Fixture photos: one tagged sRGB IEC61966-2.1, one Adobe RGB (1998).
const SRGB_PHOTO = 'scenes/sample1.jpg';
const ADOBE_PHOTO = 'scenes/bbt5.jpg';

const read = async (rel: string): Promise<Buffer> => fs.readFile(path.join(facesDir(), rel));

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** A lossless 8-bit RGB PNG of `rgb` carrying the ICC profile `icc`. */
function pngWithProfile(rgb: Uint8Array, width: number, height: number, icc: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = Buffer.alloc((width * 3 + 1) * height); // filter byte 0 before each row
  for (let y = 0; y < height; y++)
    rows.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('iCCP', Buffer.concat([Buffer.from('icc\0\0', 'latin1'), zlib.deflateSync(icc)])),
    chunk('IDAT', zlib.deflateSync(rows, { level: 1 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function profileOf(rel: string): Promise<Buffer> {
  const icc = (await sharp(await read(rel)).metadata()).icc;
  if (!icc) throw new Error(`${rel} carries no ICC profile`);
  return icc;
}

describe('images tagged sRGB', () => {
  it('the transform skipped moves no value of any 8-bit colour by more than 1', async () => {
    const icc = await profileOf(SRGB_PHOTO);
    // Every colour once: 2^24 pixels, in four 4096 × 1024 images (R's high bits pick the image).
    const width = 4096;
    const height = 1024;
    let changed = 0;
    let worst = 0;
    for (let part = 0; part < 4; part++) {
      const rgb = new Uint8Array(width * height * 3);
      for (let i = 0; i < width * height; i++) {
        const colour = part * width * height + i;
        rgb[i * 3] = colour >> 16;
        rgb[i * 3 + 1] = (colour >> 8) & 255;
        rgb[i * 3 + 2] = colour & 255;
      }
      const png = pngWithProfile(rgb, width, height, icc);
      expect(taggedSrgb(await sharp(png).metadata())).toBe(true);
      const transformed = await sharp(png).raw().toBuffer();
      for (let k = 0; k < rgb.length; k++) {
        const d = Math.abs((transformed[k] as number) - (rgb[k] as number));
        if (d > 0) changed++;
        if (d > worst) worst = d;
      }
    }
    expect(worst).toBe(1);
    // A fraction of a percent of the values (measured: 0.28 %).
    expect(changed / (2 ** 24 * 3)).toBeLessThan(0.01);
  });

  it('an image tagged sRGB decodes to its values as stored, without the transform', async () => {
    // Dark reds, where the transform moves values: R 0..15 with every G and B (1024 × 1024).
    const side = 1024;
    const rgb = new Uint8Array(side * side * 3);
    for (let i = 0; i < side * side; i++) {
      rgb[i * 3] = i >> 16;
      rgb[i * 3 + 1] = (i >> 8) & 255;
      rgb[i * 3 + 2] = i & 255;
    }
    const png = pngWithProfile(rgb, side, side, await profileOf(SRGB_PHOTO));
    const transformed = await sharp(png).raw().toBuffer();
    expect(transformed.equals(Buffer.from(rgb))).toBe(false);
    const decoded = await decodeImage(new Uint8Array(png), LIMITS);
    expect(Buffer.from(decoded.rgb).equals(Buffer.from(rgb))).toBe(true);
  });

  it('a photo with another profile (Adobe RGB) is still transformed to sRGB', async () => {
    const bytes = await read(ADOBE_PHOTO);
    expect(taggedSrgb(await sharp(bytes).metadata())).toBe(false);
    const decoded = await decodeImage(new Uint8Array(bytes), LIMITS);
    const resize = { width: 1600, height: 1600, fit: 'inside', withoutEnlargement: true } as const;
    const transformed = await sharp(bytes).resize(resize).raw().toBuffer();
    const plain = await sharp(bytes, { ignoreIcc: true }).resize(resize).raw().toBuffer();
    expect(plain.equals(transformed)).toBe(false);
    expect(Buffer.from(decoded.rgb).equals(transformed)).toBe(true);
  });
});
