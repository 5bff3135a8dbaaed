import type { Config } from '../config';
import type { Db } from '../db/connection';
import { withTransaction } from '../db/transaction';
import { EmailTakenError, InvalidCredentialsError, SignupsClosedError } from '../errors/session-errors';
import { randomBase62 } from '../lib/ids';
import { decoyHash, hashPassword, verifyPassword } from '../lib/password';
import type { AccountsRepository } from '../repositories/accounts.repository';
import { isUniqueViolation } from '../repositories/idempotency.repository';
import type { LedgerRepository } from '../repositories/ledger.repository';
import type { UserRow, UsersRepository } from '../repositories/users.repository';
import { openAccount } from './account-opening';
import type { LoginThrottle } from './login-throttle';

export const TRIAL_CREDIT_REASON = 'sign-up trial credit';

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/**
 * Dashboard users. Signing up creates the user and the API account it owns in one transaction, with the trial
 * credit recorded in the ledger like any other credit. Signing in is throttled before any password work and takes
 * the same time whether or not the e-mail exists.
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
      config: Pick<Config, 'dashboard'>;
      now?: () => number;
    },
  ) {
    this.now = deps.now ?? Date.now;
  }

  async signUp(input: { email: string; password: string; name: string }, ip: string): Promise<UserRow> {
    const { db, users, accounts, ledger, throttle, config } = this.deps;
    if (!config.dashboard.signups) throw new SignupsClosedError();
    const email = normaliseEmail(input.email);
    await throttle.consumeSignup(ip);
    if (await users.findByEmail(db, email)) throw new EmailTakenError();
    const passwordHash = await hashPassword(input.password, {
      log2N: config.dashboard.scryptLog2N,
      r: 8,
      p: 1,
    });
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
    const { db, users, throttle } = this.deps;
    const email = normaliseEmail(input.email);
    await throttle.assertCanTry(email, ip);
    const user = await users.findByEmail(db, email);
    const params = { log2N: this.deps.config.dashboard.scryptLog2N, r: 8, p: 1 };
    const matches = await verifyPassword(input.password, user?.password_hash ?? (await decoyHash(params)));
    if (!user || !matches) {
      await throttle.recordFailure(email, ip);
      throw new InvalidCredentialsError();
    }
    await throttle.recordSuccess(email, ip);
    await users.touchLogin(db, user.id, this.now());
    return user;
  }
}
