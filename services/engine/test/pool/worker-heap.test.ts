import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { configureWorkerHeaps } from '../../src/scheduler/worker-heap';

// A worker shaped like an inference thread: a small set of live objects that turns over slowly (promoted, then
// dropped) and large short-lived buffers. Answers how many full (major) collections it ran.
const WORKLOAD = `
const { parentPort } = require('node:worker_threads');
const { PerformanceObserver, constants } = require('node:perf_hooks');
let major = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (entry.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) major++;
});
observer.observe({ entryTypes: ['gc'] });
const live = [];
for (let round = 0; round < 300; round++) {
  live.push(new Array(20000).fill({ round }));
  if (live.length > 20) live.shift();
  new Float32Array(2e6)[0] = round;
}
setTimeout(() => parentPort.postMessage(major), 50);
`;

function majorCollections(): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKLOAD, { eval: true });
    worker.once('message', (count: number) => {
      resolve(count);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe('configureWorkerHeaps', () => {
  // The flag is process-wide for isolates created later, and every WorkerPool sets it: each test starts from V8's
  // default, and leaves it for the tests after.
  const unset = () => setFlagsFromString('--initial-old-space-size=0');
  beforeEach(unset);
  afterEach(unset);

  it('spares a worker created afterwards most of its full collections', async () => {
    const before = await majorCollections();
    configureWorkerHeaps([]);
    const after = await majorCollections();
    expect(before).toBeGreaterThanOrEqual(8);
    expect(after).toBeLessThanOrEqual(before / 4);
  });

  it("leaves an operator's own --initial-old-space-size alone", async () => {
    const before = await majorCollections();
    configureWorkerHeaps(['--initial-old-space-size=8']);
    const after = await majorCollections();
    expect(after).toBeGreaterThan(before / 2);
  });
});
