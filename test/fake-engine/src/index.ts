export {
  FakeEngine,
  type Behaviour,
  type FakeEngineOptions,
  type Method,
  type Responses,
} from './fake-engine';
export * from './responses';

/** The process entry that serves a fake engine alone (see serve.ts). */
export const SERVE_MAIN = require.resolve('./serve');
