// In-process use of the engine (benchmarks, evaluation): the same code the worker threads run.
export { createEngine, type Engine } from './engine/engine';
export * as calibration from './engine/calibration';
export { EMOTIONS } from './engine/attributes';
export {
  documentScore,
  roleFeatures,
  roleVector,
  ROLE_WEIGHTS,
  type RoleFeatures,
} from './engine/document/roles';
export type { Task, TaskOutcome, WorkerInit } from './worker/tasks';
