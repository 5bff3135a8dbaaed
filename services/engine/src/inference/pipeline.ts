import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { decodeImage } from './image/decode';
import type { ImageRef__Output } from '@deepface/proto';
import { EngineFailure } from '../contract/failure';
import { int32Image, rgbTensor } from './image-tensor';
import {
  locateFaces,
  locateFacesWithHints,
  runTiny,
  TINY_SMALL_FACES_INPUT,
  type DetectOptions,
  type Face,
} from './detect';
import type { FacialArea } from '@deepface/proto';
import { area, grow, toFacialArea, type Box, type Pt } from './geometry';
import type { Timer } from './timer';
import type { Nets } from './backends/nets';
import type { EngineContext } from './context';
import type { DecodeLimits, DecodedImage } from '../contract/image';

/**
 * A decoded image with its faces. Faces are in working-copy pixels, largest first (a tight crop's boxes may reach
 * past the image border). The detection copy stays loaded as a tensor for second looks (a selfie's other faces);
 * landmarks, descriptors and attributes read crops of the working copy around the faces (withFaceRegion).
 */
export interface Prepared {
  image: DecodedImage;
  /** The networks that found the faces: second looks and the faces' descriptions use the same. */
  nets: Nets;
  faces: Face[];
  /** The detection copy, int32 [height, width, 3]; detectFaces maps its faces to working-copy pixels. */
  detection: tf.Tensor3D;
  /**
   * The tiny detector's candidates on the detection copy down to TINY_HINT_SCORE, in working-copy pixels: kept
   * from the cascade's first pass for a selfie's second look (ops/selfie.ts).
   */
  hints?: Face[];
  dispose(): void;
}

// Detectors are trained on faces with context around them: a face filling the frame (a tight crop, a passport
// photo) is often missed. Retry on a small copy centred on a neutral margin (bench/eval: half the image side
// finds most, a full side the rest).
const RETRY_SIDE = 400;
const RETRY_MARGINS = [0.5, 1.0];
/** Light grey: what lies beyond the image in margin copies and face regions (a studio-like background). */
const OUTSIDE_FILL = 176;

/** Where a detector input's pixels sit in the working copy: work = (x − offset) × scale. */
interface Frame {
  scale: number;
  offset: number;
}

function toWorkFaces(faces: Face[], frame: Frame): Face[] {
  const m = (v: number): number => (v - frame.offset) * frame.scale;
  return faces.map((f) => ({
    ...f,
    box: { x: m(f.box.x), y: m(f.box.y), w: f.box.w * frame.scale, h: f.box.h * frame.scale },
  }));
}

/** Runs a detector on the detection copy; faces come back in working-copy pixels. */
export async function detectFaces(p: Prepared, run: (t: tf.Tensor3D) => Promise<Face[]>): Promise<Face[]> {
  return toWorkFaces(await run(p.detection), { scale: p.image.detectScale, offset: 0 });
}

async function detectWithMargin(
  nets: Nets,
  detection: tf.Tensor3D,
  detectScale: number,
  margin: number,
  options: DetectOptions,
): Promise<Face[]> {
  const [h, w] = detection.shape;
  const scale = Math.min(1, RETRY_SIDE / Math.max(h, w));
  const offset = Math.round(Math.max(h, w) * scale * margin);
  const padded = tf.tidy(() => {
    const small =
      scale < 1
        ? tf.image.resizeBilinear(detection, [Math.round(h * scale), Math.round(w * scale)])
        : tf.cast(detection, 'float32');
    return tf.pad<tf.Tensor3D>(
      small,
      [
        [offset, offset],
        [offset, offset],
        [0, 0],
      ],
      OUTSIDE_FILL,
    );
  });
  try {
    return toWorkFaces(await locateFaces(nets, padded, options), { scale: detectScale / scale, offset });
  } finally {
    padded.dispose();
  }
}

// Below this long side the image already reaches the detectors at (nearly) full resolution.
const SMALL_FACES_MIN_SIDE = 600;

const bySize = (faces: Face[]): Face[] => faces.sort((a, b) => area(b.box) - area(a.box));

// A detector box reaching past the border (with a little slack) means a tight crop: the detectors place such
// faces better when they see a margin around them.
const CONTEXT = 1.15;

function needsMargin(box: Box, image: DecodedImage): boolean {
  const g = grow(box, CONTEXT);
  return g.x < 0 || g.y < 0 || g.x + g.w > image.workWidth || g.y + g.h > image.workHeight;
}

/** Detects faces on a decoded image; the caller disposes the result. */
export async function prepareDecoded(
  image: DecodedImage,
  nets: Nets,
  timer: Timer,
  options: DetectOptions,
): Promise<Prepared> {
  const detection = rgbTensor(image.detect.rgb, image.detect.height, image.detect.width);
  let hints: Face[] | undefined;
  const prepared = (faces: Face[]): Prepared => ({
    image,
    nets,
    faces: bySize(faces),
    detection,
    ...(hints ? { hints } : {}),
    dispose: () => detection.dispose(),
  });
  try {
    return await timer.time('detect', async () => {
      const identity: Frame = { scale: image.detectScale, offset: 0 };
      const first = await locateFacesWithHints(nets, detection, options);
      if (first.hints) hints = toWorkFaces(first.hints, identity);
      let faces = toWorkFaces(first.faces, identity);
      // Small faces (a card photographed from afar): a finer pass of the tiny detector over the whole image.
      if (faces.length === 0 && Math.max(image.workWidth, image.workHeight) >= SMALL_FACES_MIN_SIDE)
        faces = toWorkFaces(await runTiny(nets, detection, undefined, TINY_SMALL_FACES_INPUT), identity);
      const main = bySize(faces)[0];
      if (main && !needsMargin(main.box, image)) return prepared(faces);
      for (const margin of RETRY_MARGINS) {
        const found = await detectWithMargin(nets, detection, image.detectScale, margin, options);
        if (found.length > 0) return prepared(found);
      }
      return prepared(faces);
    });
  } catch (error) {
    detection.dispose();
    throw error;
  }
}

// A faded or low-contrast portrait (a worn laser print, a pale scan) can escape both detectors at its own
// contrast. A document's second look equalises contrast locally (CLAHE: the portrait is stretched without the
// card's dark print dominating), then tries the equalised copy turned a few degrees either way (the detectors'
// anchors fit upright faces; a small turn moves a borderline face across their threshold).
const FAINT_TURNS = [0, 5, -5];

/**
 * Faces of a faint portrait, from a contrast-equalised detection copy, in working-copy pixels (empty when there
 * are none). For document candidates on which the ordinary passes found no face.
 */
export async function faintPortraitFaces(p: Prepared, options: DetectOptions): Promise<Face[]> {
  const { rgb, width, height } = p.image.detect;
  // Tiles about an eye's size on a portrait (1/16 of the page's long side), amplification capped at 30: a washed-
  // out face regains its features (measured on faded synthetic portraits: 4/12 found at CLAHE's usual 1/8 and 3,
  // 12/12 here).
  const tile = Math.max(8, Math.round(Math.max(width, height) / 16));
  const equalised = sharp(rgb, { raw: { width, height, channels: 3 } }).clahe({
    width: tile,
    height: tile,
    maxSlope: 30,
  });
  for (const turn of FAINT_TURNS) {
    const copy = turn === 0 ? equalised.clone() : equalised.clone().rotate(turn, { background: '#b0b0b0' });
    const { data, info } = await copy.raw().toBuffer({ resolveWithObject: true });
    const tensor = rgbTensor(
      new Uint8Array(data.buffer, data.byteOffset, data.length),
      info.height,
      info.width,
    );
    let found: Face[];
    try {
      found = await locateFaces(p.nets, tensor, options);
    } finally {
      tensor.dispose();
    }
    if (found.length === 0) continue;
    // Back from the turned copy (rotated about its centre, grown to hold the corners) to the detection copy.
    const a = (-turn * Math.PI) / 180;
    const back = (x: number, y: number): Pt => {
      const dx = x - info.width / 2;
      const dy = y - info.height / 2;
      return {
        x: dx * Math.cos(a) - dy * Math.sin(a) + width / 2,
        y: dx * Math.sin(a) + dy * Math.cos(a) + height / 2,
      };
    };
    const upright = found.map((f) => {
      const c = back(f.box.x + f.box.w / 2, f.box.y + f.box.h / 2);
      return { ...f, box: { x: c.x - f.box.w / 2, y: c.y - f.box.h / 2, w: f.box.w, h: f.box.h } };
    });
    return bySize(toWorkFaces(upright, { scale: p.image.detectScale, offset: 0 }));
  }
  return [];
}

// A face region spans the face box grown this much: the landmark net reads the box, the aligned chip and the
// attribute crops lie within about 1.5 boxes; beyond the image the region is OUTSIDE_FILL grey.
const REGION_GROW = 2;
// Faces larger than this (box side, px) are cropped downscaled: the nets read 112–198 px crops, so more
// resolution only costs copies (a 600-px selfie face made landmarks 5× slower).
const REGION_FACE_SIDE = 320;

interface Region {
  tensor: tf.Tensor3D;
  /** local = (work − origin) × scale */
  x0: number;
  y0: number;
  scale: number;
}

/** The working copy around the faces, antialiased down to REGION_FACE_SIDE faces, grey beyond the image. */
async function cropRegion(p: Prepared, faces: Face[]): Promise<Region> {
  const grown = faces.map((f) => grow(f.box, REGION_GROW));
  const x0 = Math.floor(Math.min(...grown.map((b) => b.x)));
  const y0 = Math.floor(Math.min(...grown.map((b) => b.y)));
  const x1 = Math.ceil(Math.max(...grown.map((b) => b.x + b.w)));
  const y1 = Math.ceil(Math.max(...grown.map((b) => b.y + b.h)));
  const smallest = Math.min(...faces.map((f) => Math.max(f.box.w, f.box.h)));
  const scale = Math.min(1, REGION_FACE_SIDE / smallest);
  const { rgb, workWidth, workHeight } = p.image;
  // The part inside the image (resized by libvips for large faces), then padded to the region's extent.
  const ix0 = Math.max(0, x0);
  const iy0 = Math.max(0, y0);
  const ix1 = Math.min(workWidth, x1);
  const iy1 = Math.min(workHeight, y1);
  const w = Math.max(1, Math.round((x1 - x0) * scale));
  const h = Math.max(1, Math.round((y1 - y0) * scale));
  // The rows of the image inside the region: [bytes, offset in the region's values].
  const rows: [Uint8Array, number][] = [];
  if (ix1 > ix0 && iy1 > iy0 && scale === 1) {
    // Full resolution: plain row copies (TypedArray.set converts bytes to int32 natively).
    for (let y = iy0; y < iy1; y++)
      rows.push([
        rgb.subarray((y * workWidth + ix0) * 3, (y * workWidth + ix1) * 3),
        ((y - y0) * w + (ix0 - x0)) * 3,
      ]);
  } else if (ix1 > ix0 && iy1 > iy0) {
    const iw = Math.max(1, Math.min(w, Math.round((ix1 - ix0) * scale)));
    const ih = Math.max(1, Math.min(h, Math.round((iy1 - iy0) * scale)));
    const inner = await sharp(rgb, { raw: { width: workWidth, height: workHeight, channels: 3 } })
      .extract({ left: ix0, top: iy0, width: ix1 - ix0, height: iy1 - iy0 })
      .resize({ width: iw, height: ih, fit: 'fill' })
      .raw()
      .toBuffer();
    const left = Math.min(w - iw, Math.round((ix0 - x0) * scale));
    const top = Math.min(h - ih, Math.round((iy0 - y0) * scale));
    for (let y = 0; y < ih; y++)
      rows.push([inner.subarray(y * iw * 3, (y + 1) * iw * 3), ((top + y) * w + left) * 3]);
  }
  const tensor = int32Image(h, w, (values) => {
    values.fill(OUTSIDE_FILL);
    for (const [bytes, offset] of rows) values.set(bytes, offset);
  });
  return { tensor, x0, y0, scale };
}

/**
 * Runs `work` on a crop of the working copy around `faces` (at up to full resolution, whatever the image size),
 * with the faces mapped into the crop; then maps what `work` added (landmarks, eyes) back to working-copy pixels.
 */
export async function withFaceRegion<T>(
  p: Prepared,
  faces: Face[],
  work: (tensor: tf.Tensor3D, local: Face[]) => Promise<T>,
): Promise<T> {
  if (faces.length === 0) throw new Error('withFaceRegion needs at least one face');
  const r = await cropRegion(p, faces);
  const toLocal = (v: number, o: number): number => (v - o) * r.scale;
  const back = (pt: Pt): Pt => ({ x: pt.x / r.scale + r.x0, y: pt.y / r.scale + r.y0 });
  const local: Face[] = faces.map((f) => ({
    ...f,
    box: { x: toLocal(f.box.x, r.x0), y: toLocal(f.box.y, r.y0), w: f.box.w * r.scale, h: f.box.h * r.scale },
  }));
  try {
    const result = await work(r.tensor, local);
    local.forEach((l, i) => {
      const f = faces[i];
      if (!f) return;
      if (l.landmarks) f.landmarks = l.landmarks.map(back);
      if (l.leftEye) f.leftEye = back(l.leftEye);
      if (l.rightEye) f.rightEye = back(l.rightEye);
      if (l.roll !== undefined) f.roll = l.roll;
      if (l.descriptor) f.descriptor = l.descriptor;
    });
    return result;
  } finally {
    r.tensor.dispose();
  }
}

/** Decodes an image (timed as `decode`), attributing a failure to it. */
export async function decodeAbout(
  bytes: Uint8Array,
  ref: ImageRef__Output,
  limits: DecodeLimits,
  timer: Timer,
): Promise<DecodedImage> {
  try {
    return await timer.time('decode', () => decodeImage(bytes, limits));
  } catch (error) {
    throw error instanceof EngineFailure ? error.about(ref) : error;
  }
}

/** A face's area and eyes in pixels of the image as sent. */
export function facialArea(p: Prepared, f: Face): FacialArea {
  return toFacialArea(f.box, p.image.scale, f.leftEye, f.rightEye, p.image.width, p.image.height);
}

/** A landmark or eye in pixels of the image as sent. */
export function imagePoint(p: Prepared, pt: Pt): Pt {
  return { x: pt.x * p.image.scale, y: pt.y * p.image.scale };
}

/** Decodes and detects faces on one image (failures are about IMG1), runs `work`, and frees the tensors. */
export async function withPreparedImage<T>(
  ctx: Pick<EngineContext, 'limits' | 'nets'>,
  bytes: Uint8Array,
  timer: Timer,
  options: DetectOptions,
  work: (prepared: Prepared) => Promise<T>,
): Promise<T> {
  const decoded = await decodeAbout(bytes, 'IMG1', ctx.limits, timer);
  const prepared = await prepareDecoded(decoded, ctx.nets, timer, options);
  try {
    return await work(prepared);
  } finally {
    prepared.dispose();
  }
}
