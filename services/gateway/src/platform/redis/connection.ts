import { Redis } from 'ioredis';
import type { Config } from '../config';
import type { Logger } from '../logger';

export type RedisStatus = 'ok' | 'down' | 'disabled';

/** The process's Redis connection (REDIS_URL; none without it) and its state for /readyz. */
export function connectRedis(config: Config, logger: Logger): { redis?: Redis; status: () => RedisStatus } {
  if (!config.redis.url) return { status: () => 'disabled' };
  const redis = new Redis(config.redis.url, {
    // Fail fast while Redis is down: the rate limiter falls back to its in-process insurance limiter.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    lazyConnect: false,
  });
  let up = false;
  redis.on('ready', () => {
    up = true;
  });
  redis.on('error', (error: Error) => {
    if (up) logger.warn({ err: error }, 'redis unavailable; using in-process rate limits');
    up = false;
  });
  redis.on('end', () => {
    up = false;
  });
  return { redis, status: () => (up ? 'ok' : 'down') };
}
