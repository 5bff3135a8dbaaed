/** Thrown by Semaphore.run when every slot is taken and the queue is full. */
export class SemaphoreFullError extends Error {
  constructor() {
    super('semaphore full');
    this.name = 'SemaphoreFullError';
  }
}

/**
 * At most `max` tasks at once and at most `queueMax` waiting (first come, first served); beyond, `run` refuses at
 * once instead of letting a backlog grow.
 */
export class Semaphore {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly max: number,
    private readonly queueMax: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) {
      if (this.waiting.length >= this.queueMax) throw new SemaphoreFullError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      // The slot passes straight to the next in line (running stays the same), or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
