// face-api's SsdMobilenetv1 options and the last step of its output layer (boxes past the square padding, in image
// pixels), shared by both backends (no tfjs: the onnx backend decodes its outputs with them).
import { reshapedDims, toImageBox, type Detection } from './boxes';

export interface SsdMobilenetv1Options {
  /** Detections scoring above this are kept (face-api's default: 0.5). */
  minConfidence?: number;
  /** At most this many detections (face-api's default: 100). */
  maxResults?: number;
}

/** face-api's SSD input side (the square batch). */
export const SSD_INPUT_SIZE = 512;
const INPUT_SIZE = SSD_INPUT_SIZE;

/** face-api's SsdMobilenetv1Options with its defaults (0 or missing means the default), checked. */
export function ssdMobilenetv1Options(options: SsdMobilenetv1Options = {}): Required<SsdMobilenetv1Options> {
  const minConfidence = options.minConfidence || 0.5;
  const maxResults = options.maxResults || 100;
  if (!(minConfidence > 0 && minConfidence < 1))
    throw new Error('SsdMobilenetv1Options - expected minConfidence to be a number between 0 and 1');
  if (typeof maxResults !== 'number' || Number.isNaN(maxResults))
    throw new Error('SsdMobilenetv1Options - expected maxResults to be a number');
  return { minConfidence, maxResults };
}

/** A detection kept by the NMS: box [ymin, xmin, ymax, xmax] relative to the padded square input. */
export interface SsdPick {
  box: readonly [number, number, number, number];
  score: number;
}

/**
 * face-api's output layer after the NMS: boxes clipped to the padded square, scaled past the padding to the image
 * of `width` × `height`.
 */
export function ssdDetections(picks: readonly SsdPick[], width: number, height: number): Detection[] {
  const reshaped = reshapedDims(width, height, INPUT_SIZE);
  const padX = INPUT_SIZE / reshaped.width;
  const padY = INPUT_SIZE / reshaped.height;
  const detections: Detection[] = [];
  for (const { box, score } of picks) {
    const [b0, b1, b2, b3] = box;
    const top = Math.max(0, b0) * padY;
    const bottom = Math.min(1.0, b2) * padY;
    const left = Math.max(0, b1) * padX;
    const right = Math.min(1.0, b3) * padX;
    // A box wholly outside the padded input (face-api throws on its negative size): not a face of this image.
    if (!(right - left >= 0 && bottom - top >= 0)) continue;
    const rel = { x: left, y: top, width: right - left, height: bottom - top };
    detections.push({ score, box: toImageBox(rel, { width, height }) });
  }
  return detections;
}
