import type { Config } from '../../platform/config';
import { SignInBusyError } from './session-errors';
import { decoyHash, hashPassword, verifyPassword, type ScryptParams } from '../../platform/lib/password';
import { Semaphore, SemaphoreFullError } from '../../platform/lib/semaphore';

/**
 * Every password hash the gateway computes, behind one bound. scrypt (N=2^17: 128 MiB, 0.3–1 s of a core) runs on
 * libuv's thread pool, which sharp's header reads, dns.lookup, zlib (gzip bodies) and fs share: unbounded, a flood
 * of anonymous sign-ins would queue every image request behind it. At most PASSWORD_HASH_CONCURRENCY hashes run at
 * once (the rest of the pool stays free), PASSWORD_HASH_QUEUE wait, and beyond that the answer is 503 with
 * Retry-After at once. Unknown e-mails are checked against a decoy hash through the same bound, so they cost and
 * answer the same as known ones.
 */
export class PasswordHasher {
  private readonly semaphore: Semaphore;
  private readonly params: ScryptParams;

  constructor(config: Pick<Config, 'dashboard'>) {
    const { scryptLog2N, hashConcurrency, hashQueue } = config.dashboard;
    this.params = { log2N: scryptLog2N, r: 8, p: 1 };
    this.semaphore = new Semaphore(hashConcurrency, hashQueue);
  }

  hash(password: string): Promise<string> {
    return this.bounded(() => hashPassword(password, this.params));
  }

  /** Checks the password against `stored`, or against the decoy when there is no such user. */
  verify(password: string, stored: string | undefined): Promise<boolean> {
    return this.bounded(async () => verifyPassword(password, stored ?? (await decoyHash(this.params))));
  }

  private async bounded<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await this.semaphore.run(task);
    } catch (error) {
      if (error instanceof SemaphoreFullError) throw new SignInBusyError();
      throw error;
    }
  }
}
