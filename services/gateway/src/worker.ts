// The BullMQ worker: runs batch jobs and delivers their webhooks with the gateway's own services (same billing,
// same engine client, same SSRF-safe fetcher). Started as `node dist/worker.js`; serves /healthz, /readyz and
// /metrics on METRICS_PORT. On SIGTERM it stops taking jobs, lets in-flight items finish, hands the rest of its
// jobs back to the queue and exits 0.
import { Router } from 'express';
import { createServices } from './composition';
import { createInfrastructure, reapStaleReservations } from './bootstrap';
import { loadConfigOrExit } from './platform/config';
import { pingDb } from './platform/db/connection';
import { createLogger } from './platform/logger';
import { startMetricsServer } from './platform/metrics/metrics-server';
import { startJobWorkers } from './features/jobs/job-worker';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel).child({ component: 'worker' });
  if (!config.redis.url) {
    logger.fatal('the worker needs REDIS_URL (BullMQ)');
    process.exit(78);
  }
  const { deps, close } = createInfrastructure(config, logger);
  const services = createServices(deps);
  const { metrics } = services;
  const lifecycle = deps.lifecycle;

  const workers = startJobWorkers({ config, logger, jobs: services.jobs, metrics });

  const probes = Router();
  probes.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  probes.get('/readyz', async (_req, res) => {
    let database: 'ok' | 'down' = 'ok';
    try {
      await pingDb(deps.db);
    } catch {
      database = 'down';
    }
    const ready = database === 'ok' && !lifecycle.draining && workers.running();
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', draining: lifecycle.draining });
  });
  const http = await startMetricsServer(metrics.registry, {
    host: config.metrics.host,
    port: config.metrics.port,
    extra: probes,
  });
  logger.info({ host: config.metrics.host, port: http.port }, 'worker started: probes and metrics listening');

  // Housekeeping shared with the API processes: stale reservations, stalled jobs, expired results.
  const housekeeping = setInterval(() => {
    reapStaleReservations(services, logger);
    services.jobs
      .sweep()
      .then(({ requeued, purged }) => {
        if (requeued || purged) logger.info({ requeued, purged }, 'jobs swept');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'job sweep failed'));
  }, config.billing.reaperIntervalS * 1000);
  housekeeping.unref();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    lifecycle.draining = true;
    clearInterval(housekeeping);
    logger.info({ signal }, 'draining: finishing in-flight items');
    const timeout = setTimeout(
      () => {
        logger.error('shutdown timed out');
        process.exit(1);
      },
      config.engine.timeoutMs + config.images.fetchTimeoutMs * 2 + 15_000,
    );
    timeout.unref();
    workers
      .close()
      .then(() => Promise.all([close(), http.close()]))
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
