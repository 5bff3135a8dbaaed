import sharp from 'sharp';
import type { Config } from '../config';
import { ImageFetchError, type ImageFetcher } from '../clients/image-fetcher';
import { InvalidImageError } from '../errors/app-error';

// The gateway only reads image headers (never decodes pixels): no cache, one libvips thread.
sharp.cache(false);
sharp.concurrency(1);

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'tiff';

export interface LoadedImage {
  bytes: Buffer;
  format: ImageFormat;
  width: number;
  height: number;
}

/** The formats the engine decodes (services/engine/src/image/format.ts), and only those. */
const SUPPORTED = 'JPEG, PNG, WebP, GIF, AVIF or TIFF';
const BASE64_CHARS = /^[A-Za-z0-9+/\-_]*={0,2}$/;
const DATA_URI = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)?((?:;[a-z0-9-]+=[^;,]*)*)(;base64)?,/i;

/** Format from the first bytes, whatever the URL, data URI or Content-Type claimed. SVG, PDF, HTML: undefined. */
export function sniffFormat(bytes: Buffer): ImageFormat | undefined {
  const ascii = (start: number, end: number) => bytes.toString('latin1', start, Math.min(end, bytes.length));
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes[0] === 0x89 && ascii(1, 8) === 'PNG\r\n\x1a\n') return 'png';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif';
  if (ascii(4, 8) === 'ftyp' && ['avif', 'avis'].includes(ascii(8, 12))) return 'avif';
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return 'tiff';
  return undefined;
}

/**
 * Turns an image field (http(s) URL, data URI or plain base64) into checked bytes for the engine.
 * Checks here are cheap and header-only: size, magic bytes, and the pixel count declared in the header, so a
 * decompression bomb (a small PNG declaring 20000×20000) is refused in microseconds without decoding anything.
 * The engine decodes, and enforces its own limits again.
 */
export class ImageService {
  constructor(
    private readonly config: Pick<Config, 'images'>,
    private readonly fetcher: ImageFetcher,
  ) {}

  async load(input: string, field: string): Promise<LoadedImage> {
    const bytes = await this.bytesOf(input.trim(), field);
    return this.inspect(bytes, field);
  }

  private async bytesOf(input: string, field: string): Promise<Buffer> {
    if (/^https?:\/\//i.test(input)) return this.download(input, field);
    if (/^data:/i.test(input)) {
      const match = DATA_URI.exec(input);
      if (!match || !match[3]) {
        throw new InvalidImageError(
          `Image ${field} must be a data URI of the form data:image/<type>;base64,<data>.`,
        );
      }
      return this.decodeBase64(input.slice(match[0].length), field);
    }
    // Anything else must be plain base64 (ftp://, file://, gopher://... fail its character check).
    return this.decodeBase64(input, field);
  }

  private decodeBase64(encoded: string, field: string): Buffer {
    const compact = encoded.replace(/\s+/g, '');
    if (compact.length === 0) throw new InvalidImageError(`Image ${field} is empty.`);
    if (!BASE64_CHARS.test(compact)) {
      throw new InvalidImageError(`Image ${field} must be a public http(s) URL or a base64-encoded image.`);
    }
    if (Math.floor((compact.length * 3) / 4) > this.config.images.maxBytes + 3) throw this.tooLarge(field);
    const bytes = Buffer.from(
      compact,
      compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64',
    );
    if (bytes.length > this.config.images.maxBytes) throw this.tooLarge(field);
    return bytes;
  }

  private async download(url: string, field: string): Promise<Buffer> {
    try {
      return await this.fetcher.fetch(url);
    } catch (error) {
      if (!(error instanceof ImageFetchError)) throw error;
      switch (error.kind) {
        case 'too_large':
          throw this.tooLarge(field);
        case 'timeout':
          throw new InvalidImageError(
            `Image ${field} could not be downloaded in time. Check the URL or send base64.`,
            { transient: true },
          );
        case 'status':
          throw new InvalidImageError(
            `Image ${field} could not be downloaded: the server answered HTTP ${error.httpStatus ?? 'error'}.`,
            { transient: (error.httpStatus ?? 500) >= 500 || error.httpStatus === 429 },
          );
        case 'redirects':
          throw new InvalidImageError(`Image ${field} could not be downloaded: too many redirects.`);
        case 'blocked':
        case 'unreachable':
          // One message for both: which internal names resolve or answer is nobody's business.
          throw new InvalidImageError(
            `Image ${field} could not be downloaded. It must be a publicly reachable http(s) URL.`,
            { transient: error.kind === 'unreachable' },
          );
      }
    }
  }

  private async inspect(bytes: Buffer, field: string): Promise<LoadedImage> {
    if (bytes.length === 0) throw new InvalidImageError(`Image ${field} is empty.`);
    const format = sniffFormat(bytes);
    if (!format) {
      throw new InvalidImageError(`Image ${field} is not a supported image. Use ${SUPPORTED}.`);
    }
    let width: number | undefined;
    let height: number | undefined;
    try {
      // Header only: libvips reads dimensions without decoding pixels.
      const meta = await sharp(bytes, { limitInputPixels: false, sequentialRead: true }).metadata();
      width = meta.width;
      height = meta.pageHeight ?? meta.height;
    } catch {
      throw new InvalidImageError(
        `Image ${field} could not be read: it is not a valid image or it is truncated.`,
      );
    }
    if (!width || !height) {
      throw new InvalidImageError(
        `Image ${field} could not be read: it is not a valid image or it is truncated.`,
      );
    }
    if (width * height > this.config.images.maxPixels) {
      const mp = (this.config.images.maxPixels / 1e6).toFixed(0);
      throw new InvalidImageError(
        `Image ${field} is too large: ${width}×${height} pixels exceeds the ${mp}-megapixel limit.`,
      );
    }
    return { bytes, format, width, height };
  }

  private tooLarge(field: string): InvalidImageError {
    const mib = (this.config.images.maxBytes / 1024 / 1024).toFixed(0);
    return new InvalidImageError(`Image ${field} is larger than the ${mib} MiB limit.`);
  }
}
