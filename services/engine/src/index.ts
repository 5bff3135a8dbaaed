// In-process use of the engine (benchmarks, evaluation): the same code the worker threads run.
export { createEngine, type Engine } from './engine/engine';
export * as calibration from './engine/calibration';
export { EMOTIONS } from './engine/attributes';
export {
  assignRoles,
  documentScore,
  documentSignals,
  isDocument,
  roleFeatures,
  type DocumentSignal,
  type RoleFeatures,
} from './engine/document/roles';
export { evidenceAs, verifyPair, type ImageEvidence, type PairRef } from './engine/ops/pair';
export type { Task, TaskOutcome, WorkerInit } from './worker/tasks';
export { decodeImage, type DecodedImage } from './image/decode';
export { readDocumentMrz, type MrzOutcome } from './engine/document/ocr/document-mrz';
export { checkMrz, type MrzReading } from './engine/document/ocr/read-mrz';
