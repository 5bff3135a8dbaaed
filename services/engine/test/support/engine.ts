// One in-process engine per test file: real models (loading takes a few seconds) on the backend named by
// ENGINE_BACKEND, else `auto` (onnx when onnxruntime-node loads, as in production), so the same suite checks
// every backend: `ENGINE_BACKEND=wasm npx jest services/engine`.
import { createEngine, type Engine } from '../../src/inference/engine';
import { testBackend } from './backend';
import type { Task, TaskOutcome, TaskResults } from '../../src/contract/tasks';

let engine: Promise<Engine> | undefined;

export function testEngine(): Promise<Engine> {
  engine ??= createEngine({
    backend: testBackend(),
    // One core for the in-process engine: jest runs other test files on the other cores.
    intraOpThreads: 1,
    maxImagePixels: 40e6,
    workMaxSide: 1600,
    logLevel: 'warn',
  });
  return engine;
}

/** Runs a task and returns its value, failing the test with the engine's reason when it was refused. */
export async function ok<K extends Task['op']>(task: Task & { op: K }): Promise<TaskResults[K]> {
  const out = await (await testEngine()).run(task);
  if (!out.ok) throw new Error(`engine refused ${task.op}: ${out.error.reason}: ${out.error.message}`);
  return out.value;
}

/** Runs a task expected to be refused and returns the failure. */
export async function refused(task: Task): Promise<Extract<TaskOutcome, { ok: false }>['error']> {
  const out = await (await testEngine()).run(task);
  if (out.ok) throw new Error(`engine accepted ${task.op}, expected a refusal`);
  return out.error;
}
