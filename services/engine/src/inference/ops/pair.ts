// Verify and Compare from what each image yielded on its own (ImageEvidence). Pure and free of tfjs: a worker
// runs it after examining both images itself, and the main thread runs it when the pool examined the two images
// on two workers at once (src/scheduler/split.ts, through decidePair). Both paths answer the same, failures included.
import type { CompareResponse, DocumentData, Timings, VerifyResponse } from '@deepface/proto';
import { ageCheck } from '../age-consistency';
import type { EvidenceStage, ImageEvidence, PairRef, RoleFeatures } from '../../contract/evidence';
import { EngineFailure, type RoleRefusal } from '../../contract/failure';
import type { DocumentOptions } from '../../contract/document';
import type { LivenessOption } from '../../contract/liveness';
import { livenessResult } from '../liveness-decision';
import type { PairTask, Task, TaskOutcome } from '../../contract/tasks';
import { detectorNames } from '../about';
import { confidence, MAX_THRESHOLD, MIN_THRESHOLD, resemblance, THRESHOLD } from '../calibration';
import { modelInfo } from '../context';
import { documentData } from '../document/ocr/document-data';
import { assignRoles, roleEvidence } from '../document/roles';
import { euclidean } from '../geometry';
import { qualitySummary } from '../quality';
import type { QualityMode } from '../../contract/tasks';

const STAGE_KEYS = [
  'decode_ms',
  'detect_ms',
  'landmarks_ms',
  'descriptor_ms',
  'attributes_ms',
  'classify_ms',
  'document_ms',
  'quality_ms',
  'liveness_ms',
  'queue_ms',
  'total_ms',
] as const;

/** Stage times summed over both images (their work, whether it ran one after the other or side by side). */
function sumTimings(a: Timings, b: Timings): Timings {
  const sum: Timings = {};
  for (const key of STAGE_KEYS)
    sum[key] = Math.round((Number(a[key] ?? 0) + Number(b[key] ?? 0)) * 100) / 100;
  return sum;
}

function throwFirst(pair: readonly ImageEvidence[], stage: EvidenceStage): void {
  for (const e of pair) {
    if (e.failure?.stage === stage) throw EngineFailure.from(e.failure.error);
  }
}

/**
 * An image's examination as if it had been sent in the other slot (its failure then names that slot): evaluation
 * and tests examine each image once and decide every pair from it.
 */
export function evidenceAs(e: ImageEvidence, ref: PairRef): ImageEvidence {
  if (e.ref === ref) return e;
  if (!e.failure) return { ...e, ref };
  const error = e.failure.error.image ? { ...e.failure.error, image: ref } : e.failure.error;
  return { ...e, ref, failure: { ...e.failure, error } };
}

/** The image's described main face, or the image's own failure (none would be a bug). */
function describedFace(e: ImageEvidence): NonNullable<ImageEvidence['face']> {
  if (e.failure) throw EngineFailure.from(e.failure.error);
  if (!e.face) throw new Error(`evidence of ${e.ref} has neither a face nor a failure`);
  return e.face;
}

/** The threshold to verify at (the calibrated one by default); out of bounds is the caller's error. */
export function checkThreshold(threshold: number = THRESHOLD): number {
  if (!(threshold >= MIN_THRESHOLD && threshold <= MAX_THRESHOLD))
    throw new EngineFailure(
      'BAD_REQUEST',
      `threshold must be between ${MIN_THRESHOLD} and ${MAX_THRESHOLD}.`,
    );
  return threshold;
}

/** The response with its total time replaced by the wall time the pair really took. */
export function withTotal<R extends { timings?: Timings | null }>(response: R, ms: number): R {
  return { ...response, timings: { ...response.timings, total_ms: Math.round(ms * 100) / 100 } };
}

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

/**
 * KYC verification of img1 and img2 (in that order). Roles come from the images' content (document/roles.ts): a
 * pair is verified only when one image carries positive evidence of a document, and a swapped pair is accepted and
 * reported with `roles_swapped`. Checks, in the spec's order: both images readable; a face in both; one document
 * and one selfie; one clear face in the selfie; then the comparison.
 */
export function verifyPair(
  e1: ImageEvidence,
  e2: ImageEvidence,
  threshold = THRESHOLD,
  documentOptions?: DocumentOptions,
  qualityMode: QualityMode = 'require',
  liveness: LivenessOption = 'report',
): VerifyResponse {
  checkThreshold(threshold);
  throwFirst([e1, e2], 'decode');
  throwFirst([e1, e2], 'detect');
  const r1 = e1.roles;
  const r2 = e2.roles;
  if (!r1 || !r2) throw new Error('verify evidence without role features');
  const roles = assignRoles(r1.features, r2.features);
  const swapped = roles === 'swapped';
  // What each image showed, in every answer and in every refusal decided on roles.
  const evidence = (docIsImg1: boolean) => ({
    img1: roleEvidence(r1.features, docIsImg1 ? 'DOCUMENT' : 'SELFIE'),
    img2: roleEvidence(r2.features, docIsImg1 ? 'SELFIE' : 'DOCUMENT'),
  });
  if (roles === 'two-documents')
    throw new EngineFailure('SELFIE_REQUIRED', 'Both images look like identity documents.', undefined, {
      roles: both(r1.features, r2.features, 'DOCUMENT'),
    });
  if (roles === 'two-selfies')
    throw new EngineFailure('ID_REQUIRED', 'Neither image shows an identity document.', undefined, {
      roles: both(r1.features, r2.features, 'SELFIE'),
    });
  const [doc, selfie] = swapped ? [e2, e1] : [e1, e2];
  const clearFaces = (swapped ? r1 : r2).clearFaces;
  if (clearFaces === undefined) throw new Error(`the selfie (${selfie.ref}) has no clear-face count`);
  if (clearFaces > 1)
    throw new EngineFailure(
      'MULTIPLE_FACES',
      'Selfie image must contain exactly one clear face.',
      selfie.ref,
      { roles: evidence(!swapped) },
    );

  const docFace = describedFace(doc);
  const selfieFace = describedFace(selfie);
  // The quality gate, before matching: each face against the limits of its role (inference/quality.ts).
  const judged = (e: ImageEvidence) =>
    qualityMode === 'off' || !e.quality
      ? undefined
      : qualitySummary(e.quality, e === doc ? 'DOCUMENT' : 'SELFIE');
  const [q1, q2] = [judged(e1), judged(e2)];
  if (qualityMode === 'require')
    for (const [e, q] of [
      [e1, q1],
      [e2, q2],
    ] as const)
      if (q && !q.acceptable) {
        const issues = q.issues ?? [];
        throw new EngineFailure('LOW_QUALITY', lowQualityMessage(e === doc, issues), e.ref, {
          qualityIssues: issues,
        });
      }
  // Presentation attack: judged once the selfie is known to be one clear face, before the comparison.
  const live = liveness === 'off' ? undefined : livenessResult(selfie.presentation);
  if (liveness === 'require' && live?.decision === 'SPOOF')
    throw new EngineFailure(
      'LIVENESS_FAILED',
      'The selfie looks like a photo of a photo or of a screen, not a live person.',
      selfie.ref,
      { roles: evidence(!swapped) },
    );
  const distance = euclidean(docFace.descriptor, selfieFace.descriptor);
  const verified = distance <= threshold;
  const [f1, f2] = swapped ? [selfieFace, docFace] : [docFace, selfieFace];
  const shown = evidence(!swapped);
  return {
    verified,
    decision: verified ? 'PASSED' : 'FAILED',
    distance: round6(distance),
    threshold,
    confidence: confidence(distance, threshold),
    img1_area: f1.area,
    img2_area: f2.area,
    img1_role: shown.img1,
    img2_role: shown.img2,
    roles_swapped: swapped,
    model: modelInfo({ backend: e1.backend }, detectorNames([f1.detector, f2.detector])),
    timings: sumTimings(e1.timings, e2.timings),
    ...(q1 ? { img1_quality: q1 } : {}),
    ...(q2 ? { img2_quality: q2 } : {}),
    ...(documentOptions ? { document: withAgeCheck(doc, selfie, documentOptions) } : {}),
    ...(live ? { liveness: live } : {}),
  };
}

/** The document's data, with the selfie's estimated age judged against the document's where there are both. */
function withAgeCheck(doc: ImageEvidence, selfie: ImageEvidence, options: DocumentOptions): DocumentData {
  const data = documentData(doc.document ?? { status: 'absent' }, options);
  return data.age !== undefined && data.age !== null && selfie.estimatedAge !== undefined
    ? { ...data, age_check: ageCheck(data.age, selfie.estimatedAge) }
    : data;
}

/** The refusal's message: the role and the issues in words (ErrorDetail.quality_issues carries them for programs). */
export function lowQualityMessage(isDocument: boolean, issues: readonly string[]): string {
  const role = isDocument ? 'document portrait' : 'selfie';
  return `The ${role}'s face is not good enough to compare reliably: ${issues.join(', ')}.`;
}

/** Both images' evidence under one role (a pair refused as two documents or two selfies). */
function both(f1: RoleFeatures, f2: RoleFeatures, role: 'DOCUMENT' | 'SELFIE'): RoleRefusal {
  return { img1: roleEvidence(f1, role), img2: roleEvidence(f2, role) };
}

/** What each image of a pair is examined for: Verify's roles, its liveness and quality unless off, the age check. */
export function evidenceNeeds(
  task: PairTask,
): Pick<Extract<Task, { op: 'evidence' }>, 'roles' | 'liveness' | 'quality' | 'age'> {
  return task.op === 'verify'
    ? {
        roles: true,
        liveness: task.liveness !== 'off',
        quality: task.quality !== 'off',
        // The document's age is known only once it is read (maybe on the other worker): estimate whenever asked.
        age: task.document !== undefined,
      }
    : { roles: false, liveness: false, quality: false, age: false };
}

/** Look-alike: the main (largest) face of each image, on the calibrated similarity scale. */
export function comparePair(e1: ImageEvidence, e2: ImageEvidence): CompareResponse {
  throwFirst([e1, e2], 'decode');
  const f1 = describedFace(e1);
  const f2 = describedFace(e2);
  const distance = euclidean(f1.descriptor, f2.descriptor);
  const r = resemblance(distance);
  return {
    distance: round6(distance),
    similarity: r.similarity,
    label: r.label,
    same_person: r.same,
    threshold: THRESHOLD,
    img1_area: f1.area,
    img2_area: f2.area,
    model: modelInfo({ backend: e1.backend }, detectorNames([f1.detector, f2.detector])),
    timings: sumTimings(e1.timings, e2.timings),
  };
}

/**
 * A Verify or Compare decided from its two images' evidence, as the outcome a worker would give (a refusal is a
 * failure, never a throw): what the scheduler calls after running the two images on two workers.
 */
export function decidePair<T extends PairTask>(
  task: T,
  e1: ImageEvidence,
  e2: ImageEvidence,
): TaskOutcome<T['op']> {
  try {
    const value =
      task.op === 'verify'
        ? verifyPair(e1, e2, task.threshold, task.document, task.quality, task.liveness)
        : comparePair(e1, e2);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof EngineFailure) return { ok: false, error: error.toTaskFailure() };
    throw error;
  }
}
