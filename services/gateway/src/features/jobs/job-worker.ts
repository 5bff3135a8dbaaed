import { DelayedError, type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from '../../platform/config';
import type { Logger } from '../../platform/logger';
import type { GatewayMetrics } from '../../platform/metrics/gateway-metrics';
import { type JobsService, ThrottledError, WorkerStoppingError } from './jobs.service';
import { bullPrefix, type JobMessage, JOBS_QUEUE, WEBHOOKS_QUEUE } from './queue';
import { WebhookSender } from './webhook';

export interface JobWorkers {
  running(): boolean;
  /** Stops taking jobs; in-flight items finish and the rest of their jobs go back to the queue. */
  close(): Promise<void>;
}

const isLastAttempt = (job: Job) => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

/** The BullMQ consumers of the worker process: batch jobs and webhook deliveries. */
export function startJobWorkers(deps: {
  config: Config;
  logger: Logger;
  jobs: JobsService;
  metrics?: GatewayMetrics;
}): JobWorkers {
  const { config, logger, jobs } = deps;
  // Workers block on Redis: BullMQ requires unlimited per-request retries on their connection.
  const connection = new Redis(config.redis.url!, { maxRetriesPerRequest: null });
  connection.on('error', (error: Error) => logger.warn({ err: error }, 'redis unavailable'));
  const prefix = bullPrefix(config);
  const sender = new WebhookSender(config);
  let stopping = false;

  const jobWorker = new Worker<JobMessage>(
    JOBS_QUEUE,
    async (job, token) => {
      try {
        await jobs.process(job.data.jobId, { lastAttempt: isLastAttempt(job), stopping: () => stopping });
      } catch (error) {
        // Back to the queue without spending one of the job's attempts: at once for another worker when this one
        // stops; once the account's rate-limit window has reset when it has no point left.
        if (error instanceof WorkerStoppingError) await job.moveToDelayed(Date.now(), token);
        else if (error instanceof ThrottledError)
          await job.moveToDelayed(Date.now() + error.retryAfterMs, token);
        else throw error;
        throw new DelayedError();
      }
    },
    {
      connection,
      prefix,
      concurrency: config.jobs.concurrency,
      // A worker that dies loses its lock after lockDuration; the job is then redelivered (at-least-once).
      lockDuration: config.jobs.lockMs,
      stalledInterval: config.jobs.lockMs,
      maxStalledCount: 100,
    },
  );
  const webhookWorker = new Worker<JobMessage>(
    WEBHOOKS_QUEUE,
    async (job) => {
      await jobs.deliverWebhook(job.data.jobId, sender, job.attemptsMade + 1, isLastAttempt(job));
    },
    { connection, prefix, concurrency: 8, lockDuration: config.webhooks.timeoutMs + 10_000 },
  );
  for (const worker of [jobWorker, webhookWorker]) {
    worker.on('error', (error) => logger.error({ err: error, queue: worker.name }, 'queue worker error'));
    worker.on('failed', (job, error) =>
      logger.warn(
        { queue: worker.name, job_id: job?.data.jobId, err: error.message },
        'queued job attempt failed',
      ),
    );
  }

  return {
    running: () => !stopping && jobWorker.isRunning(),
    async close() {
      stopping = true;
      await Promise.all([jobWorker.close(), webhookWorker.close()]);
      await sender.close();
      connection.disconnect();
    },
  };
}
