import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/connection';
import {
  AccountRateLimitedError,
  type AppError,
  DownloadFailedError,
  InsufficientBalanceError,
} from '../../platform/errors/app-error';
import { renderError, toAppError } from '../../platform/errors/render';
import type { Logger } from '../../platform/logger';
import type { GatewayMetrics } from '../../platform/metrics/gateway-metrics';
import type { FaceService } from '../face/face.service';
import { storableVerifyBody } from '../face/face.presenter';
import type { Billed, MeterOptions } from '../billing/metering.service';
import { hasUrl, type JobItemInput } from './job-input';
import { ItemLeaseLostError, type ItemOutcome, type ItemRow, type JobsRepository } from './jobs.repository';

export interface ItemRunnerDeps {
  db: Db;
  repo: JobsRepository;
  face: FaceService;
  config: Pick<Config, 'images' | 'engine' | 'jobs'>;
  logger: Logger;
  metrics?: GatewayMetrics;
  /** The account's rate limit (ACCOUNT_RATE_LIMIT_POINTS): each run of a URL item takes a point, as a request. */
  accountLimiter?: RateLimiterAbstract;
  now?: () => number;
}

/**
 * done: the item has its final result; retry: a transient failure, the item is pending again; skipped: not ours;
 * throttled: the account has no rate-limit point left, the item was not started (try again after the delay).
 */
export type ItemRun =
  | { kind: 'done' }
  | { kind: 'skipped' }
  | { kind: 'retry'; error: AppError }
  | { kind: 'throttled'; retryAfterMs: number };

/**
 * Runs one batch item exactly as the synchronous endpoint would (same FaceService, same billing rules), with one
 * addition that makes its billing exactly-once under at-least-once delivery: the item is claimed with a fencing
 * token, and its result is written in the same transaction as its charge, only if the token still holds. A
 * worker that dies before that commit leaves a held reservation (released by the reaper) and a claim whose lease
 * expires; the next claimant runs the item again and is the only one that can charge it.
 */
export class ItemRunner {
  private readonly now: () => number;

  constructor(private readonly deps: ItemRunnerDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Longer than one item can run: a download, the engine call, and the database work around them. */
  get leaseMs(): number {
    return this.deps.config.images.fetchTimeoutMs + this.deps.config.engine.timeoutMs + 5_000;
  }

  /** `keyId`: the API key that submitted the job, recorded with each item's charge. */
  async run(
    accountId: string,
    item: ItemRow,
    input: JobItemInput,
    keyId: string | null = null,
  ): Promise<ItemRun> {
    const { db, repo, logger } = this.deps;
    // An item that downloads counts against the account's rate limit like the synchronous call it stands for.
    // Taken before the claim, so that waiting for the window costs the item none of its attempts. An inline item
    // runs during its submission and cannot wait: without a point it fails (429), as its other transient failures.
    if (hasUrl(input)) {
      const waitMs = await this.takeRatePoint(accountId);
      if (waitMs > 0 && item.source === 'url') return { kind: 'throttled', retryAfterMs: waitMs };
      if (waitMs > 0) return { kind: 'retry', error: new AccountRateLimitedError(Math.ceil(waitMs / 1000)) };
    }
    const attempt = await repo.claim(db, item.job_id, item.idx, this.now(), this.leaseMs);
    if (attempt === undefined) return { kind: 'skipped' };
    const ctx = { accountId, requestId: `${item.job_id}.${item.idx}`, keyId };
    let chargedMicros = 0;
    const options: MeterOptions = {
      record: (trx, result, settlement) => {
        chargedMicros = settlement.chargedMicros;
        const outcome = this.outcome(input, result, settlement.chargedMicros);
        return repo.finish(trx, item.job_id, item.idx, attempt, outcome, this.now());
      },
    };
    try {
      await this.call(ctx, input, options);
      this.count(item, 'succeeded', 200, chargedMicros);
      return { kind: 'done' };
    } catch (error) {
      if (error instanceof ItemLeaseLostError) return { kind: 'skipped' };
      const { appError, unexpected } = toAppError(error);
      if (unexpected) logger.error({ err: error, req_id: ctx.requestId }, 'batch item failed unexpectedly');
      if (unexpected || this.retryable(appError, attempt)) {
        await repo.unclaim(db, item.job_id, item.idx, attempt, this.now());
        return { kind: 'retry', error: appError };
      }
      await this.fail(item, attempt, appError, ctx.requestId);
      return { kind: 'done' };
    }
  }

  /**
   * Whether a failure may go better on a later run. A download is retried at most JOBS_DOWNLOAD_RETRIES times
   * (the item's attempt counts its runs), and only after a network accident: a 4xx, an unknown name or a refused
   * address will not change, and retrying them would only multiply the requests sent on the caller's behalf.
   */
  private retryable(error: AppError, attempt: number): boolean {
    if (error instanceof DownloadFailedError) {
      return error.retryable && attempt <= this.deps.config.jobs.downloadRetries;
    }
    return isTransient(error);
  }

  /** 0 when the account had a point left (now taken), else how long until its window resets. */
  private async takeRatePoint(accountId: string): Promise<number> {
    const limiter = this.deps.accountLimiter;
    if (!limiter) return 0;
    try {
      await limiter.consume(accountId, 1);
      return 0;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(50, rejection.msBeforeNext);
      // The limiter's store is broken and has no insurance: run rather than stall (as the API does).
      this.deps.logger.warn({ err: rejection, account_id: accountId }, 'rate limiter unavailable');
      return 0;
    }
  }

  /** Records a final failure for a claimed item (no charge: failures never are). */
  async fail(item: ItemRow, attempt: number, error: AppError, requestId: string): Promise<void> {
    const rendered = renderError(error, requestId);
    const outcome: ItemOutcome = {
      status: 'failed',
      httpStatus: rendered.status,
      body: rendered.body,
      chargedMicros: 0,
    };
    try {
      await this.deps.repo.finish(this.deps.db, item.job_id, item.idx, attempt, outcome, this.now());
      this.count(item, 'failed', rendered.status, 0);
    } catch (e) {
      if (!(e instanceof ItemLeaseLostError)) throw e;
    }
  }

  /** Claims an item only to record a final failure (an inline item whose image is gone). */
  async claimAndFail(item: ItemRow, error: AppError): Promise<void> {
    const attempt = await this.deps.repo.claim(this.deps.db, item.job_id, item.idx, this.now(), this.leaseMs);
    if (attempt !== undefined) await this.fail(item, attempt, error, `${item.job_id}.${item.idx}`);
  }

  private call(ctx: { accountId: string; requestId: string }, input: JobItemInput, options: MeterOptions) {
    const face = this.deps.face;
    switch (input.type) {
      case 'verify':
        return face.verify(ctx, input, options);
      case 'lookalike':
        return face.lookalike(ctx, input, options);
      case 'analyze':
        return face.analyze(ctx, input, options);
    }
  }

  /** A billed answer is a 200, as the synchronous endpoint's; it is stored, so a verify keeps no document data. */
  private outcome(input: JobItemInput, result: Billed, chargedMicros: number): ItemOutcome {
    const body = input.type === 'verify' ? storableVerifyBody(result.body) : result.body;
    return { status: 'succeeded', httpStatus: 200, body, chargedMicros };
  }

  private count(item: ItemRow, outcome: 'succeeded' | 'failed', status: number, chargedMicros: number): void {
    const metrics = this.deps.metrics;
    if (!metrics) return;
    const labels = { endpoint: item.type, source: 'job' };
    metrics.jobItems.inc({ type: item.type, outcome });
    if (status === 402) metrics.insufficientBalance.inc(labels);
    if (chargedMicros > 0) {
      metrics.charges.inc(labels);
      metrics.charged.inc(labels, chargedMicros);
    }
  }
}

/** Outcomes that may change if the item runs again later (engine down or busy, a download timing out). */
export function isTransient(error: AppError): boolean {
  if (error instanceof InsufficientBalanceError) return false;
  if (error instanceof DownloadFailedError) return error.retryable;
  return error.status >= 500 || error.status === 429 || error.transient;
}
