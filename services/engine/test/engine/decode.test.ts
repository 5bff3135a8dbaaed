import sharp from 'sharp';
import { hostile } from '@deepface/fixtures';
import { decodeImage } from '../../src/inference/image/decode';
import { sniffFormat } from '@deepface/media';
import { ok, refused, testEngine } from '../support/engine';

const limits = { maxPixels: 40e6, workMaxSide: 1600 };
const u8 = (b: Buffer): Uint8Array => new Uint8Array(b);

describe('Decoding untrusted bytes', () => {
  it.each([
    ['random bytes', () => hostile.randomBytes(2048, 1), 'INVALID_IMAGE'],
    ['a truncated JPEG', () => hostile.truncatedJpeg(0.4), 'INVALID_IMAGE'],
    ['an SVG', () => hostile.svg(), 'UNSUPPORTED_FORMAT'],
    ['an HTML page', () => hostile.html(), 'UNSUPPORTED_FORMAT'],
    ['a PDF', () => hostile.pdf(), 'UNSUPPORTED_FORMAT'],
    ['an empty buffer', () => Buffer.alloc(0), 'BAD_REQUEST'],
    ['a 16×16 image', () => hostile.tinyImage(), 'INVALID_IMAGE'],
  ] as const)('%s → %s', async (_name, make, reason) => {
    await expect(decodeImage(u8(await Promise.resolve(make())), limits)).rejects.toMatchObject({ reason });
  });

  it('a decompression bomb (tiny file, 20000×20000 header) is refused fast, before decoding', async () => {
    const bomb = hostile.decompressionBomb();
    expect(bomb.length).toBeLessThan(1 << 20);
    // Header-only: decoding 400 MP would need gigabytes and outlast the test's timeout.
    await expect(decodeImage(u8(bomb), limits)).rejects.toMatchObject({ reason: 'IMAGE_TOO_LARGE' });
  });

  it('an image just over the pixel limit is refused; one under it is accepted', async () => {
    const max = 2_000_000;
    await expect(
      decodeImage(u8(await hostile.hugeImage(max)), { ...limits, maxPixels: max }),
    ).rejects.toMatchObject({ reason: 'IMAGE_TOO_LARGE' });
    const under = await sharp({ create: { width: 1000, height: 1000, channels: 3, background: '#888' } })
      .jpeg()
      .toBuffer();
    await expect(decodeImage(u8(under), { ...limits, maxPixels: max })).resolves.toMatchObject({
      width: 1000,
      height: 1000,
    });
  });

  it('applies EXIF orientation: sizes and faces are those of the upright image', async () => {
    await testEngine();
    for (const orientation of [6, 8] as const) {
      const jpeg = await hostile.exifRotatedJpeg(orientation);
      const img = await decodeImage(u8(jpeg), limits);
      expect([img.width, img.height]).toEqual([480, 640]);
      const r = await ok({ op: 'detect', image: u8(jpeg), skipLandmarks: false });
      expect(r.faces?.length).toBe(1);
      // Upright: the eyes sit above the mouth.
      const lm = r.faces?.[0]?.landmarks ?? [];
      expect(Number(lm[36]?.y)).toBeLessThan(Number(lm[62]?.y));
    }
  });

  it('reads the first frame of an animated GIF', async () => {
    await testEngine();
    const r = await ok({ op: 'detect', image: u8(await hostile.animatedGif(3)), skipLandmarks: true });
    expect(r.faces?.length).toBe(1);
  });

  it.each(['webp', 'avif'] as const)('decodes %s', async (format) => {
    const buf = await hostile[format]();
    expect(sniffFormat(u8(buf))).toEqual({ kind: 'supported', format });
    await expect(decodeImage(u8(buf), limits)).resolves.toMatchObject({ format });
  });

  it('the engine maps decode failures to the image they concern', async () => {
    const e = await refused({ op: 'compare', img1: u8(await hostile.webp()), img2: u8(hostile.svg()) });
    expect(e).toMatchObject({ reason: 'UNSUPPORTED_FORMAT', image: 'IMG2' });
  });
});
