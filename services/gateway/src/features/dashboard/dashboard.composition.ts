import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/connection';
import type { Logger } from '../../platform/logger';
import type { AccountsRepository } from '../accounts/accounts.repository';
import type { ApiKeysRepository } from '../accounts/api-keys.repository';
import type { LedgerRepository } from '../billing/ledger.repository';
import type { RefusedCallsRepository } from '../accounts/refused-calls.repository';
import { SessionsRepository } from './sessions.repository';
import { UsageRepository } from '../accounts/usage.repository';
import { UsersRepository } from './users.repository';
import type { AccountsService } from '../accounts/accounts.service';
import type { BillingService } from '../billing/billing.service';
import { DashboardService } from './dashboard.service';
import type { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { SessionsService } from './sessions.service';
import { UsersService } from './users.service';
import { PasswordResetService } from './password-reset.service';
import { PasswordResetsRepository } from './password-resets.repository';
import { createResetMailer, type ResetMailer } from './reset-mailer';

/** The dashboard's services (users, sessions, what it shows), built on the API's accounts and billing. */
export function createDashboardServices(deps: {
  db: Db;
  config: Config;
  repos: {
    accounts: AccountsRepository;
    apiKeys: ApiKeysRepository;
    ledger: LedgerRepository;
    refusedCalls: RefusedCallsRepository;
  };
  accounts: AccountsService;
  billing: BillingService;
  /** Logs where reset links went when no SMTP server is set (never the address). */
  logger: Logger;
  throttle: LoginThrottle;
  /** Where password reset links go: SMTP_URL, else the log (reset-mailer.ts); tests capture them. */
  mailer?: ResetMailer;
}) {
  const { db, config, repos } = deps;
  const usersRepo = new UsersRepository();
  const sessionsRepo = new SessionsRepository();
  // One hasher, so that sign-ins, sign-ups and resets share the same bound on scrypt work.
  const hasher = new PasswordHasher(config);
  const users = new UsersService({
    db,
    config,
    users: usersRepo,
    accounts: repos.accounts,
    ledger: repos.ledger,
    throttle: deps.throttle,
    hasher,
  });
  const sessions = new SessionsService({ db, config, sessions: sessionsRepo, users: usersRepo });
  const passwordResets = new PasswordResetService({
    db,
    config,
    users: usersRepo,
    resets: new PasswordResetsRepository(),
    sessions: sessionsRepo,
    hasher,
    throttle: deps.throttle,
    mailer: deps.mailer ?? createResetMailer(config, deps.logger),
    logger: deps.logger,
  });
  const dashboard = new DashboardService({
    db,
    accounts: deps.accounts,
    billing: deps.billing,
    apiKeys: repos.apiKeys,
    usage: new UsageRepository(),
    refusedCalls: repos.refusedCalls,
  });
  return { users, sessions, dashboard, passwordResets };
}
