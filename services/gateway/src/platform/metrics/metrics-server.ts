import { createServer, type Server } from 'node:http';
import express, { type Router } from 'express';
import type { Registry } from 'prom-client';
import { metricsRoutes } from './metrics.routes';

/**
 * A small HTTP listener for Prometheus (and, in the worker, its probes) on METRICS_PORT: kept off the public port
 * so that volumes and balances-derived figures are not exposed through the API's ingress.
 */
export async function startMetricsServer(
  registry: Registry,
  options: { host: string; port: number; extra?: Router },
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const app = express();
  app.disable('x-powered-by');
  if (options.extra) app.use(options.extra);
  app.use(metricsRoutes(registry));
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : options.port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
