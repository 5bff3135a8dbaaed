import { Semaphore, SemaphoreFullError } from './semaphore';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('Semaphore', () => {
  it('runs at most `max` tasks at once, queues `queueMax`, refuses beyond and frees slots on failure', async () => {
    const semaphore = new Semaphore(2, 1);
    const gates = [deferred(), deferred(), deferred()];
    let active = 0;
    let peak = 0;
    const task = (i: number) => async () => {
      active++;
      peak = Math.max(peak, active);
      await gates[i]!.promise;
      active--;
      if (i === 0) throw new Error('boom');
      return i;
    };
    const runs = [0, 1, 2].map((i) => semaphore.run(task(i)));
    await expect(semaphore.run(task(2))).rejects.toBeInstanceOf(SemaphoreFullError);
    gates.forEach((g) => g.resolve());
    const settled = await Promise.allSettled(runs);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(peak).toBe(2);
    // Every slot came back: two more run at once.
    await expect(Promise.all([semaphore.run(async () => 1), semaphore.run(async () => 2)])).resolves.toEqual([
      1, 2,
    ]);
  });
});
