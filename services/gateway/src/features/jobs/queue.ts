import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from '../../platform/config';
import type { GatewayMetrics } from '../../platform/metrics/gateway-metrics';

/**
 * BullMQ queues. A queued job carries only a batch job's id: items, URLs and results live in the database, and
 * images never reach Redis (see jobs.service.ts). Delivery is at-least-once; the handlers are idempotent.
 */
export const JOBS_QUEUE = 'jobs';
export const WEBHOOKS_QUEUE = 'webhooks';

export interface JobMessage {
  jobId: string;
}

export interface JobQueue {
  /** Asks a worker to run a batch job; a job already waiting or running is not added twice. */
  enqueue(jobId: string): Promise<void>;
  enqueueWebhook(jobId: string): Promise<void>;
  close(): Promise<void>;
}

/** BullMQ's keys live under the gateway's prefix (REDIS_KEY_PREFIX), beside the rate limiter's. */
export function bullPrefix(config: Pick<Config, 'redis'>): string {
  return `${config.redis.keyPrefix}bull`;
}

export function createJobQueue(
  config: Pick<Config, 'redis' | 'jobs' | 'webhooks'>,
  metrics?: GatewayMetrics,
): JobQueue {
  if (!config.redis.url) throw new Error('batch jobs need REDIS_URL');
  // Producers fail fast while Redis is down (the API answers 503); only workers wait for it to come back.
  // commandTimeout: a Redis that stops answering (network partition) must not hold submissions forever.
  const connection = new Redis(config.redis.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 2_000,
  });
  connection.on('error', () => undefined); // reported by /readyz and by the failing calls themselves
  const prefix = bullPrefix(config);
  const jobs = new Queue<JobMessage>(JOBS_QUEUE, { connection, prefix });
  const webhooks = new Queue<JobMessage>(WEBHOOKS_QUEUE, { connection, prefix });
  if (metrics) {
    metrics.onScrape.queues.push(async () => {
      for (const queue of [jobs, webhooks]) {
        try {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
          for (const [state, n] of Object.entries(counts))
            metrics.jobQueue.set({ queue: queue.name, state }, n);
        } catch {
          // Redis down: keep the last values rather than failing the whole scrape.
        }
      }
    });
  }
  return {
    async enqueue(jobId) {
      await jobs.add(
        'run',
        { jobId },
        {
          jobId,
          attempts: config.jobs.attempts,
          backoff: { type: 'exponential', delay: config.jobs.backoffMs },
          removeOnComplete: true,
          removeOnFail: { age: config.jobs.ttlHours * 3600 },
        },
      );
    },
    async enqueueWebhook(jobId) {
      await webhooks.add(
        'deliver',
        { jobId },
        {
          jobId,
          attempts: config.webhooks.attempts,
          backoff: { type: 'exponential', delay: config.webhooks.backoffMs },
          removeOnComplete: true,
          removeOnFail: { age: config.jobs.ttlHours * 3600 },
        },
      );
    },
    async close() {
      await jobs.close();
      await webhooks.close();
      connection.disconnect();
    },
  };
}
