// Images as the inference layer sees them once decoded, and the limits a decode obeys.

import type { ImageFormat } from '@deepface/media';

/** Formats the engine decodes: the API's (@deepface/media, where HEIC's absence is explained). */
export type { ImageFormat };

export interface DecodeLimits {
  /** Largest accepted width × height of the (first frame of the) image. */
  maxPixels: number;
  /** Long side of the working copy every later stage reads (recognition crops, document analysis). */
  workMaxSide: number;
}

/** An RGB image downscaled for work, with the factor back to the pixels of the image as sent. */
export interface DecodedImage {
  format: ImageFormat;
  /** Width and height of the image as sent, after its EXIF orientation. */
  width: number;
  height: number;
  /** Working copy: RGB, 3 bytes per pixel, row-major. */
  rgb: Uint8Array;
  workWidth: number;
  workHeight: number;
  /** Multiply working-copy coordinates by this to get coordinates of the image as sent. */
  scale: number;
  /** Detection copy: the working copy downscaled (by libvips, with antialiasing) to at most DETECT_MAX_SIDE. */
  detect: { rgb: Uint8Array; width: number; height: number };
  /** Multiply detection-copy coordinates by this to get working-copy coordinates. */
  detectScale: number;
}
