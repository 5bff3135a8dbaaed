const MiB = 1024 * 1024;

/**
 * Default limits on one image, as the API documents them ("at most 5 MiB and 40 megapixels"). The gateway enforces
 * both (IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS) before the engine sees an image; the engine enforces the pixel limit
 * again when it decodes (ENGINE_MAX_IMAGE_PIXELS) and accepts more bytes (its own transport limit) on purpose.
 */
export const DEFAULT_IMAGE_LIMITS = {
  maxBytes: 5 * MiB,
  maxPixels: 40_000_000,
} as const;

/** A size for people: "16 MiB", "64 KiB" (one decimal above a MiB). */
export function formatSize(bytes: number): string {
  return bytes >= MiB ? `${Math.round((bytes / MiB) * 10) / 10} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
