// One in-process engine per test file: real models (loading takes a few seconds) on the backend named by
// ENGINE_BACKEND, else `auto` (onnx when onnxruntime-node loads, as in production), so the same suite checks
// every backend: `ENGINE_BACKEND=wasm npx jest services/engine`. A file may also open engines on named backends
// (engineOn), one per backend, to run the same checks on each (test/behaviour/).
import { createEngine, type Engine } from '../../src/inference/engine';
import { testBackend } from './backend';
import type { BackendChoice } from '../../src/contract/backend';
import type { Task, TaskOutcome, TaskResults } from '../../src/contract/tasks';

const engines = new Map<BackendChoice, Promise<Engine>>();

/** The engine on `backend`, loaded once per test file. */
export function engineOn(backend: BackendChoice): Promise<Engine> {
  let engine = engines.get(backend);
  if (!engine) {
    engine = createEngine({
      backend,
      // One core for the in-process engine: jest runs other test files on the other cores.
      intraOpThreads: 1,
      maxImagePixels: 40e6,
      workMaxSide: 1600,
      logLevel: 'warn',
    });
    engines.set(backend, engine);
  }
  return engine;
}

export function testEngine(): Promise<Engine> {
  return engineOn(testBackend());
}

/** Runs a task and returns its value, failing the test with the engine's reason when it was refused. */
export async function ok<K extends Task['op']>(
  task: Task & { op: K },
  engine: Promise<Engine> = testEngine(),
): Promise<TaskResults[K]> {
  const out = await (await engine).run(task);
  if (!out.ok) throw new Error(`engine refused ${task.op}: ${out.error.reason}: ${out.error.message}`);
  return out.value;
}

/** Runs a task expected to be refused and returns the failure. */
export async function refused(
  task: Task,
  engine: Promise<Engine> = testEngine(),
): Promise<Extract<TaskOutcome, { ok: false }>['error']> {
  const out = await (await engine).run(task);
  if (out.ok) throw new Error(`engine accepted ${task.op}, expected a refusal`);
  return out.error;
}
