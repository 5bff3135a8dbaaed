import * as tf from '@tensorflow/tfjs';
import { decodeImage, type DecodeLimits, type DecodedImage } from '../image/decode';
import type { ImageRef__Output } from '@deepface/proto';
import { EngineFailure } from './failure';
import { locateFaces, type DetectOptions, type Face } from './detect';
import type { FacialArea } from '@deepface/proto';
import { area, toFacialArea } from './geometry';
import type { Timer } from './timer';

/** A decoded image with its faces (largest first), holding one tensor until disposed. */
export interface Prepared {
  image: DecodedImage;
  /** The working copy as an int32 [height, width, 3] tensor. */
  tensor: tf.Tensor3D;
  faces: Face[];
  dispose(): void;
}

// Detectors are trained on faces with context around them: a face filling the frame (a tight crop, a
// passport photo) is often missed. Retry on a small copy centred on a neutral margin as wide as the image.
const RETRY_SIDE = 320;
const RETRY_MARGIN = 1.0;
const RETRY_FILL = 176;

async function detectWithMargin(tensor: tf.Tensor3D, options: DetectOptions): Promise<Face[]> {
  const [h, w] = tensor.shape;
  const s = Math.min(1, RETRY_SIDE / Math.max(h, w));
  const pad = Math.round(Math.max(h, w) * s * RETRY_MARGIN);
  const padded = tf.tidy(() => {
    const small = s < 1 ? tf.image.resizeBilinear(tensor, [Math.round(h * s), Math.round(w * s)]) : tf.cast(tensor, 'float32');
    return tf.pad<tf.Tensor3D>(small, [[pad, pad], [pad, pad], [0, 0]], RETRY_FILL);
  });
  try {
    const faces = await locateFaces(padded, options);
    return faces.map((f) => ({ ...f, box: { x: (f.box.x - pad) / s, y: (f.box.y - pad) / s, w: f.box.w / s, h: f.box.h / s } }));
  } finally {
    padded.dispose();
  }
}

export async function findFaces(tensor: tf.Tensor3D, options: DetectOptions): Promise<Face[]> {
  let faces = await locateFaces(tensor, options);
  if (faces.length === 0) faces = await detectWithMargin(tensor, options);
  return faces.sort((a, b) => area(b.box) - area(a.box));
}

/** Detects faces on a decoded image; the caller disposes the result. */
export async function prepareDecoded(image: DecodedImage, timer: Timer, options: DetectOptions): Promise<Prepared> {
  const tensor = tf.tensor3d(image.rgb, [image.workHeight, image.workWidth, 3], 'int32');
  try {
    const faces = await timer.time('detect', () => findFaces(tensor, options));
    return { image, tensor, faces, dispose: () => tensor.dispose() };
  } catch (error) {
    tensor.dispose();
    throw error;
  }
}

/** Decodes several images at once (libvips works off the JS thread), attributing failures to their image. */
export async function decodeAll(
  images: readonly { bytes: Uint8Array; ref: ImageRef__Output }[],
  limits: DecodeLimits,
  timer: Timer,
): Promise<DecodedImage[]> {
  return timer.time('decode', async () => {
    const settled = await Promise.allSettled(images.map((i) => decodeImage(i.bytes, limits)));
    return settled.map((s, k) => {
      if (s.status === 'fulfilled') return s.value;
      const ref = images[k]?.ref ?? 'IMAGE_REF_UNSPECIFIED';
      throw s.reason instanceof EngineFailure ? s.reason.about(ref) : s.reason;
    });
  });
}

export interface ImageInput {
  bytes: Uint8Array;
  ref: ImageRef__Output;
}

/** Decodes and detects faces on every image, runs `work`, and frees the tensors whatever happens. */
export async function withPrepared<T>(
  images: readonly ImageInput[],
  limits: DecodeLimits,
  timer: Timer,
  options: DetectOptions,
  work: (prepared: Prepared[]) => Promise<T>,
): Promise<T> {
  const decoded = await decodeAll(images, limits, timer);
  const prepared: Prepared[] = [];
  try {
    for (const image of decoded) prepared.push(await prepareDecoded(image, timer, options));
    return await work(prepared);
  } finally {
    prepared.forEach((p) => p.dispose());
  }
}

/** A face's area and eyes in pixels of the image as sent. */
export function facialArea(p: Prepared, f: Face): FacialArea {
  return toFacialArea(f.box, p.image.scale, f.leftEye, f.rightEye, p.image.width, p.image.height);
}
