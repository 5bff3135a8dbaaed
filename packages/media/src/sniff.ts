import type { ImageFormat } from './formats';

// Formats are recognised from magic bytes, never from a declared type, a data URI's type or a file name.

export type Sniffed =
  | { kind: 'supported'; format: ImageFormat }
  /** A recognised format the API refuses, named for the message (HEIC, BMP, PDF, SVG …). */
  | { kind: 'unsupported'; format: string }
  | { kind: 'unknown' };

/** The HEIF brands of HEVC-coded images (HEIC): recognised to be refused by name. */
const HEIC_BRANDS = ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'];

/** Bytes [start, end) as latin1 text; shorter (or empty) when the data ends first. */
function ascii(bytes: Uint8Array, start: number, end: number): string {
  const stop = Math.min(end, bytes.length);
  return stop > start
    ? Buffer.from(bytes.buffer, bytes.byteOffset + start, stop - start).toString('latin1')
    : '';
}

/**
 * The major brand and the compatible brands of an ISO media file's leading `ftyp` box: an AVIF may name the generic
 * HEIF brand `mif1` first and `avif` among the compatible ones.
 */
function ftypBrands(bytes: Uint8Array): string[] {
  const size = ((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0);
  const end = Math.min(size >= 16 ? size : 16, bytes.length, 256);
  const brands = [ascii(bytes, 8, 12)];
  // Bytes 12..16 are the minor version; compatible brands follow, four bytes each.
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(bytes, at, at + 4));
  return brands;
}

export function sniffFormat(bytes: Uint8Array): Sniffed {
  const supported = (format: ImageFormat): Sniffed => ({ kind: 'supported', format });
  const b = (i: number): number => bytes[i] ?? -1;
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return supported('jpeg');
  if (b(0) === 0x89 && ascii(bytes, 1, 8) === 'PNG\r\n\x1a\n') return supported('png');
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return supported('webp');
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return supported('gif');
  if (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*') return supported('tiff');
  if (ascii(bytes, 4, 8) === 'ftyp') {
    const brands = ftypBrands(bytes);
    if (brands.includes('avif') || brands.includes('avis')) return supported('avif');
    if (brands.some((brand) => HEIC_BRANDS.includes(brand))) return { kind: 'unsupported', format: 'HEIC' };
    return { kind: 'unsupported', format: `ISO media (${brands[0]?.trim() || 'unknown brand'})` };
  }
  if (ascii(bytes, 0, 2) === 'BM') return { kind: 'unsupported', format: 'BMP' };
  if (ascii(bytes, 0, 5) === '%PDF-') return { kind: 'unsupported', format: 'PDF' };
  // SVG and HTML are text; libvips would render SVG (external references, scripts): refuse them outright.
  const head = ascii(bytes, 0, 512).trimStart().toLowerCase();
  if (head.startsWith('<?xml') || head.startsWith('<svg') || head.includes('<svg'))
    return { kind: 'unsupported', format: 'SVG' };
  if (head.startsWith('<!doctype html') || head.startsWith('<html'))
    return { kind: 'unsupported', format: 'HTML' };
  return { kind: 'unknown' };
}
