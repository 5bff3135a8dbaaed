import { createHash } from 'node:crypto';
import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/connection';
import { withTransaction } from '../../platform/db/transaction';
import {
  type AppError,
  CatalogueError,
  InvalidInputError,
  NotFoundError,
  ServiceUnavailableError,
} from '../../platform/errors/app-error';
import { randomBase62 } from '../../platform/lib/ids';
import type { Logger } from '../../platform/logger';
import type { GatewayMetrics } from '../../platform/metrics/gateway-metrics';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { FaceService } from '../face/face.service';
import type { MeteringService, RequestContext } from '../billing/metering.service';
import { isUrlItem, type JobItemInput, parseStoredInput, storedInput } from './job-input';
import { type JobView, presentJob } from './jobs.presenter';
import type { ItemRow, JobRow, JobsRepository } from './jobs.repository';
import { ItemRunner } from './item-runner';
import type { JobQueue } from './queue';
import { checkWebhookUrl, newWebhookSecret, SIGNATURE_HEADER, type WebhookSender } from './webhook';

export interface JobsDeps {
  db: Db;
  repo: JobsRepository;
  face: FaceService;
  /** Refuses (402) a submission whose account cannot pay for one item. */
  metering: MeteringService;
  config: Pick<Config, 'jobs' | 'webhooks' | 'images' | 'engine' | 'billing'>;
  logger: Logger;
  queue?: JobQueue;
  metrics?: GatewayMetrics;
  /** The account's rate limit: the worker's URL items draw on it (ItemRunner). */
  accountLimiter?: RateLimiterAbstract;
  now?: () => number;
}

export interface Submission {
  items: JobItemInput[];
  webhookUrl?: string;
  /** The request's Idempotency-Key: a retried submission resumes the same job instead of starting another. */
  idempotencyKey?: string;
}

/** Thrown by process() when the worker is stopping: the job goes back to the queue for another worker. */
export class WorkerStoppingError extends Error {}

/** Thrown by process() when items failed transiently and the job should run again after a backoff. */
export class RetryLaterError extends Error {}

/**
 * Thrown by process() when the account's rate limit has no point left for its URL items: the job goes back to
 * the queue until the window resets, without spending an attempt (and without holding a worker meanwhile).
 */
export class ThrottledError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`the account's rate limit is used up for ${retryAfterMs} ms`);
  }
}

const INTERRUPTED = () =>
  new ServiceUnavailableError(
    'The submission was interrupted before this inline item ran, and its image was not kept. Nothing was charged. Submit it again.',
  );

/**
 * Batch jobs. Where images live — never in Redis, never in the database:
 * - URL items are stored as their URLs (cleared once done) and run by a BullMQ worker, which downloads the images
 *   when it runs them (the same SSRF-safe fetcher as the synchronous endpoints);
 * - inline items (base64 or data URIs) run during the submission request, while it holds their bytes in memory;
 *   only their results are stored. A transient failure is therefore final for them (resubmit), and if the
 *   gateway dies mid-submission, the ones not run yet end as failed and uncharged.
 * BullMQ messages carry a job id and nothing else.
 */
export class JobsService {
  private readonly now: () => number;
  readonly runner: ItemRunner;

  constructor(private readonly deps: JobsDeps) {
    this.now = deps.now ?? Date.now;
    this.runner = new ItemRunner(deps);
  }

  get enabled(): boolean {
    return this.deps.queue !== undefined;
  }

  /** The accepted job (the route answers it with 202 and its Location). */
  async submit(ctx: RequestContext, submission: Submission): Promise<JobView> {
    const { db, repo, config, queue } = this.deps;
    if (!queue) {
      throw new CatalogueError('jobs_not_enabled');
    }
    const inline = submission.items.filter((item) => !isUrlItem(item)).length;
    if (inline > config.jobs.maxInlineItems) {
      throw new InvalidInputError(
        `At most ${config.jobs.maxInlineItems} items may carry inline (base64) images; send the others as URLs.`,
      );
    }
    if (submission.webhookUrl !== undefined && !checkWebhookUrl(submission.webhookUrl, config)) {
      throw new InvalidInputError('webhook_url must be a public http(s) URL.');
    }
    // 402 now when the balance cannot cover even one item (the cheapest): nothing is stored, queued or fetched.
    // Each item is then checked again before its downloads, and held before its engine call, as a request is.
    await this.deps.metering.precheck(ctx, [...new Set(submission.items.map((item) => item.type))]);

    const jobId = submission.idempotencyKey
      ? deterministicJobId(ctx.accountId, submission.idempotencyKey)
      : `job_${randomBase62(24)}`;
    const now = this.now();
    const secret = submission.webhookUrl ? newWebhookSecret() : null;
    const job: JobRow = {
      id: jobId,
      account_id: ctx.accountId,
      key_id: ctx.keyId ?? null,
      status: inline > 0 ? 'accepting' : 'queued',
      total_items: submission.items.length,
      webhook_url: submission.webhookUrl ?? null,
      webhook_secret: secret,
      webhook_status: submission.webhookUrl ? 'pending' : null,
      webhook_attempts: 0,
      created_at: now,
      updated_at: now,
      completed_at: null,
      expires_at: now + config.jobs.ttlHours * 3_600_000,
    };
    const rows: ItemRow[] = submission.items.map((item, idx) => ({
      job_id: jobId,
      idx,
      type: item.type,
      source: isUrlItem(item) ? 'url' : 'inline',
      input: storedInput(item),
      status: 'pending',
      attempt: 0,
      lease_until: null,
      http_status: null,
      result: null,
      charged_micros: 0,
      updated_at: now,
    }));
    const created = await withTransaction(db, async (trx) => {
      const existing = await repo.findJob(trx, jobId);
      if (existing) return existing; // a retried submission (same Idempotency-Key) resumes its job
      await repo.insertJob(trx, job, rows);
      return job;
    });

    // Inline items now, while their bytes are in memory; each is claimed, so a resumed submission skips done ones.
    const pending = (await repo.unfinished(db, jobId)).filter((row) => row.source === 'inline');
    await this.pool(pending, async (row) => {
      const item = submission.items[row.idx];
      if (!item) return;
      const run = await this.runner.run(ctx.accountId, row, item, ctx.keyId ?? null);
      // No second chance without the image: a transient failure is this item's result.
      if (run.kind === 'retry') await this.runner.claimAndFail(row, run.error);
    });
    await repo.setStatus(db, jobId, ['accepting'], 'queued', this.now());
    try {
      await queue.enqueue(jobId);
    } catch (error) {
      // The job is stored as queued: a worker's sweep hands it to the queue once Redis answers again. Failing
      // here would leave an accepted job the client cannot see (and would run it anyway).
      this.deps.logger.warn(
        { err: error, job_id: jobId, req_id: ctx.requestId },
        'job not enqueued; left to the sweep',
      );
    }

    const body = presentJob(
      (await repo.findJob(db, jobId)) ?? created,
      await repo.progress(db, jobId),
      undefined,
    );
    // The signing secret is shown once, in this answer (a replay of it by Idempotency-Key shows it again).
    if (created.webhook_secret && body.webhook)
      body.webhook = { ...body.webhook, secret: created.webhook_secret };
    return body;
  }

  /** The job with progress and per-item results; 404 when it is another account's, unknown or expired. */
  async get(accountId: string, jobId: string): Promise<JobView> {
    const { db, repo } = this.deps;
    const job = await repo.findJob(db, jobId);
    if (!job || job.account_id !== accountId || job.expires_at < this.now()) {
      throw new NotFoundError('Job not found.');
    }
    return presentJob(job, await repo.progress(db, jobId), await repo.items(db, jobId));
  }

  /**
   * One run of a batch job by a worker (at-least-once: any number of runs, concurrent or after a crash, give the
   * same results and charges). Returns once every item is final; throws RetryLaterError when some failed
   * transiently (BullMQ retries with backoff; on the last attempt they are recorded as failed),
   * WorkerStoppingError when `stopping()` turned true and ThrottledError when the account's rate limit is used
   * up (in-flight items finish first, in both cases).
   */
  async process(jobId: string, options: { lastAttempt: boolean; stopping: () => boolean }): Promise<void> {
    const { db, repo, config, logger } = this.deps;
    const job = await repo.findJob(db, jobId);
    if (!job) return; // expired and purged
    if (job.status !== 'completed') {
      if (job.status === 'accepting' && this.now() - job.updated_at < config.billing.reservationTtlS * 1000) {
        throw new RetryLaterError('the submission is still running its inline items');
      }
      await repo.setStatus(db, jobId, ['accepting', 'queued'], 'running', this.now());
      const retry = new Map<number, AppError>();
      let throttledMs: number | undefined;
      for (;;) {
        const unfinished = await repo.unfinished(db, jobId);
        const now = this.now();
        const runnable = unfinished.filter(
          (row) => !retry.has(row.idx) && (row.status === 'pending' || (row.lease_until ?? 0) < now),
        );
        if (runnable.length === 0) {
          const waiting = unfinished.filter((row) => !retry.has(row.idx));
          if (waiting.length === 0) break;
          // Held by another run (or a dead worker whose lease has not expired yet): wait for the lease.
          if (options.stopping()) throw new WorkerStoppingError();
          const until = Math.min(...waiting.map((row) => row.lease_until ?? now));
          await sleep(Math.min(Math.max(until - now + 50, 50), 1_000));
          continue;
        }
        await this.pool(runnable, async (row) => {
          if (options.stopping() || throttledMs !== undefined) return;
          if (row.source === 'inline') return this.runner.claimAndFail(row, INTERRUPTED());
          const run = await this.runner.run(
            job.account_id,
            row,
            parseStoredInput(row.input ?? '{}'),
            job.key_id ?? null,
          );
          if (run.kind === 'retry') retry.set(row.idx, run.error);
          if (run.kind === 'throttled') throttledMs = Math.max(throttledMs ?? 0, run.retryAfterMs);
        });
        if (options.stopping()) throw new WorkerStoppingError();
        if (throttledMs !== undefined) throw new ThrottledError(throttledMs);
      }
      if (retry.size > 0) {
        if (!options.lastAttempt) throw new RetryLaterError(`${retry.size} items failed transiently`);
        const unfinished = await repo.unfinished(db, jobId);
        for (const row of unfinished) {
          const error = retry.get(row.idx);
          if (error) await this.runner.claimAndFail(row, error);
        }
      }
      if (await repo.complete(db, jobId, this.now())) logger.info({ job_id: jobId }, 'batch job completed');
    }
    const done = await repo.findJob(db, jobId);
    if (done?.webhook_url && done.webhook_status === 'pending') await this.deps.queue?.enqueueWebhook(jobId);
  }

  /** One delivery attempt of a completed job's webhook; throws to have BullMQ retry with backoff. */
  async deliverWebhook(jobId: string, sender: WebhookSender, attempt: number, lastAttempt: boolean) {
    const { db, repo, logger, metrics } = this.deps;
    const job = await repo.findJob(db, jobId);
    if (!job?.webhook_url || !job.webhook_secret || job.webhook_status !== 'pending') return;
    const payload = {
      id: `evt_${jobId}`,
      type: 'job.completed',
      created_at: new Date(this.now()).toISOString(),
      data: presentJob(job, await repo.progress(db, jobId), undefined),
    };
    const result = await sender.deliver(job.webhook_url, job.webhook_secret, payload, {
      'x-deepface-event': 'job.completed',
      'x-deepface-delivery': `${jobId}.${attempt}`,
    });
    metrics?.webhookDeliveries.inc({ outcome: result.ok ? 'delivered' : 'failed' });
    if (result.ok) {
      await repo.setWebhook(db, jobId, 'delivered', attempt);
      return;
    }
    logger.warn({ job_id: jobId, attempt, reason: result.reason }, 'webhook delivery failed');
    await repo.setWebhook(db, jobId, lastAttempt ? 'failed' : 'pending', attempt);
    if (!lastAttempt) throw new RetryLaterError(`webhook delivery failed: ${result.reason}`);
  }

  /**
   * Housekeeping, run periodically by every worker (safe concurrently): hands stalled jobs and undelivered
   * webhooks back to the queue (BullMQ ignores ids it already holds) and deletes expired jobs and results.
   */
  async sweep(): Promise<{ requeued: number; purged: number }> {
    const { db, repo, config, queue } = this.deps;
    const now = this.now();
    let requeued = 0;
    const stale = await repo.stale(db, now - Math.max(config.jobs.lockMs * 2, 10_000), 100);
    for (const job of stale) {
      if (job.status === 'accepting' && now - job.updated_at < config.billing.reservationTtlS * 1000)
        continue;
      await queue?.enqueue(job.id);
      requeued++;
    }
    for (const job of await repo.webhooksPending(db, now - 60_000, 100)) {
      await queue?.enqueueWebhook(job.id);
      requeued++;
    }
    const purged = await repo.purgeExpired(db, now);
    return { requeued, purged };
  }

  /** Runs `work` over `rows` with at most JOBS_ITEM_CONCURRENCY at a time. */
  private async pool(rows: ItemRow[], work: (row: ItemRow) => Promise<void>): Promise<void> {
    let next = 0;
    const lanes = Array.from(
      { length: Math.min(this.deps.config.jobs.itemConcurrency, rows.length) },
      async () => {
        while (next < rows.length) {
          const row = rows[next++]!;
          await work(row);
        }
      },
    );
    await Promise.all(lanes);
  }
}

/** The same account and Idempotency-Key always name the same job. */
function deterministicJobId(accountId: string, key: string): string {
  return `job_${createHash('sha256').update(`${accountId}\0${key}`).digest('base64url').replace(/[-_]/g, '').slice(0, 24)}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export { SIGNATURE_HEADER };
