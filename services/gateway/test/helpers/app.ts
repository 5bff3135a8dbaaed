import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { createServices, type AppDeps, type Services } from '../../src/composition';
import { createApp } from '../../src/http/app';
import { GrpcEngineClient } from '../../src/clients/engine.client';
import { ImageFetcher, type LookupFn } from '../../src/platform/fetch/image-fetcher';
import { createAccountSlots } from '../../src/platform/redis/account-slots';
import {
  createAccountRateLimiter,
  createRateLimiter,
  createTestModeLimiter,
} from '../../src/platform/redis/rate-limiter';
import { LoginThrottle } from '../../src/features/dashboard/login-throttle';
import { type Config, loadConfig } from '../../src/platform/config';
import { createDb, migrateLatest, type Db } from '../../src/platform/db/connection';
import { createLogger, type Logger } from '../../src/platform/logger';
import { createDatabase, type DbKind, type TestDatabase } from './database';
import { FakeEngine } from '@deepface/fake-engine';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestGateway {
  app: Express;
  config: Config;
  db: Db;
  services: Services;
  engine: FakeEngine;
  deps: AppDeps;
  logger: Logger;
  logs: string[];
  redis?: Redis;
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  db?: DbKind;
  env?: Record<string, string>;
  /** Use Redis for rate limits (a unique key prefix per gateway). */
  redis?: boolean;
  lookup?: LookupFn;
  /** Start no engine: its address refuses connections. */
  noEngine?: boolean;
  /** Where password reset links go (default: the config's choice, the log without SMTP_URL). */
  resetMailer?: AppDeps['resetMailer'];
}

/**
 * The real app on a real database (MariaDB by default, or SQLite), a fake gRPC engine on loopback, and logs
 * captured in memory (so tests can assert what is never logged).
 */
export async function startGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const database: TestDatabase = await createDatabase(options.db ?? 'mysql');
  const engine = new FakeEngine();
  if (!options.noEngine) await engine.start();
  const prefix = `gw_test_${randomBytes(4).toString('hex')}:`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    ENGINE_ADDRESS: options.noEngine ? '127.0.0.1:1' : engine.address,
    ENGINE_TIMEOUT_MS: '2000',
    RATE_LIMIT_POINTS: '100000',
    // Suites that test the account limits set them (test/integration/account-fairness.test.ts).
    ACCOUNT_RATE_LIMIT_POINTS: '100000',
    ACCOUNT_MAX_CONCURRENT: '0',
    ACCOUNT_MAX_KEYS: '1000',
    IMAGE_FETCH_TIMEOUT_MS: '2000',
    RESERVATION_TTL_S: '60',
    IDEMPOTENCY_WAIT_MS: '10000',
    ...database.env,
    ...(options.redis ? { REDIS_URL, REDIS_KEY_PREFIX: prefix } : {}),
    ...options.env,
  });
  const logs: string[] = [];
  const logger = createLogger(config.logLevel, { write: (line: string) => void logs.push(line) });
  const db = createDb(config, logger);
  await migrateLatest(db);
  const redis = options.redis
    ? new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false })
    : undefined;
  if (redis) await new Promise((resolve) => redis.once('ready', resolve));
  const engineClient = new GrpcEngineClient(config, logger);
  const imageFetcher = new ImageFetcher(config, options.lookup);
  const deps: AppDeps = {
    config,
    logger,
    db,
    engine: engineClient,
    imageFetcher,
    rateLimiter: createRateLimiter(config, redis),
    accountLimiter: createAccountRateLimiter(config, redis),
    testModeLimiter: createTestModeLimiter(config, redis),
    accountSlots: createAccountSlots(config, redis, logger),
    loginThrottle: new LoginThrottle(config, redis),
    lifecycle: { draining: false },
    redisStatus: () => (redis ? (redis.status === 'ready' ? 'ok' : 'down') : 'disabled'),
    resetMailer: options.resetMailer,
  };
  const app = createApp(deps);
  return {
    app,
    config,
    db,
    services: createServices(deps),
    engine,
    deps,
    logger,
    logs,
    redis,
    async close() {
      engineClient.close();
      await imageFetcher.close();
      await engine.stop();
      if (redis) {
        redis.disconnect();
        // A separate connection: the test may have cut the app's on purpose.
        const cleaner = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
        const keys = await cleaner.keys(`${prefix}*`);
        if (keys.length) await cleaner.del(...keys);
        await cleaner.quit();
      }
      await db.destroy();
      await database.drop();
    },
  };
}

/** An account with a key, funded with `balance` micros. */
export async function createCustomer(
  gw: Pick<TestGateway, 'services'>,
  opts: {
    balanceMicros?: number;
    mode?: 'live' | 'test';
    prices?: { verify?: number; analyze?: number; lookalike?: number };
  } = {},
) {
  const account = await gw.services.accounts.createAccount({
    name: 'Test customer',
    balanceMicros: opts.balanceMicros ?? 10_000_000,
    prices: opts.prices,
  });
  const { key, row } = await gw.services.accounts.createKey(account.id, opts.mode ?? 'live', 'test');
  return { account, key, keyId: row.id };
}

/** A port free right now (for a server whose configuration must name its port, e.g. PUBLIC_ORIGIN). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:http');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no address');
  return address.port;
}

export async function listen(app: Express, port = 0): Promise<{ server: Server; url: string }> {
  const { createServer } = await import('node:http');
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return { server, url: `http://127.0.0.1:${address.port}` };
}
