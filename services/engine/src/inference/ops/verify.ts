import type { VerifyResponse } from '@deepface/proto';
import type { EngineContext } from '../context';
import { documentScore, documentSignals, type DocumentSignal } from '../document/roles';
import { documentFeatures } from './document-check';
import type { Box } from '../geometry';
import { withPreparedImage } from '../pipeline';
import { Timer } from '../timer';
import { pairEvidence } from './evidence';
import { checkThreshold, evidenceNeeds, verifyPair, withTotal } from './pair';
import { clearFacesInSelfie } from './selfie';
import type { RoleFeatures } from '../../contract/evidence';
import type { Task } from '../../contract/tasks';

/** The verify task without its tag: one definition of Verify's options (contract/tasks.ts). */
export type VerifyInput = Omit<Extract<Task, { op: 'verify' }>, 'op'>;

/** KYC verification of both images in this worker (ops/pair.ts decides; src/scheduler/split.ts runs it on two). */
export async function verify(ctx: EngineContext, input: VerifyInput): Promise<VerifyResponse> {
  const started = performance.now();
  const threshold = checkThreshold(input.threshold);
  const needs = evidenceNeeds({ op: 'verify', ...input });
  const [e1, e2] = await pairEvidence(ctx, [
    { image: input.img1, ref: 'IMG1', ...needs },
    { image: input.img2, ref: 'IMG2', ...needs },
  ]);
  return withTotal(
    verifyPair(e1, e2, threshold, input.document, input.quality, input.liveness),
    performance.now() - started,
  );
}

export interface Inspection {
  features: RoleFeatures;
  documentScore: number;
  /** The document evidence the image shows (none: it is never taken for a document). */
  signals: DocumentSignal[];
  clearFaces: number;
  /** Main face box in working-copy pixels, when there is one. */
  mainFace?: Box;
}

/** One image through verify's own first steps (detection and role evidence): for evaluation and support. */
export async function inspect(ctx: EngineContext, bytes: Uint8Array): Promise<Inspection> {
  const timer = new Timer();
  return withPreparedImage(ctx, bytes, timer, { mode: 'cascade' }, async (prepared) => {
    const faces = prepared.faces;
    const features = await documentFeatures(ctx, prepared);
    return {
      features,
      documentScore: documentScore(features),
      signals: documentSignals(features),
      clearFaces: await clearFacesInSelfie(prepared),
      mainFace: faces[0]?.box,
    };
  });
}
