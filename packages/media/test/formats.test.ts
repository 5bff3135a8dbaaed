import sharp from 'sharp';
import {
  DEFAULT_IMAGE_LIMITS,
  formatSize,
  SUPPORTED_FORMAT_NAMES,
  SUPPORTED_FORMATS,
  sniffFormat,
} from '../src';

// The decision behind SUPPORTED_FORMATS, checked on the sharp/libvips build both services ship.
describe('the supported formats', () => {
  const source = () =>
    sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 120, g: 90, b: 60 } } });

  it.each(SUPPORTED_FORMATS.map((f) => [f.format]))(
    '%s is written, sniffed and decoded by this build',
    async (format) => {
      const encoded = await source().toFormat(format).toBuffer();
      expect(sniffFormat(encoded)).toEqual({ kind: 'supported', format });
      const { info } = await sharp(encoded).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([64, 48]);
    },
  );

  it('HEIC (HEVC) is not: libheif here has no HEVC codec (if this fails, HEIC could join the list)', async () => {
    expect(sharp.format.heif.input.fileSuffix).not.toContain('.heic');
    await expect(source().heif({ compression: 'hevc' }).toBuffer()).rejects.toThrow(/compression/i);
  });

  it('are named for people in one phrase', () => {
    expect(SUPPORTED_FORMAT_NAMES).toBe('JPEG, PNG, WebP, GIF, AVIF or TIFF');
  });
});

describe('limits', () => {
  it('default to what the API documents', () => {
    expect(formatSize(DEFAULT_IMAGE_LIMITS.maxBytes)).toBe('5 MiB');
    expect(DEFAULT_IMAGE_LIMITS.maxPixels / 1e6).toBe(40);
  });

  it('read as people write them', () => {
    expect(formatSize(16 * 1024 * 1024)).toBe('16 MiB');
    expect(formatSize(1.5 * 1024 * 1024)).toBe('1.5 MiB');
    expect(formatSize(65536)).toBe('64 KiB');
  });
});
