import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config';

/**
 * Fixed-window per-key limits. With Redis they hold across gateway instances; an in-process "insurance" limiter
 * takes over whenever Redis fails, so a Redis outage never stops the API. Without REDIS_URL: in-process only.
 */
export function createRateLimiter(
  config: Pick<Config, 'rateLimit' | 'redis'>,
  redis?: Redis,
): RateLimiterAbstract {
  const base = { points: config.rateLimit.points, duration: config.rateLimit.windowS };
  const memory = new RateLimiterMemory({ ...base, keyPrefix: 'rl' });
  if (!redis) return memory;
  return new RateLimiterRedis({
    ...base,
    storeClient: redis,
    keyPrefix: `${config.redis.keyPrefix}rl`,
    insuranceLimiter: memory,
    // Wait at most this long for Redis before falling back to the insurance limiter.
    timeoutMs: 200,
  } as ConstructorParameters<typeof RateLimiterRedis>[0]);
}

/** Test-mode requests per account (TEST_RATE_LIMIT_POINTS per RATE_LIMIT_WINDOW_S), shared like the per-key limit. */
export function createTestModeLimiter(
  config: Pick<Config, 'rateLimit' | 'redis'>,
  redis?: Redis,
): RateLimiterAbstract {
  return createRateLimiter(
    { ...config, rateLimit: { ...config.rateLimit, points: config.rateLimit.testPoints } },
    redis,
  );
}
