/**
 * The image formats the API accepts: those the sharp/libvips build both services ship decodes. HEIC is not among
 * them: sharp's prebuilt libvips carries libheif with the AV1 decoder only (AVIF), not HEVC, so an iPhone HEIC photo
 * cannot be decoded here (test/formats.test.ts checks this build still says so). Both services refuse it as
 * `unsupported_format` before any decoding; iPhones send JPEG when asked for "Most Compatible".
 */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'tiff';

export interface FormatInfo {
  format: ImageFormat;
  /** The name people know it by. */
  name: string;
  mime: string;
}

/** In the order the API documents them (the dashboard lists them too). */
export const SUPPORTED_FORMATS: readonly FormatInfo[] = [
  { format: 'jpeg', name: 'JPEG', mime: 'image/jpeg' },
  { format: 'png', name: 'PNG', mime: 'image/png' },
  { format: 'webp', name: 'WebP', mime: 'image/webp' },
  { format: 'gif', name: 'GIF', mime: 'image/gif' },
  { format: 'avif', name: 'AVIF', mime: 'image/avif' },
  { format: 'tiff', name: 'TIFF', mime: 'image/tiff' },
];

/** "JPEG, PNG, WebP, GIF, AVIF or TIFF": for messages and hints. */
export const SUPPORTED_FORMAT_NAMES = ((names: string[]) =>
  `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`)(SUPPORTED_FORMATS.map((f) => f.name));
