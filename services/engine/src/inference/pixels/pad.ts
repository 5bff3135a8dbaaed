// detection.ts' margin copy in plain pixels: the image downscaled (tfjs' resizeBilinear, no corner alignment, no
// half-pixel centres) when `scale` < 1, centred on a border of `offset` pixels of a constant grey.
import { resizeBilinearInto } from './resize-bilinear';
import { assertRgbImage, type RgbImage } from './rgb-image';

/** The image at round(side × scale) (as is when scale ≥ 1) inside `offset` pixels of `fill` on every side. */
export function marginCopy(image: RgbImage, scale: number, offset: number, fill: number): RgbImage {
  assertRgbImage(image);
  const { rgb, width, height } = image;
  const w = scale < 1 ? Math.round(width * scale) : width;
  const h = scale < 1 ? Math.round(height * scale) : height;
  const outWidth = w + 2 * offset;
  const outHeight = h + 2 * offset;
  const stride = outWidth * 3;
  const dst = new Float32Array(outHeight * stride);
  // The border rows above and below, and the columns either side of the image: the image's area is written next.
  dst.fill(fill, 0, offset * stride);
  dst.fill(fill, (offset + h) * stride);
  for (let y = offset; y < offset + h; y++) {
    dst.fill(fill, y * stride, (y * outWidth + offset) * 3);
    dst.fill(fill, (y * outWidth + offset + w) * 3, (y + 1) * stride);
  }
  const origin = (offset * outWidth + offset) * 3;
  if (scale < 1)
    resizeBilinearInto(rgb, width, height, width, height, {
      dst,
      width: w,
      height: h,
      stride,
      offset: origin,
    });
  else
    for (let y = 0; y < h; y++)
      dst.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), origin + y * stride);
  return { rgb: dst, width: outWidth, height: outHeight };
}
