// Composition root: configuration → logger → worker pool → gRPC server, and signal handling.
import * as path from 'node:path';
import { configOrExit } from '@deepface/config';
import { type EngineConfig, loadConfig, workerInit } from './config';
import { createEngineServer } from './transport/grpc/server';
import { createLogger } from './log';
import { createEngineMetrics, startMetricsServer } from './metrics/engine-metrics';
import { WorkerPool } from './scheduler/pool';

// V8's parallel GC threads compete with the other inference workers for the same cores (measured: ~80 ms of
// extra CPU per verification; 2 workers gave 1.2× one worker instead of 1.6×). The flag must be given when node
// starts (V8 aborts if it is set later): `node --single-threaded-gc dist/main.js`, as every launcher here does.
const ENGINE_NODE_FLAGS = ['--single-threaded-gc'];
// glibc gives each thread that allocates (workers, libvips', libuv's) a malloc arena of its own and keeps what was
// freed in it: MALLOC_ARENA_MAX=2 measured 476 → 398 MB for the 1-worker engine, 295 → 288 MB per worker, at the
// same CPU per Verify. glibc reads it when the process starts, so every launcher sets it (package.json start,
// scripts/start.mjs, the images' ENV); elsewhere than glibc it means nothing.
const ENGINE_ENV: Record<string, string> = { MALLOC_ARENA_MAX: '2' };

async function main(): Promise<void> {
  const config: EngineConfig = configOrExit(() => loadConfig());
  const logger = createLogger(config.logLevel);
  const missing = ENGINE_NODE_FLAGS.filter((f) => !process.execArgv.includes(f));
  if (missing.length > 0)
    logger.warn({ missing }, 'started without the recommended node flags: workers will scale worse');
  const unset = Object.keys(ENGINE_ENV).filter((name) => process.env[name] === undefined);
  if (process.platform === 'linux' && unset.length > 0)
    logger.warn(
      { unset, recommended: ENGINE_ENV },
      'started without the recommended environment: glibc keeps more freed memory per thread',
    );
  const handlerFile = path.resolve(config.workerFile ?? path.join(__dirname, 'worker.js'));

  const loadStart = Date.now();
  const pool = new WorkerPool({
    handlerFile,
    workers: config.workers,
    queueSize: config.queueSize,
    init: workerInit(config),
    logger,
    onWorkerReady: ({ ready, total, backend }) =>
      logger.info({ ready, total, backend }, `loading models… ${ready}/${total} workers ready`),
  });
  let backend: string | undefined;
  pool.ready.then(
    (ready) => (backend = ready.backend),
    () => undefined,
  );
  let exiting = false;
  const metrics = createEngineMetrics(
    { stats: () => pool.stats(), backend: () => backend, serving: () => !exiting && pool.isReady() },
    { processMetrics: true },
  );
  const server = createEngineServer({ config, pool, logger, observe: metrics.observe });

  const stop = (signal: NodeJS.Signals) => {
    if (exiting) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    exiting = true;
    logger.info({ signal }, 'shutting down');
    server.shutdown().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  const port = await server.start();
  const metricsServer = await startMetricsServer(metrics.registry, config.metricsHost, config.metricsPort);
  metricsServer.server.unref();
  logger.info({ host: config.metricsHost, port: metricsServer.port }, 'metrics listening');
  logger.info(
    {
      host: config.host,
      port,
      workers: config.workers,
      queueSize: config.queueSize,
      handlerFile,
      // What guards the port (never the token itself).
      tls: config.tls ? (config.tls.ca ? 'mutual' : 'server') : 'off',
      token: config.authToken !== undefined,
      reflection: config.reflection,
    },
    `listening on ${config.host}:${port}; loading models in ${config.workers} workers`,
  );

  const loopback = /^(127\.|::1$|localhost$)/.test(config.host);
  if (!loopback && !config.authToken && !config.tls?.ca) {
    logger.warn(
      { host: config.host },
      'the engine accepts calls from anyone who reaches this port: set ENGINE_AUTH_TOKEN or mutual TLS (ENGINE_TLS_*), or keep a NetworkPolicy in front',
    );
  }

  // Loading takes seconds: say so periodically, in case a worker is slow or stuck.
  const progress = setInterval(() => {
    const { readyWorkers, workers } = pool.stats();
    logger.info(
      { ready: readyWorkers, total: workers },
      `loading models… ${readyWorkers}/${workers} workers ready`,
    );
  }, 5000);
  try {
    const { backend } = await pool.ready;
    logger.info(
      { backend, workers: config.workers, loadMs: Date.now() - loadStart },
      `ready: serving on ${config.host}:${port} with the ${backend} backend`,
    );
  } catch (error) {
    if (exiting) return; // closed by a signal while loading: stop() exits
    logger.fatal({ err: error }, 'workers failed to load models; exiting');
    await server.shutdown();
    process.exit(1);
  } finally {
    clearInterval(progress);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `engine failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
