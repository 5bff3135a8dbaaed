// face-api's detector input (`NetInput.toBatchTensor(inputSize, false)`) from plain pixels: the image with zeros
// appended below or to the right to make it square, resized bilinearly (tfjs' resizeBilinear, no corner
// alignment, no half-pixel centres) to inputSize × inputSize: Float32 [1, inputSize, inputSize, 3], 0..255.
import { assertRgbImage, type RgbImage } from './rgb-image';
import { resizeBilinearInto } from './resize-bilinear';

/** Writes the square input of `image` into `dst` (inputSize² × 3 values; any previous content is overwritten). */
export function squareInputInto(image: RgbImage, inputSize: number, dst: Float32Array): Float32Array {
  assertRgbImage(image);
  const { rgb, width, height } = image;
  const stride = inputSize * 3;
  if (dst.length !== inputSize * stride) throw new Error(`square input buffer of ${dst.length} values`);
  const side = Math.max(width, height);
  let cols: number;
  let rows: number;
  if (side === inputSize) {
    // Already the input's size: the pixels as they are (face-api skips the resize).
    for (let y = 0; y < height; y++) dst.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * stride);
    cols = width;
    rows = height;
  } else {
    ({ cols, rows } = resizeBilinearInto(rgb, width, height, side, side, {
      dst,
      width: inputSize,
      height: inputSize,
      stride,
      offset: 0,
    }));
  }
  // What reads only the zero padding: cleared, so a reused buffer holds no trace of an earlier image.
  if (cols < inputSize) for (let y = 0; y < rows; y++) dst.fill(0, y * stride + cols * 3, (y + 1) * stride);
  dst.fill(0, rows * stride);
  return dst;
}

/** The square input of `image` in a new buffer. */
export function squareInput(image: RgbImage, inputSize: number): Float32Array {
  return squareInputInto(image, inputSize, new Float32Array(inputSize * inputSize * 3));
}

// One buffer per input size, lent to one call at a time (the detector inputs are 2–8 MB: allocating them per call
// costs more than filling them). A call arriving while it is lent gets a buffer of its own.
const idle = new Map<number, Float32Array>();

/**
 * Runs `use` on the square input of `image` in a lent buffer; the buffer must not be kept past `use`'s promise
 * (onnxruntime reads its inputs during the run, not after).
 */
export async function withSquareInput<T>(
  image: RgbImage,
  inputSize: number,
  use: (input: Float32Array) => Promise<T>,
): Promise<T> {
  const lent = idle.get(inputSize) ?? new Float32Array(inputSize * inputSize * 3);
  idle.delete(inputSize);
  try {
    return await use(squareInputInto(image, inputSize, lent));
  } finally {
    idle.set(inputSize, lent);
  }
}
