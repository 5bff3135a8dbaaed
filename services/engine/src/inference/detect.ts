import type * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import type { DetectorName } from '../contract/evidence';
import { detectorNames } from './about';
import { mean, type Box, type Pt } from './geometry';
import type { Detection, Nets } from './backends/nets';

/** face-api declares its own copy of the tfjs types; at run time both are the same tfjs instance. */
type FaTensor3D = Parameters<typeof faceapi.extractFaceTensors>[0] & { rank: 3 };
export const asFaceApiTensor = (t: tf.Tensor3D): FaTensor3D => t as unknown as FaTensor3D;

export interface Face {
  /** Detector box in working-copy pixels. */
  box: Box;
  score: number;
  detector: DetectorName;
  landmarks?: Pt[];
  /** The subject's own eyes (the subject's left eye is on the image's right). */
  leftEye?: Pt;
  rightEye?: Pt;
  /** In-plane rotation of the eye line, radians (positive: clockwise in image coordinates). */
  roll?: number;
  descriptor?: Float32Array;
}

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
  image: tf.Tensor3D,
  minScore = TINY_MIN_SCORE,
  inputSize = TINY_INPUT,
): Promise<Face[]> {
  const dets = await nets.tinyFaceDetect(image, { inputSize, scoreThreshold: minScore });
  return fromDetections(dets, 'tiny');
}

export async function runSsd(nets: Nets, image: tf.Tensor3D, minScore = SSD_MIN_SCORE): Promise<Face[]> {
  const dets = await nets.ssdMobilenetv1Detect(image, { minConfidence: minScore, maxResults: 50 });
  return fromDetections(dets, 'ssd');
}

export async function locateFaces(nets: Nets, image: tf.Tensor3D, options: DetectOptions): Promise<Face[]> {
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
  image: tf.Tensor3D,
  options: DetectOptions,
): Promise<{ faces: Face[]; hints?: Face[] }> {
  if (options.mode !== 'cascade' || options.minScore !== undefined)
    return { faces: await locateFaces(nets, image, options) };
  const hints = await runTiny(nets, image, TINY_HINT_SCORE);
  const tiny = hints.filter((f) => f.score > TINY_MIN_SCORE);
  return { faces: tiny.length > 0 ? tiny : await runSsd(nets, image), hints };
}

/** 68 landmarks for every face, in working-copy pixels; one batched pass of the landmark net. */
export async function addLandmarks(nets: Nets, image: tf.Tensor3D, faces: Face[]): Promise<void> {
  if (faces.length === 0) return;
  const rects = faces.map((f) => new faceapi.Rect(f.box.x, f.box.y, f.box.w, f.box.h));
  const crops = await faceapi.extractFaceTensors(asFaceApiTensor(image), rects);
  try {
    if (crops.length !== faces.length) throw new Error('a face box lies outside the image');
    const points = await nets.landmarks(crops);
    points.forEach((cropPoints, i) => {
      const face = faces[i];
      if (!face) return;
      // face-api's FaceLandmarks68.shiftBy: the crop's top-left corner, as extractFaceTensors floored it.
      const x0 = Math.max(0, Math.floor(face.box.x));
      const y0 = Math.max(0, Math.floor(face.box.y));
      const points = cropPoints.map((p) => ({ x: p.x + x0, y: p.y + y0 }));
      face.landmarks = points;
      // Points 36-41 outline the eye on the image's left: the subject's right eye.
      face.rightEye = mean(points.slice(36, 42));
      face.leftEye = mean(points.slice(42, 48));
      face.roll = Math.atan2(face.leftEye.y - face.rightEye.y, face.leftEye.x - face.rightEye.x);
    });
  } finally {
    crops.forEach((c) => c.dispose());
  }
}

/** The detector(s) that really found these faces, for the response's model info. */
export function detectorLabel(faces: readonly Face[]): string {
  return detectorNames(faces.map((f) => f.detector));
}
