import { sniffFormat } from '../src';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
/** An ISO media file's first box: size, `ftyp`, major brand, minor version, compatible brands. */
const ftyp = (major: string, ...compatible: string[]): Uint8Array =>
  bytes(
    [0, 0, 0, 16 + 4 * compatible.length],
    'ftyp',
    major,
    [0, 0, 0, 0],
    compatible.join(''),
    [0, 0, 0, 0],
  );

describe('sniffFormat', () => {
  it.each([
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0])],
    ['png', bytes([0x89], 'PNG\r\n\x1a\n')],
    ['webp', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')],
    ['gif', bytes('GIF89a')],
    ['gif', bytes('GIF87a')],
    ['tiff', bytes('II*\0')],
    ['tiff', bytes('MM\0*')],
    ['avif', ftyp('avif', 'mif1', 'miaf')],
    ['avif', ftyp('avis')],
    ['avif', ftyp('mif1', 'avif')],
  ])('recognises %s', (format, data) => {
    expect(sniffFormat(data)).toEqual({ kind: 'supported', format });
  });

  it.each([
    ['HEIC', ftyp('heic', 'mif1')],
    ['HEIC', ftyp('mif1', 'heic')],
    ['HEIC', ftyp('heix')],
    ['ISO media (mp42)', ftyp('mp42', 'isom')],
    ['BMP', bytes('BM', [0, 0])],
    ['PDF', bytes('%PDF-1.7')],
    ['SVG', bytes('<?xml version="1.0"?><svg/>')],
    ['SVG', bytes('  <svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['HTML', bytes('<!DOCTYPE html><html>')],
  ])('names %s to refuse it', (format, data) => {
    expect(sniffFormat(data)).toEqual({ kind: 'unsupported', format });
  });

  it.each([[[]], [[0xff]], [[1, 2, 3]], [[0x52, 0x49, 0x46, 0x46, 0, 0]], [[0x89, 0x50, 0x4e, 0x47]]])(
    'does not throw on %j and knows nothing of it',
    (data) => {
      expect(sniffFormat(new Uint8Array(data))).toEqual({ kind: 'unknown' });
    },
  );

  it('reads a view into a larger buffer from its own offset', () => {
    const backing = Buffer.concat([Buffer.from('GIF89a'), Buffer.from([0xff, 0xd8, 0xff])]);
    expect(sniffFormat(backing.subarray(6))).toEqual({ kind: 'supported', format: 'jpeg' });
  });
});
