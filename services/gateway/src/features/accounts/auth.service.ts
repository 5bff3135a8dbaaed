import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/connection';
import { AccountSuspendedError, UnauthorizedError } from '../../platform/errors/app-error';
import { hashApiKey, hashesEqual, parseApiKey } from '../../platform/lib/api-key';
import type { ApiKeysRepository } from './api-keys.repository';
import type { Logger } from '../../platform/logger';
import type { Principal } from '../../platform/principal';

export interface AuthDeps {
  db: Db;
  apiKeys: ApiKeysRepository;
  config: Pick<Config, 'keys'>;
  logger: Logger;
  now?: () => number;
}

/**
 * API key authentication. Missing, malformed (bad checksum: no database query), unknown and revoked keys all end
 * in the same UnauthorizedError; a suspended account in AccountSuspendedError. Database errors propagate (the
 * error middleware answers 503): a lookup failure never lets a request through.
 */
export class AuthService {
  private readonly now: () => number;
  /** keyId → last time this process wrote last_used_at: at most one write per key per interval. */
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(private readonly deps: AuthDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** `route`: the request's route label (lib/route-label), stored with last_used_at. */
  async authenticate(presented: string | undefined, route?: string): Promise<Principal> {
    if (!presented) throw new UnauthorizedError();
    const parsed = parseApiKey(presented.trim());
    if (!parsed) throw new UnauthorizedError();
    const hash = hashApiKey(presented.trim());
    const found = await this.deps.apiKeys.findByHash(this.deps.db, hash);
    if (!found || !hashesEqual(found.key.key_hash, hash) || found.key.revoked_at !== null) {
      throw new UnauthorizedError();
    }
    if (found.account.status !== 'active') throw new AccountSuspendedError();
    this.noteUsed(found.key.id, found.key.last_used_at, route);
    return {
      accountId: found.key.account_id,
      keyId: found.key.id,
      keyMode: found.key.mode,
      account: found.account,
    };
  }

  /** Fire-and-forget, throttled: a failed write is logged, never fails the request. */
  private noteUsed(keyId: string, storedLastUsed: number | null, route: string | undefined): void {
    const now = this.now();
    const interval = this.deps.config.keys.lastUsedIntervalS * 1000;
    const last = Math.max(this.lastUsedWritten.get(keyId) ?? 0, storedLastUsed ?? 0);
    if (now - last < interval) return;
    this.lastUsedWritten.set(keyId, now);
    if (this.lastUsedWritten.size > 10_000) this.lastUsedWritten.clear();
    this.deps.apiKeys.touchLastUsed(this.deps.db, keyId, now, route).catch((error: unknown) => {
      this.deps.logger.warn({ err: error, key_id: keyId }, 'could not update api key last_used_at');
    });
  }
}
