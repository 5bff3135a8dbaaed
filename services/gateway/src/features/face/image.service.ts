import {
  formatSize,
  type ImageFormat,
  SUPPORTED_FORMATS as MEDIA_FORMATS,
  SUPPORTED_FORMAT_NAMES,
  sniffFormat,
} from '@deepface/media';
import sharp from 'sharp';
import type { Config } from '../../platform/config';
import { ImageFetchError, type ImageFetcher } from '../../platform/fetch/image-fetcher';
import { DownloadFailedError, InvalidImageError } from '../../platform/errors/app-error';
import type { ImageField } from '../../platform/errors/codes';
import type { Logger } from '../../platform/logger';

// The gateway only reads image headers (never decodes pixels): no cache, one libvips thread.
sharp.cache(false);
sharp.concurrency(1);

export type { ImageFormat };

export interface LoadedImage {
  bytes: Buffer;
  format: ImageFormat;
  width: number;
  height: number;
}

/** The formats the API accepts (@deepface/media, shared with the engine), as the dashboard lists them. */
export const SUPPORTED_FORMATS: ReadonlyArray<{ name: string; mime: string }> = MEDIA_FORMATS.map(
  ({ name, mime }) => ({ name, mime }),
);
const BASE64_CHARS = /^[A-Za-z0-9+/\-_]*={0,2}$/;
const DATA_URI = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)?((?:;[a-z0-9-]+=[^;,]*)*)(;base64)?,/i;

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
    private readonly logger?: Logger,
  ) {}

  /** `requestId` only labels the log line of a failed download. */
  async load(input: string, field: ImageField, requestId?: string): Promise<LoadedImage> {
    const bytes = await this.bytesOf(input.trim(), field, requestId);
    return this.inspect(bytes, field);
  }

  private async bytesOf(input: string, field: ImageField, requestId?: string): Promise<Buffer> {
    if (/^https?:\/\//i.test(input)) return this.download(input, field, requestId);
    if (/^data:/i.test(input)) {
      const match = DATA_URI.exec(input);
      if (!match || !match[3]) {
        throw new InvalidImageError(
          `Image ${field} must be a data URI of the form data:image/<type>;base64,<data>.`,
          { field, cause: 'not_an_image_string' },
        );
      }
      return this.decodeBase64(input.slice(match[0].length), field);
    }
    // Anything else must be plain base64 (ftp://, file://, gopher://... fail its character check).
    return this.decodeBase64(input, field);
  }

  private decodeBase64(encoded: string, field: ImageField): Buffer {
    // Each pass over a 266 KB string costs CPU on every call: the usual input (no whitespace) is checked once, and
    // only a string that fails is stripped of whitespace and checked again.
    const clean = BASE64_CHARS.test(encoded);
    const compact = clean ? encoded : encoded.replace(/\s+/g, '');
    if (compact.length === 0)
      throw new InvalidImageError(`Image ${field} is empty.`, { field, cause: 'empty' });
    if (!clean && !BASE64_CHARS.test(compact)) {
      throw new InvalidImageError(`Image ${field} must be a public http(s) URL or a base64-encoded image.`, {
        field,
        cause: 'not_an_image_string',
      });
    }
    if (Math.floor((compact.length * 3) / 4) > this.config.images.maxBytes + 3) throw this.tooLarge(field);
    // Node's 'base64' decoder also reads the URL-safe alphabet (- and _), so no scan to pick the decoder.
    const bytes = Buffer.from(compact, 'base64');
    if (bytes.length > this.config.images.maxBytes) throw this.tooLarge(field);
    return bytes;
  }

  /**
   * Every failure gets the same answer (DownloadFailedError): telling a closed port from a silent one, a refused
   * address from an unknown name or a 404 from a 503 would make the API a scanner of whatever the gateway reaches.
   * The operator finds the cause in the log line, which leaves out the query string (signed URLs carry secrets).
   */
  private async download(url: string, field: ImageField, requestId?: string): Promise<Buffer> {
    try {
      return await this.fetcher.fetch(url);
    } catch (error) {
      if (!(error instanceof ImageFetchError)) throw error;
      this.logger?.info(
        {
          req_id: requestId,
          field,
          url: withoutQuery(url),
          reason: error.kind,
          http_status: error.httpStatus,
          code: error.code,
          retryable: error.retryable,
        },
        'image download failed',
      );
      const { fetchTimeoutMs, maxBytes } = this.config.images;
      throw new DownloadFailedError(
        field,
        { timeoutS: Math.ceil(fetchTimeoutMs / 1000), maxSize: formatSize(maxBytes) },
        error.retryable,
      );
    }
  }

  private async inspect(bytes: Buffer, field: ImageField): Promise<LoadedImage> {
    if (bytes.length === 0)
      throw new InvalidImageError(`Image ${field} is empty.`, { field, cause: 'empty' });
    const sniffed = sniffFormat(bytes);
    if (sniffed.kind !== 'supported') {
      throw new InvalidImageError(`Image ${field} is not a supported image. Use ${SUPPORTED_FORMAT_NAMES}.`, {
        field,
        cause: 'unsupported_format',
      });
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
        { field, cause: 'unreadable' },
      );
    }
    if (!width || !height) {
      throw new InvalidImageError(
        `Image ${field} could not be read: it is not a valid image or it is truncated.`,
        { field, cause: 'unreadable' },
      );
    }
    if (width * height > this.config.images.maxPixels) {
      const mp = (this.config.images.maxPixels / 1e6).toFixed(0);
      throw new InvalidImageError(
        `Image ${field} is too large: ${width}×${height} pixels exceeds the ${mp}-megapixel limit.`,
        { field, cause: 'too_large' },
      );
    }
    return { bytes, format: sniffed.format, width, height };
  }

  private tooLarge(field: ImageField): InvalidImageError {
    const mib = (this.config.images.maxBytes / 1024 / 1024).toFixed(0);
    return new InvalidImageError(`Image ${field} is larger than the ${mib} MiB limit.`, {
      field,
      cause: 'too_large',
    });
  }
}

/** Scheme, host, port and path of a URL: no userinfo, query or fragment, at most 300 characters. */
function withoutQuery(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.origin}${url.pathname}`.slice(0, 300);
  } catch {
    return '(unparsable)';
  }
}
