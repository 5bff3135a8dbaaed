// An RGB image as plain pixels (interleaved, row-major, 0..255): what the detectors, the selfie segmentation and
// the face crops read, so the onnx backend builds every network input without tfjs. Bytes for a decoded copy or
// the region around the faces, floats for a resized one; the ops read them as tfjs read the tensors they replace.

export interface RgbImage {
  /** width × height × 3 values, RGB interleaved, row-major. */
  readonly rgb: Uint8Array | Float32Array;
  readonly width: number;
  readonly height: number;
}

export function assertRgbImage(image: RgbImage): void {
  if (!(image.width >= 1 && image.height >= 1) || !Number.isInteger(image.width * image.height))
    throw new Error(`empty or fractional RGB image ${image.width} × ${image.height}`);
  if (image.rgb.length !== image.width * image.height * 3)
    throw new Error(
      `RGB image ${image.width} × ${image.height} needs ${image.width * image.height * 3} values, has ${image.rgb.length}`,
    );
}

/** A batch of n images, NHWC float32 RGB (each net's doc says on which scale), row-major in `data`. */
export interface PixelBatch {
  data: Float32Array;
  shape: [n: number, height: number, width: number, channels: 3];
}

/** An empty NHWC batch of `n` images of `height` × `width` RGB floats. */
export function emptyBatch(n: number, height: number, width: number): PixelBatch {
  return { data: new Float32Array(n * height * width * 3), shape: [n, height, width, 3] };
}
