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
} from './engine/document/roles';
export { evidenceAs, verifyPair } from './engine/ops/pair';
export type { ImageEvidence, PairRef, RoleFeatures } from './contract/evidence';
export type { Task, TaskOutcome, WorkerInit } from './contract/tasks';
