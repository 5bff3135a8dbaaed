// The detection policy, in one place: which detector runs first and at what cut (cascade or SSD first), the tiny
// detector's hints for a selfie's second look, the finer pass for small faces, margin copies for tight crops, and
// the contrast-equalised look for a document's faint portrait. Faces come back in working-copy pixels.
import sharp from 'sharp';
import type { DetectorName } from '../contract/evidence';
import type { DecodedImage } from '../contract/image';
import type { Detection, Nets, RgbImage } from './backends/nets';
import type { Face } from './detect';
import { area, grow, type Box, type Pt } from './geometry';
import { marginCopy } from './pixels/pad';

export interface DetectOptions {
  /**
   * `cascade`: the tiny detector, then SSD only when it finds nothing (about a third of SSD's cost).
   * `ssd-first`: SSD, then the tiny detector when it finds nothing: SSD finds more of the small and turned faces
   * of group photos, where every face counts.
   */
  mode: 'cascade' | 'ssd-first';
  minScore?: number;
}

// Measured on the fixtures (bench/eval): 416 px finds every selfie-sized face at ~45 ms on wasm; 800 px finds
// the small portraits of cards photographed from afar (~170 ms), so it runs only when nothing else found a face.
const TINY_INPUT = 416;
export const TINY_SMALL_FACES_INPUT = 800;
const TINY_MIN_SCORE = 0.5;
const SSD_MIN_SCORE = 0.5;

function fromDetections(dets: readonly Detection[], detector: DetectorName): Face[] {
  return dets.map((d) => ({
    box: { x: d.box.x, y: d.box.y, w: d.box.width, h: d.box.height },
    score: d.score,
    detector,
  }));
}

// face-api's detectors, on the backend's networks (the tfjs backend runs our own fused forward passes: tiny
// detector ~2.4× and SSD ~1.3× faster on wasm than face-api's; test/nets/equivalence.test.ts holds them equal).
export async function runTiny(
  nets: Nets,
  image: RgbImage,
  minScore = TINY_MIN_SCORE,
  inputSize = TINY_INPUT,
): Promise<Face[]> {
  const dets = await nets.tinyFaceDetect(image, { inputSize, scoreThreshold: minScore });
  return fromDetections(dets, 'tiny');
}

export async function runSsd(nets: Nets, image: RgbImage, minScore = SSD_MIN_SCORE): Promise<Face[]> {
  const dets = await nets.ssdMobilenetv1Detect(image, { minConfidence: minScore, maxResults: 50 });
  return fromDetections(dets, 'ssd');
}

export async function locateFaces(nets: Nets, image: RgbImage, options: DetectOptions): Promise<Face[]> {
  if (options.mode === 'ssd-first') {
    const ssd = await runSsd(nets, image, options.minScore);
    return ssd.length > 0 ? ssd : runTiny(nets, image, options.minScore);
  }
  const tiny = await runTiny(nets, image, options.minScore);
  return tiny.length > 0 ? tiny : runSsd(nets, image, options.minScore);
}

/** Below the tiny detector's cut, down to this score, a candidate is a hint of a face (selfie.ts). */
export const TINY_HINT_SCORE = 0.25;

/**
 * locateFaces, and with the cascade at its default cut also the tiny detector's candidates down to TINY_HINT_SCORE
 * (image pixels), from the same pass: its NMS picks in decreasing score, so candidates under the cut never
 * suppress one above it, and the faces above the cut are exactly what a pass at the cut finds.
 */
export async function locateFacesWithHints(
  nets: Nets,
  image: RgbImage,
  options: DetectOptions,
): Promise<{ faces: Face[]; hints?: Face[] }> {
  if (options.mode !== 'cascade' || options.minScore !== undefined)
    return { faces: await locateFaces(nets, image, options) };
  const hints = await runTiny(nets, image, TINY_HINT_SCORE);
  const tiny = hints.filter((f) => f.score > TINY_MIN_SCORE);
  return { faces: tiny.length > 0 ? tiny : await runSsd(nets, image), hints };
}

/** Light grey: what lies beyond the image in margin copies and face regions (a studio-like background). */
export const OUTSIDE_FILL = 176;

// Detectors are trained on faces with context around them: a face filling the frame (a tight crop, a passport
// photo) is often missed. Retry on a small copy centred on a neutral margin (bench/eval: half the image side
// finds most, a full side the rest).
const RETRY_SIDE = 400;
const RETRY_MARGINS = [0.5, 1.0];

/** Where a detector input's pixels sit in the working copy: work = (x − offset) × scale. */
export interface Frame {
  scale: number;
  offset: number;
}

export function toWorkFaces(faces: Face[], frame: Frame): Face[] {
  const m = (v: number): number => (v - frame.offset) * frame.scale;
  return faces.map((f) => ({
    ...f,
    box: { x: m(f.box.x), y: m(f.box.y), w: f.box.w * frame.scale, h: f.box.h * frame.scale },
  }));
}

async function detectWithMargin(
  nets: Nets,
  detection: RgbImage,
  detectScale: number,
  margin: number,
  options: DetectOptions,
): Promise<Face[]> {
  const { width: w, height: h } = detection;
  const scale = Math.min(1, RETRY_SIDE / Math.max(h, w));
  const offset = Math.round(Math.max(h, w) * scale * margin);
  const padded = marginCopy(detection, scale, offset, OUTSIDE_FILL);
  return toWorkFaces(await locateFaces(nets, padded, options), { scale: detectScale / scale, offset });
}

// Below this long side the image already reaches the detectors at (nearly) full resolution.
const SMALL_FACES_MIN_SIDE = 600;

export const bySize = (faces: Face[]): Face[] => faces.sort((a, b) => area(b.box) - area(a.box));

// A detector box reaching past the border (with a little slack) means a tight crop: the detectors place such
// faces better when they see a margin around them.
const CONTEXT = 1.15;

function needsMargin(box: Box, image: DecodedImage): boolean {
  const g = grow(box, CONTEXT);
  return g.x < 0 || g.y < 0 || g.x + g.w > image.workWidth || g.y + g.h > image.workHeight;
}

/**
 * The faces of a decoded image, in working-copy pixels, from its detection copy: the pass `options` asks for, then
 * a finer pass for small faces, then margin copies for a tight crop. With the cascade at its default cut, also the
 * tiny detector's candidates down to TINY_HINT_SCORE (a selfie's second look reads them).
 */
export async function findFaces(
  nets: Nets,
  image: DecodedImage,
  detection: RgbImage,
  options: DetectOptions,
): Promise<{ faces: Face[]; hints?: Face[] }> {
  const identity: Frame = { scale: image.detectScale, offset: 0 };
  const first = await locateFacesWithHints(nets, detection, options);
  const hints = first.hints ? toWorkFaces(first.hints, identity) : undefined;
  const found = (faces: Face[]) => (hints ? { faces, hints } : { faces });
  let faces = toWorkFaces(first.faces, identity);
  // Small faces (a card photographed from afar): a finer pass of the tiny detector over the whole image.
  if (faces.length === 0 && Math.max(image.workWidth, image.workHeight) >= SMALL_FACES_MIN_SIDE)
    faces = toWorkFaces(await runTiny(nets, detection, undefined, TINY_SMALL_FACES_INPUT), identity);
  const main = bySize(faces)[0];
  if (main && !needsMargin(main.box, image)) return found(faces);
  for (const margin of RETRY_MARGINS) {
    const retried = await detectWithMargin(nets, detection, image.detectScale, margin, options);
    if (retried.length > 0) return found(retried);
  }
  return found(faces);
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
export async function faintPortraitFaces(
  nets: Nets,
  image: DecodedImage,
  options: DetectOptions,
): Promise<Face[]> {
  const { rgb, width, height } = image.detect;
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
    const found = await locateFaces(
      nets,
      {
        rgb: new Uint8Array(data.buffer, data.byteOffset, data.length),
        width: info.width,
        height: info.height,
      },
      options,
    );
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
    return bySize(toWorkFaces(upright, { scale: image.detectScale, offset: 0 }));
  }
  return [];
}
