import type { Executor } from '../../platform/db/rows';
import { toInt, toIntOrNull } from '../../platform/db/rows';
import type { JobItemType } from './job-input';

const JOBS = 'batch_jobs';
const ITEMS = 'batch_job_items';

export type JobStatus = 'accepting' | 'queued' | 'running' | 'completed';
export type ItemStatus = 'pending' | 'running' | 'succeeded' | 'failed';
export type WebhookStatus = 'pending' | 'delivered' | 'failed';

export interface JobRow {
  id: string;
  account_id: string;
  /** The API key that submitted the job (null for jobs from before it was recorded). */
  key_id?: string | null;
  status: JobStatus;
  total_items: number;
  webhook_url: string | null;
  webhook_secret: string | null;
  webhook_status: WebhookStatus | null;
  webhook_attempts: number;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
  expires_at: number;
}

export interface ItemRow {
  job_id: string;
  idx: number;
  type: JobItemType;
  source: 'url' | 'inline';
  input: string | null;
  status: ItemStatus;
  attempt: number;
  lease_until: number | null;
  http_status: number | null;
  result: string | null;
  charged_micros: number;
  updated_at: number;
}

export interface ItemOutcome {
  status: 'succeeded' | 'failed';
  httpStatus: number;
  body: Record<string, unknown>;
  chargedMicros: number;
}

export interface Progress {
  total: number;
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  chargedMicros: number;
}

function mapJob(row: Record<string, unknown>): JobRow {
  return {
    id: String(row.id),
    account_id: String(row.account_id),
    key_id: (row.key_id ?? null) as string | null,
    status: row.status as JobStatus,
    total_items: toInt(row.total_items),
    webhook_url: (row.webhook_url ?? null) as string | null,
    webhook_secret: (row.webhook_secret ?? null) as string | null,
    webhook_status: (row.webhook_status ?? null) as WebhookStatus | null,
    webhook_attempts: toInt(row.webhook_attempts),
    created_at: toInt(row.created_at),
    updated_at: toInt(row.updated_at),
    completed_at: toIntOrNull(row.completed_at),
    expires_at: toInt(row.expires_at),
  };
}

function mapItem(row: Record<string, unknown>): ItemRow {
  return {
    job_id: String(row.job_id),
    idx: toInt(row.idx),
    type: row.type as JobItemType,
    source: row.source as ItemRow['source'],
    input: (row.input ?? null) as string | null,
    status: row.status as ItemStatus,
    attempt: toInt(row.attempt),
    lease_until: toIntOrNull(row.lease_until),
    http_status: toIntOrNull(row.http_status),
    result: (row.result ?? null) as string | null,
    charged_micros: toInt(row.charged_micros),
    updated_at: toInt(row.updated_at),
  };
}

/** Thrown inside a settlement transaction when another worker claimed the item since: the charge rolls back. */
export class ItemLeaseLostError extends Error {
  constructor() {
    super('batch item claimed by another worker');
    this.name = 'ItemLeaseLostError';
  }
}

export class JobsRepository {
  async insertJob(q: Executor, job: JobRow, items: ItemRow[]): Promise<void> {
    await q(JOBS).insert(job);
    for (let i = 0; i < items.length; i += 200) await q(ITEMS).insert(items.slice(i, i + 200));
  }

  async findJob(q: Executor, id: string): Promise<JobRow | undefined> {
    const row = (await q(JOBS).where({ id }).first()) as Record<string, unknown> | undefined;
    return row ? mapJob(row) : undefined;
  }

  async items(q: Executor, jobId: string): Promise<ItemRow[]> {
    const rows = (await q(ITEMS).where({ job_id: jobId }).orderBy('idx')) as Record<string, unknown>[];
    return rows.map(mapItem);
  }

  async progress(q: Executor, jobId: string): Promise<Progress> {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- knex rows are untyped
    const rows = (await q(ITEMS)
      .where({ job_id: jobId })
      .select('status')
      .count({ n: '*' })
      .sum({ charged: 'charged_micros' })
      .groupBy('status')) as Array<{ status: ItemStatus; n: unknown; charged: unknown }>;
    const progress: Progress = {
      total: 0,
      pending: 0,
      running: 0,
      succeeded: 0,
      failed: 0,
      chargedMicros: 0,
    };
    for (const row of rows) {
      const n = toInt(row.n);
      progress[row.status] += n;
      progress.total += n;
      progress.chargedMicros += toInt(row.charged ?? 0);
    }
    return progress;
  }

  async setStatus(q: Executor, id: string, from: JobStatus[], to: JobStatus, now: number): Promise<boolean> {
    const affected = await q(JOBS)
      .where({ id })
      .whereIn('status', from)
      .update({ status: to, updated_at: now });
    return affected === 1;
  }

  async complete(q: Executor, id: string, now: number): Promise<boolean> {
    const affected = await q(JOBS)
      .where({ id })
      .whereNot('status', 'completed')
      .update({ status: 'completed', updated_at: now, completed_at: now });
    return affected === 1;
  }

  /**
   * Claims an item for one run: pending, or running under a lease that has expired (its worker died). Returns the
   * new attempt number, the fencing token the completion must present.
   */
  async claim(
    q: Executor,
    jobId: string,
    idx: number,
    now: number,
    leaseMs: number,
  ): Promise<number | undefined> {
    const affected = await q(ITEMS)
      .where({ job_id: jobId, idx })
      .andWhere((w) => {
        void w.where('status', 'pending').orWhere((r) => {
          void r.where('status', 'running').andWhere('lease_until', '<', now);
        });
      })
      .update({
        status: 'running',
        attempt: q.raw('attempt + 1'),
        lease_until: now + leaseMs,
        updated_at: now,
      });
    if (affected !== 1) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- knex rows are untyped
    const row = (await q(ITEMS).where({ job_id: jobId, idx }).first('attempt')) as { attempt: unknown };
    return toInt(row.attempt);
  }

  /** Records an item's outcome if `attempt` still holds it; else throws ItemLeaseLostError (rolling back a charge). */
  async finish(q: Executor, jobId: string, idx: number, attempt: number, outcome: ItemOutcome, now: number) {
    const affected = await q(ITEMS)
      .where({ job_id: jobId, idx, attempt, status: 'running' })
      .update({
        status: outcome.status,
        http_status: outcome.httpStatus,
        result: JSON.stringify(outcome.body),
        charged_micros: outcome.chargedMicros,
        // The URLs were needed to fetch the images; they are not kept beyond that.
        input: null,
        lease_until: null,
        updated_at: now,
      });
    if (affected !== 1) throw new ItemLeaseLostError();
    await q(JOBS).where({ id: jobId }).update({ updated_at: now });
  }

  /** Gives a claimed item back (a transient failure: it is retried later). */
  async unclaim(q: Executor, jobId: string, idx: number, attempt: number, now: number): Promise<void> {
    await q(ITEMS)
      .where({ job_id: jobId, idx, attempt, status: 'running' })
      .update({ status: 'pending', lease_until: null, updated_at: now });
  }

  /** Items not finished yet: the worker's to-do list. */
  async unfinished(q: Executor, jobId: string): Promise<ItemRow[]> {
    const rows = (await q(ITEMS)
      .where({ job_id: jobId })
      .whereIn('status', ['pending', 'running'])
      .orderBy('idx')) as Record<string, unknown>[];
    return rows.map(mapItem);
  }

  async setWebhook(q: Executor, id: string, status: WebhookStatus, attempts: number): Promise<void> {
    await q(JOBS).where({ id }).update({ webhook_status: status, webhook_attempts: attempts });
  }

  /** Jobs a worker should (again) be asked to run: queued or running without progress since `before`. */
  async stale(q: Executor, before: number, limit: number): Promise<JobRow[]> {
    const rows = (await q(JOBS)
      .whereIn('status', ['accepting', 'queued', 'running'])
      .andWhere('updated_at', '<', before)
      .orderBy('updated_at')
      .limit(limit)) as Record<string, unknown>[];
    return rows.map(mapJob);
  }

  /** Completed jobs whose webhook was never handed to the queue (a worker died in between). */
  async webhooksPending(q: Executor, completedBefore: number, limit: number): Promise<JobRow[]> {
    const rows = (await q(JOBS)
      .where({ status: 'completed', webhook_status: 'pending', webhook_attempts: 0 })
      .andWhere('completed_at', '<', completedBefore)
      .limit(limit)) as Record<string, unknown>[];
    return rows.map(mapJob);
  }

  /** Deletes expired jobs and their items; returns how many jobs went. */
  async purgeExpired(q: Executor, now: number, limit = 500): Promise<number> {
    const ids =
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- knex rows are untyped
      ((await q(JOBS).where('expires_at', '<', now).limit(limit).select('id')) as Array<{ id: string }>).map(
        (r) => r.id,
      );
    if (ids.length === 0) return 0;
    await q(ITEMS).whereIn('job_id', ids).delete();
    await q(JOBS).whereIn('id', ids).delete();
    return ids.length;
  }
}
