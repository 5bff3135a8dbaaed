import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { createServices } from '../../src/composition';
import { createApp } from '../../src/http/app';
import type { LookupFn } from '../../src/platform/fetch/image-fetcher';
import { createJobQueue, type JobQueue } from '../../src/features/jobs/queue';
import { createGatewayMetrics, type GatewayMetrics } from '../../src/platform/metrics/gateway-metrics';
import { NOT_VERIFIED } from '@deepface/fake-engine';
import { pngImage } from '../factories/images';
import { startGateway, type TestGateway } from '../helpers/app';

/** Env for job tests: loopback image and webhook servers allowed, short locks and backoffs. */
export const JOB_ENV = {
  IMAGE_FETCH_ALLOW_HOSTS: 'localhost:*',
  WEBHOOK_ALLOW_HOSTS: 'localhost:*',
  JOBS_LOCK_MS: '2000',
  JOBS_BACKOFF_MS: '200',
  JOBS_ATTEMPTS: '5',
  WEBHOOK_BACKOFF_MS: '200',
  WEBHOOK_ATTEMPTS: '4',
  REAPER_INTERVAL_S: '1',
};

/** Image bytes the fake engine answers "not the same person" for (any other image verifies). */
export const STRANGER = pngImage(16, 16, 10);
export const FACE = pngImage(16, 16, 200);

export interface JobsStack {
  gw: TestGateway;
  app: Express;
  queue: JobQueue;
  metrics: GatewayMetrics;
  close(): Promise<void>;
}

/** A gateway with Redis (a unique prefix), its BullMQ producer and metrics; the fake engine reads image bytes. */
export async function startJobsStack(
  env: Record<string, string> = {},
  options: { lookup?: LookupFn } = {},
): Promise<JobsStack> {
  const gw = await startGateway({ redis: true, env: { ...JOB_ENV, ...env }, ...options });
  const stranger = STRANGER.toString('base64');
  gw.engine.respond = (method, req) => {
    const img2 = Buffer.isBuffer(req.img2) ? req.img2.toString('base64') : '';
    if (img2 !== stranger) return undefined;
    if (method === 'Verify') return { kind: 'ok', response: NOT_VERIFIED };
    return undefined;
  };
  const metrics = createGatewayMetrics();
  const queue = createJobQueue(gw.config, metrics);
  const app = createApp({ ...gw.deps, queue, metrics });
  return {
    gw,
    app,
    queue,
    metrics,
    async close() {
      await queue.close();
      await gw.close();
    },
  };
}

export function jobsServiceOf(stack: JobsStack, metrics?: GatewayMetrics) {
  return createServices({ ...stack.gw.deps, queue: stack.queue, ...(metrics ? { metrics } : {}) }).jobs;
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function jobWhenDone(app: Express, key: string, id: string) {
  return waitFor(async () => {
    const res = await request(app).get(`/v1/jobs/${id}`).set('X-API-KEY', key);
    return res.status === 200 && res.body.status === 'completed' ? (res.body as JobBody) : undefined;
  }, `job ${id} to complete`);
}

export interface JobBody {
  id: string;
  status: string;
  progress: { total: number; completed: number; succeeded: number; failed: number };
  billing: { charged: number };
  webhook: { url: string; status: string; attempts: number; secret?: string } | null;
  items: Array<{
    index: number;
    type: string;
    status: string;
    http_status: number;
    charged: number;
    result: Record<string, unknown>;
  }>;
}

export const uniqueKey = () => `idem-${randomBytes(6).toString('hex')}`;
