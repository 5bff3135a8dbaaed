// Analyze over gRPC with two workers: the worker that finds the faces gets a share port only when the other worker
// is idle too, and the scheduler runs its offer on the other worker only if that one is still idle when the offer
// comes (the fake worker offers one face's crops and says in its answer whether they ran elsewhere: "shared", or
// were declined: "own"). test/grpc/real-engine.test.ts holds a split Analyze equal to a whole one on real models.
import { command, IMAGE, ok, startEngine, type TestEngine, until } from '../support/harness';

const ACTIONS = ['AGE', 'GENDER', 'RACE', 'EMOTION'] as const;

describe('Analyze on two workers', () => {
  let engine: TestEngine;

  beforeAll(async () => {
    engine = await startEngine({ env: { ENGINE_WORKERS: '2', ENGINE_QUEUE_SIZE: '4' } });
  });
  afterAll(() => engine.stop());

  /** A Detect that holds one worker for 8 s (surely longer than what follows, even on a loaded machine). */
  async function holdOneWorker(): Promise<{ busy: Promise<unknown> }> {
    const before = engine.counters.ran();
    const busy = ok(engine.rpc.Detect({ image: command({ delayMs: 8000 }) }));
    // The pool counts the task busy when it dispatches it; the thread counts it when it starts, maybe later on a
    // loaded machine. Both must have happened, or the Detect's own count would land inside what is measured.
    await until(() => engine.pool.stats().busyWorkers === 1 && engine.counters.ran() === before + 1);
    return { busy }; // wrapped: an async function returning the promise would wait for it
  }

  it('runs the offered faces on the idle worker', async () => {
    const ran = engine.counters.ran();
    const completed = engine.pool.stats().completed;
    const r = await ok(engine.rpc.Analyze({ image: IMAGE, actions: [...ACTIONS] }));
    expect(engine.counters.ran() - ran).toBe(2);
    expect(engine.pool.stats().completed - completed).toBe(2);
    expect(r.faces[0]?.race?.dominant).toBe('shared');
    expect(r.faces[0]?.age?.age).toBe(31);
  });

  it('keeps the Analyze whole when only one worker is free', async () => {
    const { busy } = await holdOneWorker();
    const ran = engine.counters.ran();
    const r = await ok(engine.rpc.Analyze({ image: IMAGE, actions: [...ACTIONS] }));
    expect(engine.counters.ran() - ran).toBe(1);
    expect(r.faces[0]?.race).toBeNull(); // no share port: the fake offered nothing
    await busy;
  });

  it('declines the offer when the other worker took a call meanwhile', async () => {
    const ran = engine.counters.ran();
    // Both workers idle: the Analyze gets its port, and offers only after 3 s.
    const analyzed = ok(engine.rpc.Analyze({ image: command({ delayMs: 3000 }), actions: [...ACTIONS] }));
    await until(() => engine.pool.stats().busyWorkers === 1 && engine.counters.ran() === ran + 1);
    const busy = ok(engine.rpc.Detect({ image: command({ delayMs: 8000 }) }));
    await until(() => engine.pool.stats().busyWorkers === 2 && engine.counters.ran() === ran + 2);
    const r = await analyzed;
    expect(r.faces[0]?.race?.dominant).toBe('own');
    expect(engine.counters.ran() - ran).toBe(2); // the Analyze and the Detect: no race task
    await busy;
  });
});
