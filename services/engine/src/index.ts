// In-process use of the engine (benchmarks, evaluation): the same code the worker threads run.
export { createEngine, type Engine } from './inference/engine';
export * as calibration from './inference/calibration';
export { EMOTIONS } from './inference/attributes';
export {
  assignRoles,
  documentScore,
  documentSignals,
  isDocument,
  roleFeatures,
  type DocumentSignal,
} from './inference/document/roles';
export { evidenceAs, verifyPair } from './inference/ops/pair';
export {
  DOCUMENT_LIMITS,
  SELFIE_LIMITS,
  limitsFor,
  qualityIssues,
  qualitySummary,
  type QualityLimits,
} from './inference/quality';
export { livenessResult, LIVENESS_THRESHOLD } from './inference/liveness-decision';
export type { PresentationScores } from './contract/liveness';
export type { FaceMeasures, ImageEvidence, PairRef, RoleFeatures } from './contract/evidence';
export type { Task, TaskOutcome, WorkerInit } from './contract/tasks';
export { decodeImage } from './inference/image/decode';
export { decodedEvidence } from './inference/ops/evidence';
export type { DecodedImage } from './contract/image';
export { readDocumentMrz, type MrzOutcome } from './inference/document/ocr/document-mrz';
export { checkMrz, type MrzReading } from './inference/document/ocr/read-mrz';
export { ageMargin, FALSE_FLAG_RATE, PUBLISHED_MAE } from './inference/age-consistency';
