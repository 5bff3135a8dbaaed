// face-api's detections and box arithmetic, shared by both backends' detectors (no tfjs: the onnx backend decodes
// its outputs with them).

/** A detected face: box in the pixels of the image passed in, as face-api's `FaceDetection` reports it. */
export interface Detection {
  score: number;
  box: { x: number; y: number; width: number; height: number };
}

/** Width and height of the image inside the square net input (face-api's `getReshapedInputDimensions`). */
export interface Dims {
  width: number;
  height: number;
}

export function reshapedDims(width: number, height: number, inputSize: number): Dims {
  const scale = inputSize / Math.max(height, width);
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

/**
 * face-api's box chain, replayed with its arithmetic so equal net outputs give bit-equal boxes: a box relative to
 * the image (x, y, width, height) scaled to the image's pixels (`ObjectDetection`).
 */
export function toImageBox(
  rel: { x: number; y: number; width: number; height: number },
  dims: Dims,
): Detection['box'] {
  return {
    x: rel.x * dims.width,
    y: rel.y * dims.height,
    width: rel.width * dims.width,
    height: rel.height * dims.height,
  };
}
