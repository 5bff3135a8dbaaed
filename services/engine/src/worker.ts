// A worker thread's task handler: loads the backend and models once, then answers Tasks with TaskOutcomes.
// The pool's entry (src/scheduler/worker-entry.ts) awaits this module's default export before giving it work.
import { workerData } from 'node:worker_threads';
import { createEngine } from './inference/engine';
import type { Task, TaskOutcome, WorkerInit } from './contract/tasks';

async function boot(): Promise<(task: Task) => Promise<TaskOutcome>> {
  const engine = await createEngine(workerData as WorkerInit);
  return (task) => engine.run(task);
}

export default boot();
