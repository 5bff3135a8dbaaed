import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import type { Logger } from '../logger';

/** Gives a slot back; calling it again does nothing. */
export type Release = () => void;

/** Requests of one account in flight, capped at `max`: a slot is taken at authentication, given back at the end. */
export interface AccountSlots {
  /** A slot for the account, or undefined when it already holds `max`. */
  acquire(accountId: string): Promise<Release | undefined>;
}

const once = (fn: () => void): Release => {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
};

/** Counts in this process only: the cap without Redis, and the fallback while Redis is down. */
export class MemorySlots implements AccountSlots {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly max: number) {}

  acquire(accountId: string): Promise<Release | undefined> {
    const count = this.inFlight.get(accountId) ?? 0;
    if (count >= this.max) return Promise.resolve(undefined);
    this.inFlight.set(accountId, count + 1);
    return Promise.resolve(
      once(() => {
        const left = (this.inFlight.get(accountId) ?? 1) - 1;
        if (left > 0) this.inFlight.set(accountId, left);
        else this.inFlight.delete(accountId);
      }),
    );
  }
}

// One sorted set per account: member = request id, score = when its lease ends (Redis' own clock, so gateways'
// clocks do not matter). Leases a crashed gateway never gave back expire; the rest is atomic in the script.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

type SlotsRedis = Redis & {
  acquireAccountSlot(key: string, max: number, leaseMs: number, id: string): Promise<number>;
};

/**
 * The cap across every gateway instance sharing the Redis. While Redis does not answer within `timeoutMs`, each
 * process falls back to its own count (as the rate limiter does), so a Redis outage never stops the API.
 */
export class RedisSlots implements AccountSlots {
  private readonly redis: SlotsRedis;

  constructor(
    redis: Redis,
    private readonly options: {
      max: number;
      keyPrefix: string;
      /** Longer than any request can last: the lease of a slot its gateway never gave back. */
      leaseMs: number;
      timeoutMs: number;
      fallback: AccountSlots;
      logger?: Logger;
    },
  ) {
    if (!('acquireAccountSlot' in redis))
      redis.defineCommand('acquireAccountSlot', { numberOfKeys: 1, lua: ACQUIRE });
    this.redis = redis as SlotsRedis;
  }

  async acquire(accountId: string): Promise<Release | undefined> {
    const { max, keyPrefix, leaseMs, timeoutMs, fallback, logger } = this.options;
    const key = `${keyPrefix}inflight:${accountId}`;
    const id = randomUUID();
    const giveBack = () =>
      // A release that fails leaves the lease to expire.
      void this.redis
        .zrem(key, id)
        .catch((error: unknown) => logger?.warn({ err: error }, 'account slot release failed'));
    const asked = this.redis.acquireAccountSlot(key, max, leaseMs, id);
    let timer: NodeJS.Timeout | undefined;
    try {
      const granted = await Promise.race([
        asked,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('redis did not answer in time')), timeoutMs);
        }),
      ]);
      if (granted !== 1) return undefined;
    } catch (error) {
      // A slot Redis grants after we stopped waiting is given back at once.
      asked.then((late) => late === 1 && giveBack()).catch(() => undefined);
      logger?.warn({ err: error }, 'account slots: redis unavailable, counting in this process');
      return fallback.acquire(accountId);
    } finally {
      clearTimeout(timer);
    }
    return once(giveBack);
  }
}

/** With Redis: one cap for the whole deployment; without: per process. */
export function createAccountSlots(
  config: Pick<Config, 'rateLimit' | 'redis' | 'billing'>,
  redis?: Redis,
  logger?: Logger,
): AccountSlots {
  const max = config.rateLimit.accountConcurrency;
  const memory = new MemorySlots(max);
  if (!redis) return memory;
  return new RedisSlots(redis, {
    max,
    keyPrefix: config.redis.keyPrefix,
    // The reservation TTL is validated to outlast the longest request.
    leaseMs: config.billing.reservationTtlS * 1000,
    timeoutMs: 200,
    fallback: memory,
    ...(logger ? { logger } : {}),
  });
}
