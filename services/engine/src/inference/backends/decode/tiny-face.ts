// face-api's TinyFaceDetector output decoding (yolo boxes, NMS, box chain) and options, shared by both backends (no
// tfjs: the onnx backend decodes its outputs with them).
import { iou, type Box } from '../../geometry';
import { reshapedDims, toImageBox, type Detection, type Dims } from './boxes';

export interface TinyFaceDetectorOptions {
  /** Side of the square net input, a multiple of 32 (face-api's default: 416). */
  inputSize?: number;
  /** Detections scoring above this are kept (face-api's default: 0.5). */
  scoreThreshold?: number;
}

// face-api tinyFaceDetector/const.ts.
const IOU_THRESHOLD = 0.4;
export const TINY_ANCHORS: readonly (readonly [number, number])[] = [
  [1.603231, 2.094468],
  [6.041143, 7.080126],
  [2.882459, 3.518061],
  [4.266906, 5.178857],
  [9.041765, 10.66308],
];
// 4 box coordinates + 1 score per anchor: one class, no class scores.
export const TINY_BOX_ENCODING_SIZE = 5;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** face-api's Box, as left/top/width/height with its own right/bottom/area arithmetic. */
interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** face-api's ops/nonMaxSuppression (IoU): picks in decreasing score; among equal scores the later box first. */
function nonMaxSuppression(
  boxes: readonly Rect[],
  scores: readonly number[],
  iouThreshold: number,
): number[] {
  let order = scores
    .map((score, index) => ({ score, index }))
    .sort((a, b) => a.score - b.score)
    .map((c) => c.index);
  // The engine's one IoU (geometry.ts) is face-api's for boxes of positive size, as decoded boxes are.
  const asBoxes: Box[] = boxes.map((b) => ({ x: b.x, y: b.y, w: b.width, h: b.height }));
  const pick: number[] = [];
  for (let current = order.pop(); current !== undefined; current = order.pop()) {
    pick.push(current);
    const box = asBoxes[current] as Box;
    order = order.filter((i) => iou(box, asBoxes[i] as Box) <= iouThreshold);
  }
  return pick;
}

function decode(data: Float32Array, cells: number, dims: Dims, inputSize: number, scoreThreshold: number) {
  const { width, height } = reshapedDims(dims.width, dims.height, inputSize);
  const side = Math.max(width, height);
  const correctionX = side / width;
  const correctionY = side / height;
  const boxes: Rect[] = [];
  const scores: number[] = [];
  for (let row = 0; row < cells; row++)
    for (let col = 0; col < cells; col++)
      for (let anchor = 0; anchor < TINY_ANCHORS.length; anchor++) {
        const at = ((row * cells + col) * TINY_ANCHORS.length + anchor) * TINY_BOX_ENCODING_SIZE;
        const score = sigmoid(data[at + 4] as number);
        if (!(score > scoreThreshold)) continue;
        const [anchorX, anchorY] = TINY_ANCHORS[anchor] as readonly [number, number];
        const ctX = ((col + sigmoid(data[at] as number)) / cells) * correctionX;
        const ctY = ((row + sigmoid(data[at + 1] as number)) / cells) * correctionY;
        const w = ((Math.exp(data[at + 2] as number) * anchorX) / cells) * correctionX;
        const h = ((Math.exp(data[at + 3] as number) * anchorY) / cells) * correctionY;
        const x = ctX - w / 2;
        const y = ctY - h / 2;
        // face-api: new BoundingBox(x, y, x + w, y + h), i.e. width = right - left.
        boxes.push({ x, y, width: x + w - x, height: y + h - y });
        scores.push(score);
      }
  return { boxes, scores };
}

/** face-api's TinyYolov2Options with its defaults (0 or missing means the default), checked. */
export function tinyFaceDetectorOptions(
  options: TinyFaceDetectorOptions = {},
): Required<TinyFaceDetectorOptions> {
  const inputSize = options.inputSize || 416;
  const scoreThreshold = options.scoreThreshold || 0.5;
  if (!Number.isInteger(inputSize) || inputSize <= 0 || inputSize % 32 !== 0)
    throw new Error('TinyFaceDetectorOptions - expected inputSize to be a number divisible by 32');
  if (!(scoreThreshold > 0 && scoreThreshold < 1))
    throw new Error('TinyFaceDetectorOptions - expected scoreThreshold to be a number between 0 and 1');
  return { inputSize, scoreThreshold };
}

/**
 * The net's output [1, cells, cells, 25] (NHWC, as read from tfjs or the ONNX export) → faces in decreasing score,
 * boxes in the pixels of an image of `dims`: face-api's yolo decoding, NMS and box chain.
 */
export function tinyFaceDetections(
  data: Float32Array,
  cells: number,
  dims: Dims,
  options: Required<TinyFaceDetectorOptions>,
): Detection[] {
  const { inputSize, scoreThreshold } = options;
  const { boxes, scores } = decode(data, cells, dims, inputSize, scoreThreshold);
  // face-api runs its NMS on the boxes scaled to the input size.
  const scaled = boxes.map((b) => ({
    x: b.x * inputSize,
    y: b.y * inputSize,
    width: b.width * inputSize,
    height: b.height * inputSize,
  }));
  const reverse = { width: 1 / dims.width, height: 1 / dims.height };
  return nonMaxSuppression(scaled, scores, IOU_THRESHOLD).map((i) => {
    // ObjectDetection scales the relative box to the image; locateFaces' FaceDetection takes it back and forth.
    const box = toImageBox(toImageBox(toImageBox(boxes[i] as Rect, dims), reverse), dims);
    return { score: scores[i] as number, box };
  });
}
