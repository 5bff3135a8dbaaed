import type { VerifyResponse } from '@deepface/proto';
import { confidence, MAX_THRESHOLD, MIN_THRESHOLD, THRESHOLD } from '../calibration';
import { modelInfo, type EngineContext } from '../context';
import { detectorLabel } from '../detect';
import { assignRoles, documentScore, roleEvidence, roleFeatures, type RoleFeatures } from '../document/roles';
import { EngineFailure } from '../failure';
import type { Box } from '../geometry';
import { facialArea, withPrepared, withPreparedImage, type Prepared } from '../pipeline';
import { euclidean } from '../recognize';
import { describeMainFace } from './main-face';
import { clearFacesInSelfie } from './selfie';
import { Timer } from '../timer';

export interface VerifyInput {
  img1: Uint8Array;
  img2: Uint8Array;
  threshold?: number;
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
