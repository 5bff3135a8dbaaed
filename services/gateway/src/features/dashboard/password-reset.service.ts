import { createHash, randomBytes } from 'node:crypto';
import type { ResetMailer } from './reset-mailer';
import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/connection';
import { withTransaction } from '../../platform/db/transaction';
import { ResetTokenInvalidError } from './session-errors';
import type { Logger } from '../../platform/logger';
import type { PasswordResetsRepository } from './password-resets.repository';
import type { SessionsRepository } from './sessions.repository';
import type { UserRow, UsersRepository } from './users.repository';
import type { LoginThrottle } from './login-throttle';
import type { PasswordHasher } from './password-hasher';
import { normaliseEmail, requireStrong } from './users.service';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
/** 256 random bits, base64url: what a link carries. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Password reset by e-mail. Asking answers the same whether or not the address has an account (and is throttled
 * like a sign-in), and the link is issued and mailed after the answer, so neither body nor time tells. A link holds a
 * random token; only its hash is stored; it works once, until it expires; using it sets the new password, spends
 * the user's other links and signs every session out, in one transaction.
 */
export class PasswordResetService {
  private readonly now: () => number;

  constructor(
    private readonly deps: {
      db: Db;
      users: UsersRepository;
      resets: PasswordResetsRepository;
      sessions: SessionsRepository;
      hasher: PasswordHasher;
      throttle: LoginThrottle;
      mailer: ResetMailer;
      logger?: Logger;
      config: Pick<Config, 'dashboard' | 'publicOrigins'>;
      now?: () => number;
    },
  ) {
    this.now = deps.now ?? Date.now;
  }

  /** Resolves once the request is accepted; the link (if any) is issued and sent afterwards (`delivered`). */
  async request(emailInput: string, ip: string): Promise<{ delivered: Promise<void> }> {
    const { db, users, throttle } = this.deps;
    const email = normaliseEmail(emailInput);
    await throttle.consumeReset(email, ip);
    const user = await users.findByEmail(db, email);
    if (!user) return { delivered: Promise.resolve() };
    // The link is recorded and mailed after the answer: a known address must not take longer to answer.
    const delivered = this.issue(user).catch((error: unknown) => {
      // Codes only: an SMTP error's message can quote the recipient's address.
      const { code, responseCode, command } = error as Record<string, unknown>;
      this.deps.logger?.error(
        { err: { code, responseCode, command } },
        'password reset link could not be issued or sent',
      );
    });
    return { delivered };
  }

  private async issue(user: UserRow): Promise<void> {
    const { db, resets, config } = this.deps;
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    await withTransaction(db, async (trx) => {
      await resets.purgeExpired(trx, now);
      await resets.spendAllForUser(trx, user.id, now);
      await resets.insert(trx, {
        token_hash: sha256(token),
        user_id: user.id,
        created_at: now,
        expires_at: now + config.dashboard.resetTtlMs,
        used_at: null,
      });
    });
    // The fragment is never sent to a server: the token stays out of access logs and Referer headers.
    const link = `${config.publicOrigins[0]}/dashboard/#/reset?token=${token}`;
    await this.deps.mailer.send(user.email, link, Math.round(config.dashboard.resetTtlMs / 60_000));
  }

  /** Sets the new password of a live link's user; 400 reset_token_invalid for any other token. */
  async reset(token: string, newPassword: string): Promise<void> {
    const { db, users, resets, sessions, hasher } = this.deps;
    if (!TOKEN.test(token)) throw new ResetTokenInvalidError();
    const tokenHash = sha256(token);
    const userId = await resets.findLive(db, tokenHash, this.now());
    const user = userId ? await users.findById(db, userId) : undefined;
    if (!user) throw new ResetTokenInvalidError();
    requireStrong(newPassword, [user.email, user.name], 'password');
    const hash = await hasher.hash(newPassword);
    await withTransaction(db, async (trx) => {
      const now = this.now();
      if (!(await resets.spend(trx, tokenHash, now))) throw new ResetTokenInvalidError();
      await users.updatePassword(trx, user.id, hash);
      await resets.spendAllForUser(trx, user.id, now);
      await sessions.deleteForUser(trx, user.id);
    });
  }
}
