import express, { type Express } from 'express';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { EngineClient } from '../clients/engine.client';
import type { ImageFetcher } from '../platform/fetch/image-fetcher';
import type { Config } from '../platform/config';
import type { Db } from '../platform/db/connection';
import type { Lifecycle } from '../platform/lifecycle';
import type { Logger } from '../platform/logger';
import { accessLog } from '../platform/http/middleware/access-log';
import { accountConcurrency } from '../platform/http/middleware/account-concurrency';
import { MemorySlots, type AccountSlots } from '../platform/redis/account-slots';
import { createTestModeLimiter } from '../platform/redis/rate-limiter';
import { authenticate } from '../features/accounts/auth.middleware';
import { createAccountRateLimiter } from '../platform/redis/rate-limiter';
import { errorHandler, notFound } from '../platform/http/middleware/error-handler';
import { jsonBody } from '../platform/http/middleware/json-body';
import { rateLimit } from '../platform/http/middleware/rate-limit';
import { recordRefusedCalls } from '../features/accounts/refused-calls.middleware';
import { requestId } from '../platform/http/middleware/request-id';
import { securityHeaders } from '../platform/http/middleware/security-headers';
import { AccountsRepository } from '../features/accounts/accounts.repository';
import { ApiKeysRepository } from '../features/accounts/api-keys.repository';
import { IdempotencyRepository } from '../features/idempotency/idempotency.repository';
import { LedgerRepository } from '../features/billing/ledger.repository';
import { RefusedCallsRepository } from '../features/accounts/refused-calls.repository';
import { ReservationsRepository } from '../features/billing/reservations.repository';
import { accountRoutes } from '../features/accounts/accounts.routes';
import { billingDashboardRoutes, stripeWebhookRoutes } from '../features/billing/billing.routes';
import { dashboardRoutes } from '../features/dashboard/dashboard.routes';
import { docsRoutes } from '../features/docs/docs.routes';
import { faceRoutes } from '../features/face/face.routes';
import { healthRoutes } from '../features/health/health.routes';
import { jobsRoutes } from '../features/jobs/jobs.routes';
import { JobsRepository } from '../features/jobs/jobs.repository';
import { JobsService } from '../features/jobs/jobs.service';
import type { JobQueue } from '../features/jobs/queue';
import { createGatewayMetrics, type GatewayMetrics } from '../platform/metrics/gateway-metrics';
import { httpMetrics } from '../platform/metrics/http-metrics';
import { instrumentEngine } from '../platform/metrics/instrumented-engine';
import { AccountsService } from '../features/accounts/accounts.service';
import { AuthService } from '../features/accounts/auth.service';
import { createDashboardServices } from '../features/dashboard/dashboard.composition';
import type { ResetMailer } from '../features/dashboard/reset-mailer';
import { BillingService } from '../features/billing/billing.service';
import { FaceService } from '../features/face/face.service';
import { IdempotencyService } from '../features/idempotency/idempotency.service';
import { ImageService } from '../features/face/image.service';
import { LoginThrottle } from '../features/dashboard/login-throttle';
import { MeteringService } from '../features/billing/metering.service';
import { SandboxService } from '../features/face/sandbox.service';
import { StripeRepository } from '../features/billing/stripe.repository';
import { createStripeClient, TopupService } from '../features/billing/topup.service';

/** Infrastructure the app runs on: real in main.ts, real DB/Redis plus a fake engine in tests. */
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
  /** BullMQ producer for batch jobs; without it (no Redis) POST /v1/jobs answers 503. */
  queue?: JobQueue;
  /** Where password reset links go; from the config (SMTP_URL, else the log) when absent. */
  resetMailer?: ResetMailer;
}

export type Services = ReturnType<typeof createServices>;

/** The composition root for everything above the infrastructure (also used by the admin CLI and tests). */
export function createServices(deps: Pick<AppDeps, 'config' | 'logger' | 'db'> & Partial<AppDeps>) {
  const { config, logger, db } = deps;
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
  // One image intake for the API, the sandbox and the playground; its logger says why a download failed (the
  // client sees one message for every cause).
  const images = deps.imageFetcher ? new ImageService(config, deps.imageFetcher, logger) : undefined;
  const sandbox = images
    ? new SandboxService({
        db,
        images,
        accounts: repos.accounts,
        limiter: deps.testModeLimiter ?? createTestModeLimiter(config),
      })
    : undefined;
  const face =
    deps.engine && images
      ? new FaceService({
          images,
          engine: deps.engine,
          metering,
        })
      : undefined;
  const jobs = face
    ? new JobsService({
        db,
        repo: new JobsRepository(),
        face,
        metering,
        config,
        logger,
        ...(deps.queue ? { queue: deps.queue } : {}),
        ...(deps.metrics ? { metrics: deps.metrics } : {}),
        ...(deps.accountLimiter ? { accountLimiter: deps.accountLimiter } : {}),
      })
    : undefined;
  const dashboard = createDashboardServices({
    db,
    config,
    repos,
    accounts,
    billing,
    metering,
    face,
    engine: deps.engine,
    logger,
    throttle: deps.loginThrottle ?? new LoginThrottle(config),
    mailer: deps.resetMailer,
  });
  return { repos, billing, accounts, auth, idempotency, metering, face, sandbox, jobs, dashboard, topup };
}

/** Builds the Express app without listening. */
export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const metrics = deps.metrics ?? createGatewayMetrics();
  const services = createServices({ ...deps, metrics, engine: instrumentEngine(deps.engine, metrics) });
  const lifecycle = deps.lifecycle ?? { draining: false };
  const accountLimiter = deps.accountLimiter ?? createAccountRateLimiter(config);
  const accountSlots = deps.accountSlots ?? new MemorySlots(config.rateLimit.accountConcurrency);

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // TRUST_PROXY (off by default): req.ip, and so the per-IP limits, then come from the trusted proxies'
  // X-Forwarded-For instead of the socket, which behind a proxy is the proxy for every client.
  app.set('trust proxy', config.trustProxy);
  app.set('json spaces', 0);

  app.use(httpMetrics(metrics), requestId(), securityHeaders(), accessLog(logger));
  app.use(
    healthRoutes({
      db: deps.db,
      engine: deps.engine,
      lifecycle,
      redisStatus: deps.redisStatus ?? (() => 'disabled'),
    }),
  );

  // The OpenAPI document, the documentation UI (/docs) and the Postman files: public, no key.
  app.use(docsRoutes(config.publicOrigins[0]!));
  // The dashboard (/dashboard) and its session-authenticated JSON API (/dashboard/api).
  app.use(
    dashboardRoutes({
      config,
      ...services.dashboard,
      rateLimiter: deps.rateLimiter,
      accountLimiter,
      accountSlots,
      billing: billingDashboardRoutes({ config, topup: services.topup }),
    }),
  );
  // Stripe's signed webhook (only when Stripe is configured; 404 otherwise): credits paid top-ups once.
  app.use(stripeWebhookRoutes(services.topup));

  const v1 = express.Router();
  // Order is the contract: who you are, how fast you may go, then (only then) read the body.
  v1.use(
    // Refused calls of a known account (status, route, code; no body) for the dashboard, after the response.
    recordRefusedCalls({ db: deps.db, repo: services.repos.refusedCalls, logger }),
    authenticate(services.auth),
    rateLimit(deps.rateLimiter, accountLimiter, logger),
    accountConcurrency(config.rateLimit.accountConcurrency, accountSlots),
    ...jsonBody(config.bodyLimitBytes),
  );
  v1.use(faceRoutes(services.face!, services.sandbox!, services.idempotency));
  v1.use(accountRoutes(services.accounts, services.billing));
  v1.use(jobsRoutes(services.jobs!, services.idempotency, config.jobs.maxItems));
  app.use('/v1', v1);

  app.use(notFound());
  app.use(errorHandler(logger, config.bodyLimitBytes));
  return app;
}
