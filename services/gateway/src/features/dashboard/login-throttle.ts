import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Config } from '../../platform/config';
import { TooManyAttemptsError } from './session-errors';
import { clientGroup } from '../../platform/lib/ip';

/** A sign-in attempt taken from the throttle. */
export interface SignInAttempt {
  /** The password was right: the attempt is given back and this (e-mail, client)'s failures are forgotten. */
  succeeded(): Promise<void>;
  /** The password could not be checked (the hasher was busy): the attempt is given back. */
  notChecked(): Promise<void>;
}

/**
 * Brute-force brakes for the dashboard: sign-in attempts per (e-mail, client) and per client, and sign-ups per
 * client (trial credit farming). An attempt is taken atomically *before* the password is checked (one Lua
 * INCR-with-expiry in Redis, a synchronous counter in process), so simultaneous guesses cannot all pass a check
 * made before any of them failed; a right password gives its attempt back. With Redis the counts hold across
 * gateway instances; while Redis does not answer within 200 ms, each process counts on its own.
 */
export class LoginThrottle {
  private readonly attempts: RateLimiterAbstract;
  private readonly attemptsPerClient: RateLimiterAbstract;
  private readonly signups: RateLimiterAbstract;
  private readonly resets: RateLimiterAbstract;
  private readonly resetsPerClient: RateLimiterAbstract;

  constructor(config: Pick<Config, 'dashboard' | 'redis'>, redis?: Redis) {
    const { loginMaxFailures, loginLockoutS, signupsPerIpPerHour } = config.dashboard;
    const limiter = (name: string, points: number, duration: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ keyPrefix: name, points, duration });
      if (!redis) return memory;
      return new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${config.redis.keyPrefix}${name}`,
        points,
        duration,
        insuranceLimiter: memory,
        timeoutMs: 200,
      } as ConstructorParameters<typeof RateLimiterRedis>[0]);
    };
    this.attempts = limiter('login', loginMaxFailures, loginLockoutS);
    this.attemptsPerClient = limiter('login-ip', loginMaxFailures * 10, loginLockoutS);
    this.signups = limiter('signup', signupsPerIpPerHour, 3600);
    // Reset requests: as many as sign-in attempts, per (e-mail, client) and per client (mail flooding).
    this.resets = limiter('reset', loginMaxFailures, loginLockoutS);
    this.resetsPerClient = limiter('reset-ip', loginMaxFailures * 10, loginLockoutS);
  }

  /**
   * Takes one attempt for this e-mail from this client and one for the client; 429 when either is used up, before
   * any password work. A failed attempt keeps its point until the window ends.
   */
  async take(email: string, ip: string): Promise<SignInAttempt> {
    const client = clientGroup(ip);
    const pair = pairKey(email, client);
    const taken = await Promise.allSettled([
      this.attempts.consume(pair),
      this.attemptsPerClient.consume(client),
    ]);
    const refusals = taken.flatMap((t) => (t.status === 'rejected' ? [t.reason as unknown] : []));
    if (refusals.length) throwLimit(refusals);
    return {
      succeeded: async () => {
        await Promise.all([this.attempts.delete(pair), this.attemptsPerClient.reward(client, 1)]);
      },
      notChecked: async () => {
        await Promise.all([this.attempts.reward(pair, 1), this.attemptsPerClient.reward(client, 1)]);
      },
    };
  }

  /** One password reset request for this e-mail from this client, whether or not the e-mail has an account. */
  async consumeReset(email: string, ip: string): Promise<void> {
    const client = clientGroup(ip);
    const taken = await Promise.allSettled([
      this.resets.consume(pairKey(email, client)),
      this.resetsPerClient.consume(client),
    ]);
    const refusals = taken.flatMap((t) => (t.status === 'rejected' ? [t.reason as unknown] : []));
    if (refusals.length) throwLimit(refusals);
  }

  async consumeSignup(ip: string): Promise<void> {
    try {
      await this.signups.consume(clientGroup(ip));
    } catch (rejection) {
      throwLimit([rejection]);
    }
  }
}

/** The e-mail is personal data: Redis keys hold a hash of it. */
function pairKey(email: string, client: string): string {
  return `${createHash('sha256').update(email).digest('base64url').slice(0, 22)}|${client}`;
}

/** 429 with the longest wait when every refusal is a limit; anything else (a store failure) is rethrown. */
function throwLimit(refusals: unknown[]): never {
  const limits = refusals.filter((r): r is RateLimiterRes => r instanceof RateLimiterRes);
  if (limits.length < refusals.length) throw refusals.find((r) => !(r instanceof RateLimiterRes));
  const waitMs = Math.max(...limits.map((r) => r.msBeforeNext));
  throw new TooManyAttemptsError(Math.max(1, Math.ceil(waitMs / 1000)));
}
