import { Router } from 'express';
import type { Registry } from 'prom-client';

/** GET /metrics in the Prometheus text format. Served on METRICS_PORT, never on the public API port. */
export function metricsRoutes(registry: Registry): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
