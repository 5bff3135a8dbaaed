import express, { type Express } from 'express';
import { createServices, type AppDeps, type Services } from '../composition';
import { accountRoutes } from '../features/accounts/accounts.routes';
import { authenticate } from '../features/accounts/auth.middleware';
import { recordRefusedCalls } from '../features/accounts/refused-calls.middleware';
import { billingDashboardRoutes, stripeWebhookRoutes } from '../features/billing/billing.routes';
import { dashboardRoutes } from '../features/dashboard/dashboard.routes';
import { docsRoutes } from '../features/docs/docs.routes';
import { faceRoutes } from '../features/face/face.routes';
import { healthRoutes } from '../features/health/health.routes';
import { jobsRoutes } from '../features/jobs/jobs.routes';
import { accessLog } from '../platform/http/middleware/access-log';
import { accountConcurrency } from '../platform/http/middleware/account-concurrency';
import { errorHandler, notFound } from '../platform/http/middleware/error-handler';
import { jsonBody } from '../platform/http/middleware/json-body';
import { rateLimit } from '../platform/http/middleware/rate-limit';
import { requestId } from '../platform/http/middleware/request-id';
import { securityHeaders } from '../platform/http/middleware/security-headers';
import { httpMetrics } from '../platform/metrics/http-metrics';
import { MemorySlots } from '../platform/redis/account-slots';
import { createAccountRateLimiter } from '../platform/redis/rate-limiter';

/**
 * The Express app, without listening: the middleware order and where each feature's routes are mounted. It runs
 * on the services composed once per process (composition.ts); tests may let it compose its own.
 */
export function createApp(deps: AppDeps, services: Services = createServices(deps)): Express {
  const { config, logger } = deps;
  const metrics = services.metrics;
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
      face: services.face,
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
  v1.use(faceRoutes(services.face, services.sandbox, services.idempotency));
  v1.use(accountRoutes(services.accounts, services.billing));
  v1.use(jobsRoutes(services.jobs, services.idempotency, config.jobs.maxItems));
  app.use('/v1', v1);

  app.use(notFound());
  app.use(errorHandler(logger, config.bodyLimitBytes));
  return app;
}
