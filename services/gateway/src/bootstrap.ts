import { GrpcEngineClient } from './clients/engine.client';
import { ImageFetcher } from './platform/fetch/image-fetcher';
import { createAccountSlots } from './platform/redis/account-slots';
import { connectRedis } from './platform/redis/connection';
import {
  createAccountRateLimiter,
  createRateLimiter,
  createTestModeLimiter,
} from './platform/redis/rate-limiter';
import type { AppDeps, Services } from './composition';
import type { Config } from './platform/config';
import { createDb } from './platform/db/connection';
import { createJobQueue } from './features/jobs/queue';
import type { Logger } from './platform/logger';
import { LoginThrottle } from './features/dashboard/login-throttle';
import { collectProcessMetrics, createGatewayMetrics } from './platform/metrics/gateway-metrics';

/** Real infrastructure from config: what main.ts and the BullMQ worker (worker.ts) run on. */
export function createInfrastructure(config: Config, logger: Logger) {
  const db = createDb(config, logger);
  const { redis, status: redisStatus } = connectRedis(config, logger);
  const metrics = createGatewayMetrics();
  collectProcessMetrics(metrics);
  // Batch jobs need Redis (BullMQ); without it the API answers POST /v1/jobs with 503.
  const queue = config.redis.url ? createJobQueue(config, metrics) : undefined;
  // Lifecycle and metrics always exist here: the entry points read them.
  const deps: AppDeps & Required<Pick<AppDeps, 'lifecycle' | 'metrics'>> = {
    config,
    logger,
    db,
    engine: new GrpcEngineClient(config, logger),
    imageFetcher: new ImageFetcher(config),
    rateLimiter: createRateLimiter(config, redis),
    accountLimiter: createAccountRateLimiter(config, redis),
    testModeLimiter: createTestModeLimiter(config, redis),
    accountSlots: createAccountSlots(config, redis, logger),
    loginThrottle: new LoginThrottle(config, redis),
    lifecycle: { draining: false },
    redisStatus,
    metrics,
    ...(queue ? { queue } : {}),
  };
  const close = async () => {
    await queue?.close();
    deps.engine.close();
    await deps.imageFetcher.close();
    redis?.disconnect();
    await db.destroy();
  };
  return { deps, redis, close };
}

/**
 * First start of a development install: one funded demo account and a test key, returned once so the caller can
 * print it (never logged). Does nothing once any account exists.
 */
export async function ensureDemoAccount(
  services: Pick<Services, 'accounts'>,
): Promise<{ accountId: string; apiKey: string } | undefined> {
  if ((await services.accounts.countAccounts()) > 0) return undefined;
  const account = await services.accounts.createAccount({ name: 'Demo', balanceMicros: 10_000_000 });
  // Live: the demo's $10.00 pays for real verifications (test keys answer only on the sample images).
  const { key } = await services.accounts.createKey(account.id, 'live', 'demo');
  return { accountId: account.id, apiKey: key };
}

/** Releases the reservations of requests that died before settling (the API and worker processes both run it). */
export function reapStaleReservations(services: Pick<Services, 'billing'>, logger: Logger): void {
  services.billing
    .reapStale()
    .then((released) => {
      if (released) logger.warn({ released }, 'released stale reservations');
    })
    .catch((error: unknown) => logger.error({ err: error }, 'reaper failed'));
}
