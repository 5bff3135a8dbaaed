// Tasks waiting for a worker, scheduled fairly between tenants (the gateway's opaque per-account keys): a free
// worker goes to the tenant running the fewest tasks, ties to the one served least recently, FIFO within a
// tenant. One account flooding the engine thus delays another's task by at most the task a worker is finishing,
// instead of by its whole backlog. Unnamed callers share the tenant "".

interface Tenant<T> {
  waiting: T[];
  running: number;
  /** Sequence number of this tenant's last start (0: none yet), for ties. */
  lastServed: number;
}

export class FairQueue<T> {
  private readonly tenants = new Map<string, Tenant<T>>();
  private waitingCount = 0;
  private sequence = 0;

  get length(): number {
    return this.waitingCount;
  }

  push(tenant: string, item: T): void {
    this.tenant(tenant).waiting.push(item);
    this.waitingCount++;
  }

  /** The next task to run, taken off the queue (see the rule above); undefined when nothing waits. */
  shift(): { tenant: string; item: T } | undefined {
    let best: [string, Tenant<T>] | undefined;
    for (const entry of this.tenants) {
      const t = entry[1];
      if (t.waiting.length === 0) continue;
      const b = best?.[1];
      if (!b || t.running < b.running || (t.running === b.running && t.lastServed < b.lastServed))
        best = entry;
    }
    if (!best) return undefined;
    const item = best[1].waiting.shift()!;
    this.waitingCount--;
    return { tenant: best[0], item };
  }

  /** A task of `tenant` starts on a worker (taken from the queue or never queued). */
  started(tenant: string): void {
    const t = this.tenant(tenant);
    t.running++;
    t.lastServed = ++this.sequence;
  }

  /** A task of `tenant` that started has ended. */
  finished(tenant: string): void {
    const t = this.tenants.get(tenant);
    if (!t) return;
    t.running = Math.max(0, t.running - 1);
    this.forgetIdle(tenant, t);
  }

  /** Takes a waiting task off the queue (its caller gave up); false when it was not waiting. */
  remove(tenant: string, item: T): boolean {
    const t = this.tenants.get(tenant);
    const index = t ? t.waiting.indexOf(item) : -1;
    if (!t || index < 0) return false;
    t.waiting.splice(index, 1);
    this.waitingCount--;
    this.forgetIdle(tenant, t);
    return true;
  }

  /**
   * For a full queue: the newest waiting task of the tenant holding the most, when handing its place to
   * `tenant` leaves the queue more even (that tenant then holds fewer than the other did); else undefined.
   */
  evictFor(tenant: string): T | undefined {
    const own = this.tenants.get(tenant)?.waiting.length ?? 0;
    let largest: [string, Tenant<T>] | undefined;
    for (const entry of this.tenants) {
      if (!largest || entry[1].waiting.length > largest[1].waiting.length) largest = entry;
    }
    if (!largest || largest[0] === tenant || largest[1].waiting.length < own + 2) return undefined;
    const item = largest[1].waiting.pop()!;
    this.waitingCount--;
    this.forgetIdle(largest[0], largest[1]);
    return item;
  }

  /** Every waiting task, in no particular order, leaving the queue empty (shutdown). */
  drain(): T[] {
    const all: T[] = [];
    for (const [name, t] of this.tenants) {
      all.push(...t.waiting.splice(0));
      this.forgetIdle(name, t);
    }
    this.waitingCount = 0;
    return all;
  }

  private tenant(name: string): Tenant<T> {
    let t = this.tenants.get(name);
    if (!t) {
      t = { waiting: [], running: 0, lastServed: 0 };
      this.tenants.set(name, t);
    }
    return t;
  }

  /** Tenants with nothing waiting or running are dropped: the map never outgrows the work in the engine. */
  private forgetIdle(name: string, t: Tenant<T>): void {
    if (t.waiting.length === 0 && t.running === 0) this.tenants.delete(name);
  }
}
