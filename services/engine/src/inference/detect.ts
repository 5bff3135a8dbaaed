import type { DetectorName } from '../contract/evidence';
import { detectorNames } from './about';
import { mean, type Box, type Pt } from './geometry';
import type { Nets } from './backends/nets';
import { faceInputBatch } from './pixels/face-input';
import type { RgbImage } from './pixels/rgb-image';

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

/** 68 landmarks for every face, in working-copy pixels; one batched pass of the landmark net. */
export async function addLandmarks(nets: Nets, image: RgbImage, faces: Face[]): Promise<void> {
  if (faces.length === 0) return;
  const { batch, crops } = faceInputBatch(
    image,
    faces.map((f) => f.box),
  );
  const points = await nets.landmarks(batch, crops);
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
}

/** The detector(s) that really found these faces, for the response's model info. */
export function detectorLabel(faces: readonly Face[]): string {
  return detectorNames(faces.map((f) => f.detector));
}
