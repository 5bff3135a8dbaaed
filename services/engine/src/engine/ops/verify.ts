import type { ImageRef__Output, VerifyResponse } from '@deepface/proto';
import { confidence, MAX_THRESHOLD, MIN_THRESHOLD, THRESHOLD } from '../calibration';
import { modelInfo, type EngineContext } from '../context';
import { addLandmarks, detectorLabel, runSsd, runTiny, type Face } from '../detect';
import { documentScore, roleEvidence, roleFeatures, type RoleFeatures } from '../document/roles';
import { EngineFailure } from '../failure';
import { area, iou, type Box } from '../geometry';
import {
  detectFaces,
  facialArea,
  withFaceRegion,
  withPrepared,
  withPreparedImage,
  type Prepared,
} from '../pipeline';
import { addDescriptors, euclidean } from '../recognize';
import { Timer } from '../timer';

export interface VerifyInput {
  img1: Uint8Array;
  img2: Uint8Array;
  threshold?: number;
}

// A selfie's other faces count when they are confident and at least this fraction of the main face's height:
// smaller ones are people far behind the subject, not a second subject.
const CLEAR_FACE_MIN_SCORE = 0.5;
const CLEAR_FACE_MIN_RELATIVE_HEIGHT = 0.4;

export function clearFaces(faces: Face[]): Face[] {
  const main = faces[0];
  if (!main) return [];
  return faces.filter(
    (f) =>
      f === main ||
      (f.score >= CLEAR_FACE_MIN_SCORE && f.box.h >= CLEAR_FACE_MIN_RELATIVE_HEIGHT * main.box.h),
  );
}

// Both images must clearly look alike before the pair is refused: otherwise the more document-like image is the
// document (a selfie with a busy background and a blurred card photographed from afar can both sit near 0.5).
const SURE_DOCUMENT = 0.8;
const SURE_SELFIE = 0.2;

/** Roles from the two document scores, decided jointly (see README "How Verify tells a document from a selfie"). */
export function assignRoles(
  s1: number,
  s2: number,
): 'in-order' | 'swapped' | 'two-documents' | 'two-selfies' {
  if (Math.min(s1, s2) >= SURE_DOCUMENT) return 'two-documents';
  if (Math.max(s1, s2) <= SURE_SELFIE) return 'two-selfies';
  if (s1 === s2) return s1 >= 0.5 ? 'two-documents' : 'two-selfies';
  return s1 > s2 ? 'in-order' : 'swapped';
}

// The tiny detector can score a second, half-turned face below its 0.5 cut: below this it is no face at all.
const SECOND_FACE_HINT_SCORE = 0.25;

/**
 * Clear faces in a selfie. The cascade's tiny detector sometimes scores a second person under 0.5: a low-threshold
 * pass looks for such a hint of a second face of comparable size, and SSD (which finds them) then decides.
 */
async function clearFacesInSelfie(selfie: Prepared): Promise<number> {
  const clear = clearFaces(selfie.faces);
  const main = selfie.faces[0];
  if (clear.length > 1 || !main) return clear.length;
  const hints = (await detectFaces(selfie, (t) => runTiny(t, SECOND_FACE_HINT_SCORE))).filter(
    (f) => iou(f.box, main.box) < 0.3 && f.box.h >= CLEAR_FACE_MIN_RELATIVE_HEIGHT * main.box.h,
  );
  if (hints.length === 0) return clear.length;
  const ssd = (await detectFaces(selfie, (t) => runSsd(t))).sort((a, b) => area(b.box) - area(a.box));
  return Math.max(clear.length, clearFaces(ssd).length);
}

export async function describeMainFace(p: Prepared, timer: Timer, ref: ImageRef__Output): Promise<Face> {
  const main = p.faces[0];
  if (!main) throw new EngineFailure('NO_FACE', 'No clear face detected in one of the images.', ref);
  await withFaceRegion(p, [main], async (region, local) => {
    await timer.time('landmarks', () => addLandmarks(region, local));
    await timer.time('descriptor', () => addDescriptors(region, local));
  });
  if (!main.descriptor)
    throw new EngineFailure('NO_FACE', 'No clear face detected in one of the images.', ref);
  return main;
}

/**
 * KYC verification. Roles come from the images' content (text lines, MRZ, ghost portrait, face size), not from
 * their order: a swapped pair is accepted and reported with `roles_swapped`.
 * Checks, in the spec's order: a face in both images; one document and one selfie; one clear face in the selfie.
 */
export async function verify(ctx: EngineContext, input: VerifyInput): Promise<VerifyResponse> {
  const threshold = input.threshold ?? THRESHOLD;
  if (!(threshold >= MIN_THRESHOLD && threshold <= MAX_THRESHOLD))
    throw new EngineFailure(
      'BAD_REQUEST',
      `threshold must be between ${MIN_THRESHOLD} and ${MAX_THRESHOLD}.`,
    );
  const timer = new Timer();
  const images = [
    { bytes: input.img1, ref: 'IMG1' },
    { bytes: input.img2, ref: 'IMG2' },
  ] as const;
  return withPrepared(images, ctx.limits, timer, { mode: 'cascade' }, async (prepared) => {
    const [p1, p2] = prepared as [Prepared, Prepared];
    prepared.forEach((p, i) => {
      if (p.faces.length === 0)
        throw new EngineFailure('NO_FACE', 'No clear face detected in one of the images.', images[i]?.ref);
    });

    const [fe1, fe2] = await timer.time(
      'classify',
      () => [roleFeatures(p1.image, p1.faces), roleFeatures(p2.image, p2.faces)] as const,
    );
    const s1 = documentScore(fe1);
    const s2 = documentScore(fe2);
    const roles = assignRoles(s1, s2);
    if (roles === 'two-documents')
      throw new EngineFailure('SELFIE_REQUIRED', 'Both images look like identity documents.');
    if (roles === 'two-selfies')
      throw new EngineFailure('ID_REQUIRED', 'Neither image looks like an identity document.');
    const swapped = roles === 'swapped';
    const [doc, selfie] = swapped ? [p2, p1] : [p1, p2];
    const [docRef, selfieRef] = swapped ? (['IMG2', 'IMG1'] as const) : (['IMG1', 'IMG2'] as const);
    if ((await timer.time('detect', () => clearFacesInSelfie(selfie))) > 1)
      throw new EngineFailure(
        'MULTIPLE_FACES',
        'Selfie image must contain exactly one clear face.',
        selfieRef,
      );

    const docFace = await describeMainFace(doc, timer, docRef);
    const selfieFace = await describeMainFace(selfie, timer, selfieRef);
    const distance = euclidean(
      docFace.descriptor ?? new Float32Array(),
      selfieFace.descriptor ?? new Float32Array(),
    );
    const verified = distance <= threshold;
    const [f1, f2] = swapped ? [selfieFace, docFace] : [docFace, selfieFace];
    return {
      verified,
      decision: verified ? 'PASSED' : 'FAILED',
      distance: Math.round(distance * 1e6) / 1e6,
      threshold,
      confidence: confidence(distance, threshold),
      img1_area: facialArea(p1, f1),
      img2_area: facialArea(p2, f2),
      img1_role: roleEvidence(fe1, s1, swapped ? 'SELFIE' : 'DOCUMENT'),
      img2_role: roleEvidence(fe2, s2, swapped ? 'DOCUMENT' : 'SELFIE'),
      roles_swapped: swapped,
      model: modelInfo(ctx, detectorLabel([f1, f2])),
      timings: timer.timings(),
    };
  });
}

export interface Inspection {
  features: RoleFeatures;
  documentScore: number;
  clearFaces: number;
  /** Main face box in working-copy pixels, when there is one. */
  mainFace?: Box;
}

/** One image through verify's own first steps (detection and role evidence): for evaluation and support. */
export async function inspect(ctx: EngineContext, bytes: Uint8Array): Promise<Inspection> {
  const timer = new Timer();
  return withPreparedImage(bytes, ctx.limits, timer, { mode: 'cascade' }, async (prepared) => {
    const faces = prepared.faces;
    const features = roleFeatures(prepared.image, faces);
    return {
      features,
      documentScore: documentScore(features),
      clearFaces: await clearFacesInSelfie(prepared),
      mainFace: faces[0]?.box,
    };
  });
}
