import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/connection';
import type { SessionRow, SessionsRepository } from './sessions.repository';
import type { UserRow, UsersRepository } from './users.repository';

const TOUCH_INTERVAL_MS = 60_000;

export interface ActiveSession {
  session: SessionRow;
  user: UserRow;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Dashboard sessions: a 256-bit random token in the cookie, only its SHA-256 in the database, a CSRF token per
 * session, a fixed lifetime (SESSION_TTL_H). A new session is created at every sign-in (the id rotates; the one
 * the browser held before is deleted) and deleted at sign-out.
 */
export class SessionsService {
  private readonly now: () => number;

  constructor(
    private readonly deps: {
      db: Db;
      sessions: SessionsRepository;
      users: UsersRepository;
      config: Pick<Config, 'dashboard'>;
      now?: () => number;
    },
  ) {
    this.now = deps.now ?? Date.now;
  }

  async create(userId: string, previousToken?: string): Promise<{ token: string; csrfToken: string }> {
    if (previousToken) await this.destroy(previousToken);
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const now = this.now();
    await this.deps.sessions.insert(this.deps.db, {
      id_hash: sha256(token),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now,
      expires_at: now + this.deps.config.dashboard.sessionTtlMs,
      last_seen_at: now,
    });
    return { token, csrfToken };
  }

  /** The session and its user, or undefined for an unknown, expired or malformed token. */
  async resolve(token: string | undefined): Promise<ActiveSession | undefined> {
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const { db, sessions, users } = this.deps;
    const session = await sessions.find(db, sha256(token));
    const now = this.now();
    if (!session) return undefined;
    if (session.expires_at <= now) {
      await sessions.delete(db, session.id_hash);
      return undefined;
    }
    const user = await users.findById(db, session.user_id);
    if (!user) return undefined;
    if (now - session.last_seen_at > TOUCH_INTERVAL_MS) await sessions.touch(db, session.id_hash, now);
    return { session, user };
  }

  async destroy(token: string): Promise<void> {
    await this.deps.sessions.delete(this.deps.db, sha256(token));
  }

  /** Signs the user out everywhere, or everywhere but the session of `keepToken`. */
  async destroyAllForUser(userId: string, keepToken?: string): Promise<number> {
    return this.deps.sessions.deleteForUser(
      this.deps.db,
      userId,
      keepToken === undefined ? undefined : sha256(keepToken),
    );
  }

  purgeExpired(): Promise<number> {
    return this.deps.sessions.purgeExpired(this.deps.db, this.now());
  }
}
