import type { Face } from './detect';
import type { Nets, PixelBatch } from './backends/nets';
import { mean, type Pt } from './geometry';
import { projectiveBatch, type Projective } from './pixels/projective';
import type { RgbImage } from './pixels/rgb-image';

export { euclidean } from './geometry';

const CHIP = 150; // FaceRecognitionNet's input size
// dlib's alignment constants (as face-api's alignDlib): the eyes-mouth centroid sits at (0.5, 0.43) of the chip,
// whose side is the mean eye-to-mouth distance / 0.45.
const REL_X = 0.5;
const REL_Y = 0.43;
const REL_SCALE = 0.45;

export interface ChipGeometry {
  /** Centroid of the eye and mouth centres. */
  ref: Pt;
  /** Chip side in working-copy pixels. */
  size: number;
  /** Eye-line angle, radians. */
  roll: number;
}

export function chipGeometry(face: Face): ChipGeometry | undefined {
  const lm = face.landmarks;
  if (!lm || !face.leftEye || !face.rightEye) return undefined;
  const mouth = mean(lm.slice(48, 68));
  const dist = (p: Pt): number => Math.hypot(mouth.x - p.x, mouth.y - p.y);
  const size = (dist(face.leftEye) + dist(face.rightEye)) / 2 / REL_SCALE;
  return { ref: mean([face.rightEye, face.leftEye, mouth]), size, roll: face.roll ?? 0 };
}

/**
 * Projective transform (tf.image.transform's 8 numbers) mapping chip pixels to working-copy pixels: a similarity
 * that puts the eye line level, so faces on a tilted card or selfie are compared upright.
 */
function chipTransform(g: ChipGeometry, rotate: boolean): Projective {
  const s = g.size / CHIP;
  const c = rotate ? Math.cos(g.roll) : 1;
  const n = rotate ? Math.sin(g.roll) : 0;
  const ox = CHIP * REL_X;
  const oy = CHIP * REL_Y;
  return [
    s * c,
    -s * n,
    g.ref.x - s * c * ox + s * n * oy,
    s * n,
    s * c,
    g.ref.y - s * n * ox - s * c * oy,
    0,
    0,
  ];
}

/**
 * Aligned 150×150 chips, one per face (float32, 0-255): tf.image.transform's bilinear read. Outside the image:
 * black, as face-api pads its crops (measured best of constant/nearest/reflect).
 */
export function alignedChips(image: RgbImage, geometries: ChipGeometry[], rotate: boolean): PixelBatch {
  return projectiveBatch(
    image,
    geometries.map((g) => chipTransform(g, rotate)),
    CHIP,
  );
}

/** 128-d descriptors for faces that have landmarks; faces without them are left without a descriptor. */
export async function addDescriptors(
  nets: Nets,
  image: RgbImage,
  faces: Face[],
  rotate = true,
): Promise<void> {
  const targets = faces.flatMap((f) => {
    const g = chipGeometry(f);
    return g ? [{ face: f, g }] : [];
  });
  if (targets.length === 0) return;
  const chips = alignedChips(
    image,
    targets.map((t) => t.g),
    rotate,
  );
  const descriptors = await nets.descriptors(chips);
  targets.forEach((t, i) => {
    const d = descriptors[i];
    if (d) t.face.descriptor = d;
  });
}
