import express, { type Express } from 'express';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { EngineClient } from './clients/engine.client';
import type { ImageFetcher } from './clients/image-fetcher';
import type { Config } from './config';
import type { Db } from './db/connection';
import type { Lifecycle } from './lifecycle';
import type { Logger } from './logger';
import { accessLog } from './middleware/access-log';
import { accountConcurrency } from './middleware/account-concurrency';
import { MemorySlots, type AccountSlots } from './clients/account-slots';
import { createTestModeLimiter } from './clients/rate-limiter';
import { authenticate } from './middleware/auth';
import { createAccountRateLimiter } from './clients/rate-limiter';
import { errorHandler, notFound } from './middleware/error-handler';
import { jsonBody } from './middleware/json-body';
import { rateLimit } from './middleware/rate-limit';
import { recordRefusedCalls } from './middleware/refused-calls';
import { requestId } from './middleware/request-id';
import { securityHeaders } from './middleware/security-headers';
import { AccountsRepository } from './repositories/accounts.repository';
import { ApiKeysRepository } from './repositories/api-keys.repository';
import { IdempotencyRepository } from './repositories/idempotency.repository';
import { LedgerRepository } from './repositories/ledger.repository';
import { RefusedCallsRepository } from './repositories/refused-calls.repository';
import { ReservationsRepository } from './repositories/reservations.repository';
import { accountRoutes } from './routes/account.routes';
import { billingDashboardRoutes, stripeWebhookRoutes } from './routes/billing.routes';
import { dashboardRoutes } from './routes/dashboard.routes';
import { docsRoutes } from './routes/docs.routes';
import { faceRoutes } from './routes/face.routes';
import { healthRoutes } from './routes/health.routes';
import { jobsRoutes } from './routes/jobs.routes';
import { JobsRepository } from './jobs/jobs.repository';
import { JobsService } from './jobs/jobs.service';
import type { JobQueue } from './jobs/queue';
import { createGatewayMetrics, type GatewayMetrics } from './metrics/gateway-metrics';
import { httpMetrics } from './metrics/http-metrics';
import { instrumentEngine } from './metrics/instrumented-engine';
import { AccountsService } from './services/accounts.service';
import { AuthService } from './services/auth.service';
import { createDashboardServices } from './services/dashboard.composition';
import type { ResetMailer } from './clients/reset-mailer';
import { BillingService } from './services/billing.service';
import { FaceService } from './services/face.service';
import { IdempotencyService } from './services/idempotency.service';
import { ImageService } from './services/image.service';
import { LoginThrottle } from './services/login-throttle';
import { MeteringService } from './services/metering.service';
import { SandboxService } from './services/sandbox.service';
import { StripeRepository } from './repositories/stripe.repository';
import { createStripeClient, TopupService } from './services/topup.service';

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
