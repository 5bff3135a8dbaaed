import { Router } from 'express';
import type { EngineClient } from '../../clients/engine.client';
import { type Db, pingDb } from '../../platform/db/connection';
import type { Lifecycle } from '../../platform/lifecycle';

/**
 * /healthz: the process is up. /readyz: it should get traffic — the database answers and we are not draining.
 * The engine's state is reported but not required (without it the API still answers 503s quickly and serves
 * /v1/account and /v1/usage).
 */
export function healthRoutes(deps: {
  db: Db;
  engine: EngineClient;
  lifecycle: Lifecycle;
  redisStatus: () => 'ok' | 'down' | 'disabled';
}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    let database: 'ok' | 'down' = 'ok';
    try {
      await pingDb(deps.db);
    } catch {
      database = 'down';
    }
    const ready = database === 'ok' && !deps.lifecycle.draining;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not_ready',
      draining: deps.lifecycle.draining,
      checks: { database, redis: deps.redisStatus(), engine: deps.engine.state() },
    });
  });
  return router;
}
