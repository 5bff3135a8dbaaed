import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/connection';
import { withTransaction } from '../../platform/db/transaction';
import {
  EmailTakenError,
  InvalidCredentialsError,
  SignInBusyError,
  SignupsClosedError,
  WeakPasswordError,
} from './session-errors';
import { judgePassword } from '../../platform/lib/password-strength';
import { randomBase62 } from '../../platform/lib/ids';
import type { AccountsRepository } from '../accounts/accounts.repository';
import { isUniqueViolation } from '../idempotency/idempotency.repository';
import type { LedgerRepository } from '../billing/ledger.repository';
import type { UserRow, UsersRepository } from './users.repository';
import { openAccount } from '../accounts/account-opening';
import type { LoginThrottle, SignInAttempt } from './login-throttle';
import type { PasswordHasher } from './password-hasher';

export const TRIAL_CREDIT_REASON = 'sign-up trial credit';

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/**
 * Dashboard users. Signing up creates the user and the API account it owns in one transaction, with the trial
 * credit recorded in the ledger like any other credit. Every password check takes an attempt from the throttle
 * first (given back when the password is right, or when the check could not run), runs through the bounded
 * hasher, and takes the same time whether or not the e-mail exists.
 */
export class UsersService {
  private readonly now: () => number;

  constructor(
    private readonly deps: {
      db: Db;
      users: UsersRepository;
      accounts: AccountsRepository;
      ledger: LedgerRepository;
      throttle: LoginThrottle;
      hasher: PasswordHasher;
      config: Pick<Config, 'dashboard'>;
      now?: () => number;
    },
  ) {
    this.now = deps.now ?? Date.now;
  }

  async signUp(input: { email: string; password: string; name: string }, ip: string): Promise<UserRow> {
    const { db, users, accounts, ledger, throttle, hasher, config } = this.deps;
    if (!config.dashboard.signups) throw new SignupsClosedError();
    const email = normaliseEmail(input.email);
    await throttle.consumeSignup(ip);
    if (await users.findByEmail(db, email)) throw new EmailTakenError();
    requireStrong(input.password, [email, input.name], 'password');
    const passwordHash = await hasher.hash(input.password);
    const now = this.now();
    try {
      return await withTransaction(db, async (trx) => {
        const account = await openAccount(
          trx,
          { accounts, ledger },
          {
            name: input.name,
            email,
            balanceMicros: config.dashboard.trialCreditMicros,
            creditReason: TRIAL_CREDIT_REASON,
            now,
          },
        );
        const user: UserRow = {
          id: `usr_${randomBase62(16)}`,
          email,
          name: input.name,
          password_hash: passwordHash,
          account_id: account.id,
          created_at: now,
          last_login_at: now,
        };
        await users.insert(trx, user);
        return user;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTakenError();
      throw error;
    }
  }

  async signIn(input: { email: string; password: string }, ip: string): Promise<UserRow> {
    const { db, users } = this.deps;
    const email = normaliseEmail(input.email);
    const user = await this.checkPassword(email, input.password, ip, async () =>
      users.findByEmail(db, email),
    );
    await users.touchLogin(db, user.id, this.now());
    return user;
  }

  /** Needs the current password (throttled like a sign-in); the caller signs the user's other sessions out. */
  async changePassword(
    user: UserRow,
    input: { currentPassword: string; newPassword: string },
    ip: string,
  ): Promise<void> {
    const { db, users, hasher } = this.deps;
    await this.checkPassword(user.email, input.currentPassword, ip, async () => users.findById(db, user.id));
    requireStrong(input.newPassword, [user.email, user.name], 'new_password');
    await users.updatePassword(db, user.id, await hasher.hash(input.newPassword));
  }

  /**
   * The user whose password this is, or 401. The attempt is taken from the throttle before the user is even
   * looked up; it is given back when the password is right or when the hasher was too busy to check it.
   */
  private async checkPassword(
    email: string,
    password: string,
    ip: string,
    findUser: () => Promise<UserRow | undefined>,
  ): Promise<UserRow> {
    const attempt: SignInAttempt = await this.deps.throttle.take(email, ip);
    let matches: boolean;
    let user: UserRow | undefined;
    try {
      user = await findUser();
      matches = await this.deps.hasher.verify(password, user?.password_hash);
    } catch (error) {
      if (error instanceof SignInBusyError) await attempt.notChecked();
      throw error;
    }
    if (!user || !matches) throw new InvalidCredentialsError();
    await attempt.succeeded();
    return user;
  }
}

/** zxcvbn-ts must judge a new password hard to guess (platform/lib/password-strength.ts); `field` names the form field. */
export function requireStrong(password: string, userInputs: string[], field: string): void {
  const verdict = judgePassword(password, userInputs);
  if (!verdict.ok)
    throw new WeakPasswordError(verdict.reason ?? 'This password is too easy to guess.', field);
}
