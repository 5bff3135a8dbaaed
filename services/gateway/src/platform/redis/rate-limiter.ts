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
  return fixedWindow(config, config.rateLimit.points, 'rl', redis);
}

/**
 * The same per account (ACCOUNT_RATE_LIMIT_POINTS), keyed by account id: all of an account's keys, its dashboard
 * playground and its batch items' downloads draw on one budget, so more keys never mean more throughput.
 */
export function createAccountRateLimiter(
  config: Pick<Config, 'rateLimit' | 'redis'>,
  redis?: Redis,
): RateLimiterAbstract {
  return fixedWindow(config, config.rateLimit.accountPoints, 'rla', redis);
}

function fixedWindow(
  config: Pick<Config, 'rateLimit' | 'redis'>,
  points: number,
  name: string,
  redis?: Redis,
): RateLimiterAbstract {
  const base = { points, duration: config.rateLimit.windowS };
  const memory = new RateLimiterMemory({ ...base, keyPrefix: name });
  if (!redis) return memory;
  return new RateLimiterRedis({
    ...base,
    storeClient: redis,
    keyPrefix: `${config.redis.keyPrefix}${name}`,
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
