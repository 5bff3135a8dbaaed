// An RGB image as plain bytes: what the face crops are cut from (pipeline.ts's region around the faces). The pixel
// ops in this folder read it as tfjs read the int32 tensor it replaces (each byte a float value, 0-255).
import type { PixelBatch } from '../backends/nets';

export interface RgbImage {
  /** Row-major RGB bytes, 3 per pixel. */
  data: Uint8Array;
  width: number;
  height: number;
}

/** An empty NHWC batch of `n` images of `height` × `width` RGB floats. */
export function emptyBatch(n: number, height: number, width: number): PixelBatch {
  return { data: new Float32Array(n * height * width * 3), shape: [n, height, width, 3] };
}
