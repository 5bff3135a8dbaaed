// Request checks done on the main thread before a task is queued: cheap, and they keep malformed work off the
// workers. Each returns the task to run or the failure to answer with.
import type {
  Action__Output,
  AnalyzeRequest__Output,
  CompareRequest__Output,
  DetectRequest__Output,
  ImageRef__Output,
  QualityMode__Output,
  ReadDocumentRequest__Output,
  RepresentRequest__Output,
  VerifyRequest__Output,
} from '@deepface/proto';
import type { QualityMode as TaskQualityMode, Task } from '../../contract/tasks';
import { MAX_THRESHOLD, MIN_THRESHOLD } from './limits';
import { parseDay, type DocumentOptions } from '../../contract/document';
import type { TaskFailure } from '../../contract/failure';
import type { LivenessOption } from '../../contract/liveness';

export type Checked<T extends Task> = { ok: true; task: T } | { ok: false; error: TaskFailure };

export interface RequestLimits {
  maxImageBytes: number;
}

const ACTIONS: ReadonlySet<unknown> = new Set<Action__Output>(['AGE', 'GENDER', 'RACE', 'EMOTION']);

function isAction(value: unknown): value is Exclude<Action__Output, 'ACTION_UNSPECIFIED'> {
  return ACTIONS.has(value);
}

const bad = (message: string, image?: ImageRef__Output): { ok: false; error: TaskFailure } => ({
  ok: false,
  error: image ? { reason: 'BAD_REQUEST', message, image } : { reason: 'BAD_REQUEST', message },
});

/**
 * The problem with one image's bytes, if any; `name` is the request field, `image` the ErrorDetail ref (IMG1 for
 * the single image of Analyze, Detect and Represent, as the workers report it).
 */
function imageProblem(
  bytes: Uint8Array | undefined,
  name: string,
  limits: RequestLimits,
  image: ImageRef__Output,
): TaskFailure | undefined {
  if (!bytes || bytes.byteLength === 0) return { reason: 'BAD_REQUEST', message: `${name} is empty`, image };
  if (bytes.byteLength > limits.maxImageBytes) {
    return {
      reason: 'IMAGE_TOO_LARGE',
      message: `${name} is ${bytes.byteLength} bytes; the limit is ${limits.maxImageBytes}`,
      image,
    };
  }
  return undefined;
}

function pair(req: { img1?: Uint8Array; img2?: Uint8Array }, limits: RequestLimits): TaskFailure | undefined {
  return imageProblem(req.img1, 'img1', limits, 'IMG1') ?? imageProblem(req.img2, 'img2', limits, 'IMG2');
}

/** The gate is on unless the caller turns it down: a refused pair costs nothing, a wrong match does. */
const QUALITY_MODES: Record<QualityMode__Output, TaskQualityMode> = {
  QUALITY_MODE_UNSPECIFIED: 'require',
  QUALITY_REQUIRE: 'require',
  QUALITY_REPORT: 'report',
  QUALITY_OFF: 'off',
};

// An unknown enum number decodes as a number: it has no option and is refused.
const LIVENESS_OPTIONS: Readonly<Record<string, LivenessOption>> = {
  LIVENESS_MODE_UNSPECIFIED: 'report',
  LIVENESS_OFF: 'off',
  LIVENESS_REPORT: 'report',
  LIVENESS_REQUIRE: 'require',
};

const AS_OF_MESSAGE = 'as_of must be a date written YYYY-MM-DD';

/** Expiry and age are judged on the caller's day (its date, not the engine's clock), today when none is given. */
function documentOptions(req: { document_fields: boolean; as_of: string }): DocumentOptions | undefined {
  const asOf = parseDay(req.as_of);
  return asOf ? { fields: req.document_fields === true, asOf } : undefined;
}

export function checkVerify(
  req: VerifyRequest__Output,
  limits: RequestLimits,
): Checked<Extract<Task, { op: 'verify' }>> {
  const problem = pair(req, limits);
  if (problem) return { ok: false, error: problem };
  const document = documentOptions(req);
  if (!document) return bad(AS_OF_MESSAGE);
  const quality = QUALITY_MODES[req.quality];
  const liveness = LIVENESS_OPTIONS[String(req.liveness ?? 'LIVENESS_MODE_UNSPECIFIED')];
  if (!liveness) return bad(`unknown liveness mode ${String(req.liveness)}`);
  const { threshold } = req;
  if (threshold !== undefined && threshold !== null) {
    if (!Number.isFinite(threshold) || threshold < MIN_THRESHOLD || threshold > MAX_THRESHOLD) {
      return bad(`threshold must be between ${MIN_THRESHOLD} and ${MAX_THRESHOLD}`);
    }
    return {
      ok: true,
      task: { op: 'verify', img1: req.img1, img2: req.img2, threshold, document, quality, liveness },
    };
  }
  return { ok: true, task: { op: 'verify', img1: req.img1, img2: req.img2, document, quality, liveness } };
}

export function checkCompare(
  req: CompareRequest__Output,
  limits: RequestLimits,
): Checked<Extract<Task, { op: 'compare' }>> {
  const problem = pair(req, limits);
  if (problem) return { ok: false, error: problem };
  return { ok: true, task: { op: 'compare', img1: req.img1, img2: req.img2 } };
}

export function checkAnalyze(
  req: AnalyzeRequest__Output,
  limits: RequestLimits,
): Checked<Extract<Task, { op: 'analyze' }>> {
  const problem = imageProblem(req.image, 'image', limits, 'IMG1');
  if (problem) return { ok: false, error: problem };
  // Repeated enums decode to names; an unknown number stays a number, so each value is checked.
  const actions: Action__Output[] = [];
  for (const action of req.actions ?? []) {
    if (!isAction(action)) return bad(`unknown or unspecified action ${String(action)}`);
    if (!actions.includes(action)) actions.push(action);
  }
  if (actions.length === 0) return bad('actions must name at least one of AGE, GENDER, RACE, EMOTION');
  return { ok: true, task: { op: 'analyze', image: req.image, actions } };
}

export function checkDetect(
  req: DetectRequest__Output,
  limits: RequestLimits,
): Checked<Extract<Task, { op: 'detect' }>> {
  const problem = imageProblem(req.image, 'image', limits, 'IMG1');
  if (problem) return { ok: false, error: problem };
  return { ok: true, task: { op: 'detect', image: req.image, skipLandmarks: req.skip_landmarks === true } };
}

export function checkRepresent(
  req: RepresentRequest__Output,
  limits: RequestLimits,
): Checked<Extract<Task, { op: 'represent' }>> {
  const problem = imageProblem(req.image, 'image', limits, 'IMG1');
  if (problem) return { ok: false, error: problem };
  return { ok: true, task: { op: 'represent', image: req.image, allFaces: req.all_faces === true } };
}

export function checkReadDocument(
  req: ReadDocumentRequest__Output,
  limits: RequestLimits,
): Checked<Extract<Task, { op: 'readDocument' }>> {
  const problem = imageProblem(req.image, 'image', limits, 'IMG1');
  if (problem) return { ok: false, error: problem };
  const document = documentOptions(req);
  if (!document) return bad(AS_OF_MESSAGE);
  return { ok: true, task: { op: 'readDocument', image: req.image, document } };
}
