import { createServer } from 'node:http';
import { createServices } from './composition';
import { createApp } from './http/app';
import { createInfrastructure, ensureDemoAccount, reapStaleReservations } from './bootstrap';
import { loadConfigOrExit } from './platform/config';
import { migrateLatest } from './platform/db/connection';
import { createLogger } from './platform/logger';
import { startMetricsServer } from './platform/metrics/metrics-server';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const { deps, close } = createInfrastructure(config, logger);
  const services = createServices(deps);

  if (config.db.migrateOnStart) {
    const applied = await migrateLatest(deps.db);
    if (applied.length) logger.info({ migrations: applied }, 'database migrated');
  }
  const demo = config.demoAccount ? await ensureDemoAccount(services) : undefined;
  if (demo) {
    // Printed once, on the first start of a development install; never logged.
    process.stdout.write(
      `\nDemo account ${demo.accountId} created with $10.00 of credit. Its API key (shown once):\n\n  ${demo.apiKey}\n\n` +
        `Try: curl -s localhost:${config.port}/v1/account -H 'X-API-KEY: ${demo.apiKey}'\n\n`,
    );
  }

  const app = createApp(deps, services);
  const server = createServer(app);
  // While draining, every response closes its connection: keep-alive clients reconnect to another instance.
  server.on('request', (_req, res) => {
    if (deps.lifecycle.draining) res.setHeader('Connection', 'close');
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  logger.info(
    {
      host: config.host,
      // The bound port (PORT=0 picks a free one).
      port: (server.address() as { port?: number } | null)?.port ?? config.port,
      database: config.db.url ? 'mysql' : 'sqlite',
    },
    'gateway listening',
  );

  const metricsServer = await startMetricsServer(services.metrics.registry, {
    host: config.metrics.host,
    port: config.metrics.port,
  });
  logger.info({ host: config.metrics.host, port: metricsServer.port }, 'metrics listening');

  const reaper = setInterval(() => {
    reapStaleReservations(services, logger);
    services.repos.idempotency
      .purgeExpired(deps.db, Date.now())
      .catch((error: unknown) => logger.error({ err: error }, 'idempotency purge failed'));
    services.dashboard.sessions
      .purgeExpired()
      .catch((error: unknown) => logger.error({ err: error }, 'session purge failed'));
  }, config.billing.reaperIntervalS * 1000);
  reaper.unref();

  const meteredDone = async () => {
    while (deps.lifecycle.metered) await new Promise((resolve) => setTimeout(resolve, 50));
  };
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    deps.lifecycle.draining = true;
    clearInterval(reaper);
    // Readiness fails first; the listener stays open SHUTDOWN_DELAY_MS more, until load balancers have noticed.
    const closeListener = () =>
      server.close(() => {
        // The sockets are closed, but handlers whose client went away may still hold reservations: let them settle
        // before the database and the engine channel close (the timeout below still bounds the wait).
        meteredDone()
          .then(() => Promise.all([close(), metricsServer.close()]))
          .then(() => {
            logger.info('stopped');
            process.exit(0);
          })
          .catch((error: unknown) => {
            logger.error({ err: error }, 'error while stopping');
            process.exit(1);
          });
      });
    const stopListening = () => {
      closeListener();
      server.closeIdleConnections();
    };
    if (config.shutdownDelayMs > 0) setTimeout(stopListening, config.shutdownDelayMs);
    else stopListening();
    // In-flight requests have at most the engine deadline plus the download limit to finish.
    setTimeout(
      () => {
        logger.error('shutdown timed out');
        process.exit(1);
      },
      config.shutdownDelayMs + config.engine.timeoutMs + config.images.fetchTimeoutMs + 5_000,
    ).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`gateway failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
