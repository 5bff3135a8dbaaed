// An RGB image as plain pixels (interleaved, row-major, 0..255): what the detectors and the selfie segmentation
// take, so the onnx backend builds their inputs without tfjs. Bytes for a decoded copy, floats for a resized one.

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
