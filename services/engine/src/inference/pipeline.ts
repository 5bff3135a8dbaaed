import sharp from 'sharp';
import { decodeImage } from './image/decode';
import type { ImageRef__Output } from '@deepface/proto';
import { EngineFailure } from '../contract/failure';
import type { Face } from './detect';
import { bySize, findFaces, OUTSIDE_FILL, toWorkFaces, type DetectOptions } from './detection';
import type { FacialArea } from '@deepface/proto';
import { grow, toFacialArea, type Pt } from './geometry';
import type { Timer } from './timer';
import type { Nets, RgbImage } from './backends/nets';
import type { EngineContext } from './context';
import type { DecodeLimits, DecodedImage } from '../contract/image';

/**
 * A decoded image with its faces. Faces are in working-copy pixels, largest first (a tight crop's boxes may reach
 * past the image border). The detection copy's pixels serve second looks (a selfie's other faces, the person
 * mask); landmarks, descriptors and attributes read crops of the working copy around the faces (withFaceRegion).
 */
export interface Prepared {
  image: DecodedImage;
  /** The networks that found the faces: second looks and the faces' descriptions use the same. */
  nets: Nets;
  faces: Face[];
  /** The detection copy's pixels (the decoded bytes); detectFaces maps its faces to working-copy pixels. */
  detection: RgbImage;
  /**
   * The tiny detector's candidates on the detection copy down to TINY_HINT_SCORE, in working-copy pixels: kept
   * from the cascade's first pass for a selfie's second look (ops/selfie.ts).
   */
  hints?: Face[];
}

/** Runs a detector on the detection copy; faces come back in working-copy pixels. */
export async function detectFaces(p: Prepared, run: (image: RgbImage) => Promise<Face[]>): Promise<Face[]> {
  return toWorkFaces(await run(p.detection), { scale: p.image.detectScale, offset: 0 });
}

/** Detects faces on a decoded image (detection.ts decides how). Holds nothing to free: plain pixels, no tensors. */
export async function prepareDecoded(
  image: DecodedImage,
  nets: Nets,
  timer: Timer,
  options: DetectOptions,
): Promise<Prepared> {
  const detection: RgbImage = image.detect;
  const { faces, hints } = await timer.time('detect', () => findFaces(nets, image, detection, options));
  return {
    image,
    nets,
    faces: bySize(faces),
    detection,
    ...(hints ? { hints } : {}),
  };
}

// A face region spans the face box grown this much: the landmark net reads the box, the aligned chip and the
// attribute crops lie within about 1.5 boxes; beyond the image the region is OUTSIDE_FILL grey.
const REGION_GROW = 2;
// Faces larger than this (box side, px) are cropped downscaled: the nets read 112–198 px crops, so more
// resolution only costs copies (a 600-px selfie face made landmarks 5× slower).
const REGION_FACE_SIDE = 320;

interface Region {
  pixels: RgbImage;
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
    // Full resolution: plain row copies.
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
  const data = new Uint8Array(w * h * 3).fill(OUTSIDE_FILL);
  for (const [bytes, offset] of rows) data.set(bytes, offset);
  return { pixels: { rgb: data, width: w, height: h }, x0, y0, scale };
}

/**
 * Runs `work` on a crop of the working copy around `faces` (at up to full resolution, whatever the image size),
 * with the faces mapped into the crop; then maps what `work` added (landmarks, eyes) back to working-copy pixels.
 */
export async function withFaceRegion<T>(
  p: Prepared,
  faces: Face[],
  work: (region: RgbImage, local: Face[]) => Promise<T>,
): Promise<T> {
  if (faces.length === 0) throw new Error('withFaceRegion needs at least one face');
  const r = await cropRegion(p, faces);
  const toLocal = (v: number, o: number): number => (v - o) * r.scale;
  const back = (pt: Pt): Pt => ({ x: pt.x / r.scale + r.x0, y: pt.y / r.scale + r.y0 });
  const local: Face[] = faces.map((f) => ({
    ...f,
    box: { x: toLocal(f.box.x, r.x0), y: toLocal(f.box.y, r.y0), w: f.box.w * r.scale, h: f.box.h * r.scale },
  }));
  const result = await work(r.pixels, local);
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

/** Decodes and detects faces on one image (failures are about IMG1), then runs `work`. */
export async function withPreparedImage<T>(
  ctx: Pick<EngineContext, 'limits' | 'nets'>,
  bytes: Uint8Array,
  timer: Timer,
  options: DetectOptions,
  work: (prepared: Prepared) => Promise<T>,
): Promise<T> {
  const decoded = await decodeAbout(bytes, 'IMG1', ctx.limits, timer);
  return work(await prepareDecoded(decoded, ctx.nets, timer, options));
}
