import * as tf from '@tensorflow/tfjs';
import { decodeImage, type DecodeLimits, type DecodedImage } from '../image/decode';
import type { ImageRef__Output } from '@deepface/proto';
import { EngineFailure } from './failure';
import { locateFaces, runTiny, TINY_SMALL_FACES_INPUT, type DetectOptions, type Face } from './detect';
import type { FacialArea } from '@deepface/proto';
import { area, grow, toFacialArea, type Box, type Pt } from './geometry';
import type { Timer } from './timer';

/**
 * Where a tensor's pixels sit in the working copy: work = (tensor - offset) / scale. The identity for the working
 * copy itself; a downscaled, padded copy when faces were only found with a margin around the image.
 */
export interface Frame {
  scale: number;
  offset: number;
}

const IDENTITY: Frame = { scale: 1, offset: 0 };

/** A decoded image with its faces (largest first, in `tensor` pixels), holding one tensor until disposed. */
export interface Prepared {
  image: DecodedImage;
  /** RGB [height, width, 3]: the working copy, or the margin copy the faces were found on. */
  tensor: tf.Tensor3D;
  frame: Frame;
  faces: Face[];
  dispose(): void;
}

// Detectors are trained on faces with context around them: a face filling the frame (a tight crop, a passport
// photo) is often missed. Retry on a small copy centred on a neutral margin; the whole pipeline (landmarks,
// descriptor) then runs on that copy, so landmarks are not cut at the image border. Margins in the order tried
// (bench/eval: half the image side keeps descriptors closest to a padded original; a full side finds the rest).
const RETRY_SIDE = 400;
const RETRY_MARGINS = [0.5, 1.0];
const RETRY_FILL = 176;

function marginCopy(tensor: tf.Tensor3D, margin: number): { tensor: tf.Tensor3D; frame: Frame } {
  const [h, w] = tensor.shape;
  const scale = Math.min(1, RETRY_SIDE / Math.max(h, w));
  const offset = Math.round(Math.max(h, w) * scale * margin);
  const padded = tf.tidy(() => {
    const small =
      scale < 1
        ? tf.image.resizeBilinear(tensor, [Math.round(h * scale), Math.round(w * scale)])
        : tf.cast(tensor, 'float32');
    return tf.pad<tf.Tensor3D>(
      small,
      [
        [offset, offset],
        [offset, offset],
        [0, 0],
      ],
      RETRY_FILL,
    );
  });
  return { tensor: padded, frame: { scale, offset } };
}

// Below this long side the image already reaches the detectors at (nearly) full resolution.
const SMALL_FACES_MIN_SIDE = 600;

const bySize = (faces: Face[]): Face[] => faces.sort((a, b) => area(b.box) - area(a.box));

// The landmark net reads the detector box, and the aligned chip lies within it: when the box (with a little
// slack) leaves the image, landmarks are cut at the border and the descriptor drifts, so the margin copy is used.
const CONTEXT = 1.15;

function needsMargin(box: Box, image: DecodedImage): boolean {
  const g = grow(box, CONTEXT);
  return g.x < 0 || g.y < 0 || g.x + g.w > image.workWidth || g.y + g.h > image.workHeight;
}

/** Detects faces on a decoded image; the caller disposes the result. */
export async function prepareDecoded(
  image: DecodedImage,
  timer: Timer,
  options: DetectOptions,
): Promise<Prepared> {
  const work = tf.tensor3d(image.rgb, [image.workHeight, image.workWidth, 3], 'int32');
  const prepared = (tensor: tf.Tensor3D, frame: Frame, faces: Face[]): Prepared => ({
    image,
    tensor,
    frame,
    faces: bySize(faces),
    dispose: () => tensor.dispose(),
  });
  try {
    return await timer.time('detect', async () => {
      let faces = await locateFaces(work, options);
      // Small faces (a card photographed from afar): a finer pass of the tiny detector over the whole image.
      if (faces.length === 0 && Math.max(image.workWidth, image.workHeight) >= SMALL_FACES_MIN_SIDE)
        faces = await runTiny(work, undefined, TINY_SMALL_FACES_INPUT);
      const main = bySize(faces)[0];
      if (main && !needsMargin(main.box, image)) return prepared(work, IDENTITY, faces);
      for (const margin of RETRY_MARGINS) {
        const copy = marginCopy(work, margin);
        try {
          const found = await locateFaces(copy.tensor, options);
          if (found.length > 0) {
            work.dispose();
            return prepared(copy.tensor, copy.frame, found);
          }
        } catch (error) {
          copy.tensor.dispose();
          throw error;
        }
        copy.tensor.dispose();
      }
      return prepared(work, IDENTITY, faces);
    });
  } catch (error) {
    if (!work.isDisposed) work.dispose();
    throw error;
  }
}

/** A box or point of the prepared tensor in working-copy pixels. */
export function toWork(frame: Frame, b: Box): Box {
  return {
    x: (b.x - frame.offset) / frame.scale,
    y: (b.y - frame.offset) / frame.scale,
    w: b.w / frame.scale,
    h: b.h / frame.scale,
  };
}

const pointToWork = (frame: Frame, p: Pt | undefined): Pt | undefined =>
  p ? { x: (p.x - frame.offset) / frame.scale, y: (p.y - frame.offset) / frame.scale } : undefined;

/** Faces of a prepared image with boxes, eyes and landmarks in working-copy pixels (for the image analyses). */
export function workFaces(p: Prepared): Face[] {
  if (p.frame === IDENTITY) return p.faces;
  return p.faces.map((f) => ({
    ...f,
    box: toWork(p.frame, f.box),
    leftEye: pointToWork(p.frame, f.leftEye),
    rightEye: pointToWork(p.frame, f.rightEye),
    landmarks: f.landmarks?.map((pt) => pointToWork(p.frame, pt) ?? pt),
  }));
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
  const s = p.image.scale / p.frame.scale;
  const o = p.frame.offset;
  const shift = (pt?: Pt): Pt | undefined => (pt ? { x: pt.x - o, y: pt.y - o } : undefined);
  return toFacialArea(
    { ...f.box, x: f.box.x - o, y: f.box.y - o },
    s,
    shift(f.leftEye),
    shift(f.rightEye),
    p.image.width,
    p.image.height,
  );
}

/** A landmark or eye in pixels of the image as sent. */
export function imagePoint(p: Prepared, pt: Pt): Pt {
  const s = p.image.scale / p.frame.scale;
  return { x: (pt.x - p.frame.offset) * s, y: (pt.y - p.frame.offset) * s };
}

/** withPrepared for the single-image operations (failures are about IMG1). */
export function withPreparedImage<T>(
  bytes: Uint8Array,
  limits: DecodeLimits,
  timer: Timer,
  options: DetectOptions,
  work: (prepared: Prepared) => Promise<T>,
): Promise<T> {
  return withPrepared([{ bytes, ref: 'IMG1' }], limits, timer, options, ([p]) => {
    if (!p) throw new Error('withPrepared gave no image');
    return work(p);
  });
}
