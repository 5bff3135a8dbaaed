// Formats are recognised from magic bytes, never from a declared type or a file name.

import type { ImageFormat } from '../../contract/image';

export type Sniffed =
  { kind: 'supported'; format: ImageFormat } | { kind: 'unsupported'; format: string } | { kind: 'unknown' };

/** Bytes [start, end) as latin1 text; shorter (or empty) when the data ends first. */
function ascii(bytes: Uint8Array, start: number, end: number): string {
  const stop = Math.min(end, bytes.length);
  return stop > start
    ? Buffer.from(bytes.buffer, bytes.byteOffset + start, stop - start).toString('latin1')
    : '';
}

export function sniffFormat(bytes: Uint8Array): Sniffed {
  const b = (i: number): number => bytes[i] ?? -1;
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return { kind: 'supported', format: 'jpeg' };
  if (b(0) === 0x89 && ascii(bytes, 1, 4) === 'PNG') return { kind: 'supported', format: 'png' };
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP')
    return { kind: 'supported', format: 'webp' };
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')
    return { kind: 'supported', format: 'gif' };
  if (
    (b(0) === 0x49 && b(1) === 0x49 && b(2) === 0x2a && b(3) === 0) ||
    (b(0) === 0x4d && b(1) === 0x4d && b(2) === 0 && b(3) === 0x2a)
  )
    return { kind: 'supported', format: 'tiff' };
  if (ascii(bytes, 4, 8) === 'ftyp') {
    const brand = ascii(bytes, 8, 12);
    if (brand === 'avif' || brand === 'avis') return { kind: 'supported', format: 'avif' };
    if (['heic', 'heix', 'mif1', 'msf1', 'heim', 'heis'].includes(brand))
      return { kind: 'supported', format: 'heic' };
    return { kind: 'unsupported', format: `ISO media (${brand.trim() || 'unknown brand'})` };
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
