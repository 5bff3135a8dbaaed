import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { EngineClient } from './clients/engine.client';
import { AccountsRepository } from './features/accounts/accounts.repository';
import { AccountsService } from './features/accounts/accounts.service';
import { ApiKeysRepository } from './features/accounts/api-keys.repository';
import { AuthService } from './features/accounts/auth.service';
import { RefusedCallsRepository } from './features/accounts/refused-calls.repository';
import { BillingService } from './features/billing/billing.service';
import { LedgerRepository } from './features/billing/ledger.repository';
import { MeteringService } from './features/billing/metering.service';
import { ReservationsRepository } from './features/billing/reservations.repository';
import { StripeRepository } from './features/billing/stripe.repository';
import { createStripeClient, TopupService } from './features/billing/topup.service';
import { createDashboardServices } from './features/dashboard/dashboard.composition';
import { LoginThrottle } from './features/dashboard/login-throttle';
import type { ResetMailer } from './features/dashboard/reset-mailer';
import { FaceService } from './features/face/face.service';
import { ImageService } from './features/face/image.service';
import { SandboxService } from './features/face/sandbox.service';
import { IdempotencyRepository } from './features/idempotency/idempotency.repository';
import { IdempotencyService } from './features/idempotency/idempotency.service';
import { JobsRepository } from './features/jobs/jobs.repository';
import { JobsService } from './features/jobs/jobs.service';
import type { JobQueue } from './features/jobs/queue';
import type { Config } from './platform/config';
import type { Db } from './platform/db/connection';
import type { ImageFetcher } from './platform/fetch/image-fetcher';
import type { Lifecycle } from './platform/lifecycle';
import type { Logger } from './platform/logger';
import { createGatewayMetrics, type GatewayMetrics } from './platform/metrics/gateway-metrics';
import { instrumentEngine } from './clients/instrumented-engine';
import type { AccountSlots } from './platform/redis/account-slots';
import { createTestModeLimiter } from './platform/redis/rate-limiter';

/** Infrastructure the gateway runs on: real in bootstrap.ts, real DB/Redis plus a fake engine in tests. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Db;
  engine: EngineClient;
  imageFetcher: ImageFetcher;
  rateLimiter: RateLimiterAbstract;
  /** Requests per account and window (ACCOUNT_RATE_LIMIT_POINTS); counted in this process when absent. */
  accountLimiter?: RateLimiterAbstract;
  /** Requests in flight per account (ACCOUNT_MAX_CONCURRENT); counted in this process when absent. */
  accountSlots?: AccountSlots;
  lifecycle?: Lifecycle;
  redisStatus?: () => 'ok' | 'down' | 'disabled';
  /** Prometheus metrics (served on METRICS_PORT by main.ts); a fresh registry when absent. */
  metrics?: GatewayMetrics;
  /** Test-mode requests per account (TEST_RATE_LIMIT_POINTS); counted in this process when absent. */
  testModeLimiter?: RateLimiterAbstract;
  /** Dashboard sign-in and sign-up limits (Redis-backed in main.ts); counted in this process when absent. */
  loginThrottle?: LoginThrottle;
  /** BullMQ producer for batch jobs; without it (no Redis) POST /v1/jobs answers 501 jobs_not_enabled. */
  queue?: JobQueue;
  /** Where password reset links go; from the config (SMTP_URL, else the log) when absent. */
  resetMailer?: ResetMailer;
}

export type Services = ReturnType<typeof createServices>;

/** Accounts and balances on the database alone: what the admin CLI needs (no engine, no Redis). */
export function createAccountServices(deps: Pick<AppDeps, 'config' | 'db'>) {
  const { config, db } = deps;
  const repos = {
    accounts: new AccountsRepository(),
    apiKeys: new ApiKeysRepository(),
    ledger: new LedgerRepository(),
    reservations: new ReservationsRepository(),
    idempotency: new IdempotencyRepository(),
    refusedCalls: new RefusedCallsRepository(),
  };
  const billing = new BillingService({ db, config, ...repos });
  const accounts = new AccountsService({ db, config, billing, ...repos });
  return { repos, billing, accounts };
}

/**
 * The composition root: every repository and service of the API and the worker, built once per process on its
 * infrastructure. The engine calls are counted in `metrics` (a fresh registry when the deps bring none).
 */
export function createServices(deps: AppDeps) {
  const { config, logger, db } = deps;
  const metrics = deps.metrics ?? createGatewayMetrics();
  const engine = instrumentEngine(deps.engine, metrics);
  const { repos, billing, accounts } = createAccountServices(deps);
  // Adding credit: Stripe Checkout when configured (the official SDK), else the operator's link or instructions.
  const topup = new TopupService({
    db,
    config,
    accounts,
    accountsRepo: repos.accounts,
    ledger: repos.ledger,
    billing,
    stripeRepo: new StripeRepository(),
    ...(config.topup.stripe ? { stripe: createStripeClient(config.topup.stripe) } : {}),
    logger,
  });
  const auth = new AuthService({ db, apiKeys: repos.apiKeys, config, logger });
  const idempotency = new IdempotencyService({ db, repo: repos.idempotency, config, logger });
  const metering = new MeteringService({
    db,
    accounts: repos.accounts,
    billing,
    logger,
    ...(deps.lifecycle ? { lifecycle: deps.lifecycle } : {}),
  });
  // One image intake for the API, the sandbox, the playground and batch items; its logger says why a download
  // failed (the client sees one message for every cause).
  const images = new ImageService(config, deps.imageFetcher, logger);
  const sandbox = new SandboxService({
    db,
    images,
    accounts: repos.accounts,
    limiter: deps.testModeLimiter ?? createTestModeLimiter(config),
  });
  const face = new FaceService({ images, engine, metering });
  const jobs = new JobsService({
    db,
    repo: new JobsRepository(),
    face,
    metering,
    config,
    logger,
    metrics,
    ...(deps.queue ? { queue: deps.queue } : {}),
    ...(deps.accountLimiter ? { accountLimiter: deps.accountLimiter } : {}),
  });
  const dashboard = createDashboardServices({
    db,
    config,
    repos,
    accounts,
    billing,
    logger,
    throttle: deps.loginThrottle ?? new LoginThrottle(config),
    mailer: deps.resetMailer,
  });
  return {
    repos,
    billing,
    accounts,
    auth,
    idempotency,
    metering,
    face,
    sandbox,
    jobs,
    dashboard,
    topup,
    engine,
    metrics,
  };
}
