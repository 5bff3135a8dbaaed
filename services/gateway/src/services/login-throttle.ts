import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { TooManyAttemptsError } from '../errors/session-errors';

/**
 * Brute-force brakes for the dashboard: failed sign-ins per (e-mail, IP) and per IP, and sign-ups per IP (trial
 * credit farming). In-process: with several gateway instances each keeps its own counts (documented).
 */
export class LoginThrottle {
  private readonly failures: RateLimiterMemory;
  private readonly failuresPerIp: RateLimiterMemory;
  private readonly signups: RateLimiterMemory;

  constructor(config: Pick<Config, 'dashboard'>) {
    const { loginMaxFailures, loginLockoutS, signupsPerIpPerHour } = config.dashboard;
    this.failures = new RateLimiterMemory({
      keyPrefix: 'login',
      points: loginMaxFailures,
      duration: loginLockoutS,
    });
    this.failuresPerIp = new RateLimiterMemory({
      keyPrefix: 'login-ip',
      points: loginMaxFailures * 10,
      duration: loginLockoutS,
    });
    this.signups = new RateLimiterMemory({
      keyPrefix: 'signup',
      points: signupsPerIpPerHour,
      duration: 3600,
    });
  }

  /** Throws 429 while this e-mail (from this IP) or this IP is locked out; checked before any password work. */
  async assertCanTry(email: string, ip: string): Promise<void> {
    for (const [limiter, key] of [
      [this.failures, `${email}|${ip}`],
      [this.failuresPerIp, ip],
    ] as const) {
      const state = await limiter.get(key);
      if (state && state.consumedPoints >= limiter.points) {
        throw new TooManyAttemptsError(Math.max(1, Math.ceil(state.msBeforeNext / 1000)));
      }
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    await Promise.all([
      this.failures.consume(`${email}|${ip}`).catch(ignoreLimit),
      this.failuresPerIp.consume(ip).catch(ignoreLimit),
    ]);
  }

  async recordSuccess(email: string, ip: string): Promise<void> {
    await this.failures.delete(`${email}|${ip}`);
  }

  async consumeSignup(ip: string): Promise<void> {
    try {
      await this.signups.consume(ip);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new TooManyAttemptsError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      }
      throw rejection;
    }
  }
}

function ignoreLimit(rejection: unknown): void {
  if (!(rejection instanceof RateLimiterRes)) throw rejection;
}
