// Reading the exported networks' outputs the way face-api reads its own.

/** face-api's input side for the 68-point landmark, age/gender and expression nets. */
export const FACE_INPUT = 112;

/** face-api's FACE_EXPRESSION_LABELS: the order of the expression net's output columns. */
export const EXPRESSION_LABELS = [
  'neutral',
  'happy',
  'sad',
  'angry',
  'fearful',
  'disgusted',
  'surprised',
] as const;

/**
 * face-api's `FaceLandmark68NetBase.postProcess` + `FaceLandmarks68` for one row of `landmarks`: the 68 points in
 * the pixels of a crop of `width` × `height` (the centring pad of the square input removed).
 */
export function toCropPoints(
  row: ArrayLike<number>,
  width: number,
  height: number,
): { x: number; y: number }[] {
  const scale = FACE_INPUT / Math.max(width, height);
  const w = width * scale;
  const h = height * scale;
  const padX = w < h ? Math.abs(w - h) / 2 : 0;
  const padY = h < w ? Math.abs(w - h) / 2 : 0;
  return Array.from({ length: 68 }, (_, i) => ({
    x: (((row[2 * i] ?? 0) * FACE_INPUT - padX) / w) * width,
    y: (((row[2 * i + 1] ?? 0) * FACE_INPUT - padY) / h) * height,
  }));
}
