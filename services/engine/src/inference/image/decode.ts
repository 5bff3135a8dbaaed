import { createHash } from 'node:crypto';
import { SUPPORTED_FORMAT_NAMES, sniffFormat } from '@deepface/media';
import sharp from 'sharp';
import { EngineFailure } from '../../contract/failure';
import type { DecodedImage, DecodeLimits } from '../../contract/image';

/**
 * Long side of the copy the detectors read. They resize to their own input (416 px tiny detector, 512 px SSD,
 * 800 px for the small-faces pass), so more is never used; an antialiased copy this size also keeps every large
 * tensor out of detection (the working copy is cropped around faces instead).
 */
export const DETECT_MAX_SIDE = 832;

// Fewer pixels than this cannot hold a face worth comparing.
const MIN_SIDE = 32;

// The sRGB profile images most often embed (HP's "sRGB IEC61966-2.1", 3,144 bytes: Photoshop's and many cameras'
// exports), known by its tags (every byte after the 128-byte header, whose flags and intent vary). Its pixels are
// already sRGB: libvips' transform to its own sRGB profile moves no value by more than 1 (test/engine/srgb-
// profile.test.ts, every 8-bit colour) yet cost half the decode of a 2.5-MP photo, so it is skipped.
const SRGB_PROFILE_TAGS = new Set(['2c4d46e1e255995e1d2592fecec4d8bf7e1dc78179a1cbf2d607301debc630b3']);

/** An 8-bit RGB image tagged with the sRGB profile above: decoded without the profile's (no-op) transform. */
export function taggedSrgb(meta: sharp.Metadata): boolean {
  const icc = meta.icc;
  if (!icc || icc.length <= 128 || meta.channels !== 3 || meta.depth !== 'uchar' || meta.space !== 'srgb')
    return false;
  return SRGB_PROFILE_TAGS.has(createHash('sha256').update(icc.subarray(128)).digest('hex'));
}

// Only the first frame of animations is read; libvips' own format detection never sees SVG/PDF (sniffed first).
function reader(bytes: Uint8Array, limits: DecodeLimits, ignoreIcc = false): sharp.Sharp {
  return sharp(bytes, {
    ignoreIcc,
    limitInputPixels: limits.maxPixels,
    failOn: 'truncated',
    pages: 1,
    sequentialRead: true,
  });
}

function failureOf(error: unknown): EngineFailure {
  const text = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(text))
    return new EngineFailure('IMAGE_TOO_LARGE', 'The image has more pixels than the engine accepts.');
  if (/unsupported image format/i.test(text))
    return new EngineFailure('INVALID_IMAGE', 'The data is not an image of a supported format.');
  // Truncated or corrupt data, bad headers, decoder errors: libvips' text is not shown to clients.
  return new EngineFailure('INVALID_IMAGE', 'The image could not be decoded (corrupt or truncated data).');
}

export async function decodeImage(bytes: Uint8Array, limits: DecodeLimits): Promise<DecodedImage> {
  if (bytes.length === 0) throw new EngineFailure('BAD_REQUEST', 'The image is empty.');
  const sniffed = sniffFormat(bytes);
  if (sniffed.kind === 'unsupported')
    throw new EngineFailure(
      'UNSUPPORTED_FORMAT',
      `${sniffed.format} is not supported: send ${SUPPORTED_FORMAT_NAMES}.`,
    );
  if (sniffed.kind === 'unknown')
    throw new EngineFailure('INVALID_IMAGE', 'The data is not an image of a supported format.');

  let meta: sharp.Metadata;
  try {
    meta = await reader(bytes, limits).metadata();
  } catch (error) {
    throw failureOf(error);
  }
  // metadata() reports stored dimensions; EXIF orientations 5-8 swap them.
  const swap = (meta.orientation ?? 1) >= 5;
  const width = (swap ? meta.height : meta.width) ?? 0;
  const height = (swap ? meta.width : meta.height) ?? 0;
  // pageHeight is the height of one frame of an animation.
  const frameHeight = meta.pages && meta.pages > 1 && meta.pageHeight ? meta.pageHeight : height;
  if (width * frameHeight > limits.maxPixels)
    throw new EngineFailure('IMAGE_TOO_LARGE', 'The image has more pixels than the engine accepts.');
  if (Math.min(width, frameHeight) < MIN_SIDE)
    throw new EngineFailure('INVALID_IMAGE', `The image is too small (under ${MIN_SIDE} pixels on a side).`);

  try {
    const { data, info } = await reader(bytes, limits, taggedSrgb(meta))
      .rotate()
      .resize({
        width: limits.workMaxSide,
        height: limits.workMaxSide,
        fit: 'inside',
        withoutEnlargement: true,
      })
      // Transparent areas become white, as on a printed page.
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected channel count ${info.channels}`);
    const workWidth = info.width;
    const workHeight = info.height;
    const rgb = new Uint8Array(data.buffer, data.byteOffset, data.length);
    const detect =
      Math.max(workWidth, workHeight) <= DETECT_MAX_SIDE
        ? { rgb, width: workWidth, height: workHeight }
        : await sharp(data, { raw: { width: workWidth, height: workHeight, channels: 3 } })
            .resize({ width: DETECT_MAX_SIDE, height: DETECT_MAX_SIDE, fit: 'inside' })
            .raw()
            .toBuffer({ resolveWithObject: true })
            .then((r) => ({
              rgb: new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.length),
              width: r.info.width,
              height: r.info.height,
            }));
    return {
      format: sniffed.format,
      width,
      height: frameHeight,
      rgb,
      workWidth,
      workHeight,
      detect,
      detectScale: workWidth / detect.width,
      scale: Math.max(width, frameHeight) / Math.max(workWidth, workHeight),
    };
  } catch (error) {
    throw failureOf(error);
  }
}
