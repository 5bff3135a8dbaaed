import { z } from 'zod';
import { dollarsToMicros } from './lib/money';

/**
 * Every setting the gateway reads, validated once at start. A bad value stops the process with every problem
 * listed; nothing else in the code reads process.env.
 */
const MiB = 1024 * 1024;

const bool = z.stringbool({ truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off'] });
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const csv = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim().toLowerCase())
      .filter(Boolean),
  );
// Origins (scheme://host[:port]) as browsers send them in `Origin`: no path, query or credentials.
const origins = z.string().transform((value, ctx) => {
  const list: string[] = [];
  for (const part of value
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    let url: URL | undefined;
    try {
      url = new URL(part);
    } catch {
      url = undefined;
    }
    if (
      !url ||
      !['http:', 'https:'].includes(url.protocol) ||
      url.username ||
      url.password ||
      url.pathname !== '/' ||
      url.search ||
      url.hash
    ) {
      ctx.issues.push({ code: 'custom', input: part, message: `"${part}" is not an http(s) origin` });
      return z.NEVER;
    }
    list.push(url.origin);
  }
  return list;
});
const price = z.coerce
  .number()
  .min(0)
  .max(1000)
  .transform((d) => dollarsToMicros(d));

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('0.0.0.0'),
    PORT: int(0, 65535).default(8080),
    // Where browsers reach this gateway (comma list): the dashboard takes state changes only from these (Host and
    // Origin, against DNS rebinding); the Postman environment points at the first. Unset: localhost and 127.0.0.1
    // on PORT.
    PUBLIC_ORIGIN: origins.optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    DATABASE_URL: z
      .url({ protocol: /^mysql2?$/ })
      .optional()
      .describe('mysql://user:pass@host:3306/db; unset = embedded SQLite'),
    SQLITE_FILE: z.string().default('.data/gateway.sqlite'),
    DB_POOL_MAX: int(1, 200).default(10),
    DB_ACQUIRE_TIMEOUT_MS: int(100, 60_000).default(2_000),
    MIGRATE_ON_START: bool.optional(),

    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    REDIS_KEY_PREFIX: z.string().default('deepface:'),

    ENGINE_ADDRESS: z.string().min(1).default('127.0.0.1:50051'),
    ENGINE_TIMEOUT_MS: int(100, 600_000).default(20_000),
    ENGINE_MAX_ATTEMPTS: int(1, 3).default(3),
    ENGINE_KEEPALIVE_MS: int(10_000, 3_600_000).default(30_000),
    ENGINE_BREAKER_RESET_MS: int(100, 600_000).default(10_000),
    ENGINE_BREAKER_VOLUME: int(1, 1000).default(5),

    BODY_LIMIT_BYTES: int(1024, 100 * MiB).default(16 * MiB),
    IMAGE_MAX_BYTES: int(1024, 50 * MiB).default(5 * MiB),
    IMAGE_MAX_PIXELS: int(1, 500_000_000).default(40_000_000),
    IMAGE_FETCH_TIMEOUT_MS: int(100, 60_000).default(10_000),
    IMAGE_FETCH_MAX_REDIRECTS: int(0, 10).default(3),
    IMAGE_FETCH_ALLOW_HOSTS: csv,

    PRICE_VERIFY_USD: price.prefault(0.25),
    PRICE_ANALYZE_USD: price.prefault(0.3),
    PRICE_LOOKALIKE_USD: price.prefault(0.2),
    RESERVATION_TTL_S: int(30, 86_400).default(300),
    REAPER_INTERVAL_S: int(1, 3600).default(30),

    IDEMPOTENCY_TTL_H: int(24, 24 * 30).default(24),
    IDEMPOTENCY_WAIT_MS: int(0, 120_000).default(30_000),

    RATE_LIMIT_POINTS: int(1, 1_000_000).default(120),
    RATE_LIMIT_WINDOW_S: int(1, 86_400).default(60),
    // Test-mode (df_test_ key) requests per account per RATE_LIMIT_WINDOW_S: sample images only, no engine, free.
    TEST_RATE_LIMIT_POINTS: int(1, 1_000_000).default(20),
    // Requests of one account in flight per gateway process (0 = no cap).
    ACCOUNT_MAX_CONCURRENT: int(0, 100_000).default(0),

    KEY_LAST_USED_INTERVAL_S: int(1, 86_400).default(60),
    DEMO_ACCOUNT: bool.optional(),

    // Dashboard (/dashboard): sign-ups, sessions, login throttling.
    DASHBOARD_SIGNUPS: bool.optional(),
    DASHBOARD_TRIAL_CREDIT_USD: price.prefault(1),
    SESSION_TTL_H: int(1, 24 * 90).default(168),
    SESSION_COOKIE_SECURE: bool.optional(),
    LOGIN_MAX_FAILURES: int(1, 1000).default(5),
    LOGIN_LOCKOUT_S: int(1, 86_400).default(900),
    SIGNUPS_PER_IP_PER_HOUR: int(1, 100_000).default(10),
    PASSWORD_SCRYPT_LOG2N: int(10, 20).default(17),
    // Password hashes at once and waiting (503 beyond): scrypt shares libuv's thread pool with image intake.
    PASSWORD_HASH_CONCURRENCY: int(1, 64).default(1),
    PASSWORD_HASH_QUEUE: int(0, 1000).default(4),

    // Prometheus /metrics (and, for the worker, /healthz and /readyz) on a port of its own, never the public one.
    METRICS_PORT: int(0, 65535).default(9464),
    // After SIGTERM, /readyz fails for this long before the listener closes (load balancers notice first).
    SHUTDOWN_DELAY_MS: int(0, 120_000).default(0),

    // Batch jobs (POST /v1/jobs, run by the BullMQ worker: `node dist/worker.js`). Need REDIS_URL.
    JOBS_MAX_ITEMS: int(1, 10_000).default(1000),
    JOBS_MAX_INLINE_ITEMS: int(0, 1000).default(50),
    JOBS_TTL_H: int(1, 24 * 90).default(72),
    JOBS_CONCURRENCY: int(1, 64).default(2),
    JOBS_ITEM_CONCURRENCY: int(1, 64).default(4),
    JOBS_LOCK_MS: int(1000, 600_000).default(30_000),
    JOBS_ATTEMPTS: int(1, 100).default(10),
    JOBS_BACKOFF_MS: int(100, 3_600_000).default(5_000),
    WEBHOOK_TIMEOUT_MS: int(100, 60_000).default(10_000),
    WEBHOOK_ATTEMPTS: int(1, 50).default(8),
    WEBHOOK_BACKOFF_MS: int(100, 3_600_000).default(10_000),
    WEBHOOK_ALLOW_HOSTS: csv,
  })
  .check((ctx) => {
    // The reaper must never release a reservation whose request can still be running.
    const v = ctx.value;
    const longestRequestS = (v.IMAGE_FETCH_TIMEOUT_MS + v.ENGINE_TIMEOUT_MS) / 1000;
    if (v.RESERVATION_TTL_S <= longestRequestS) {
      ctx.issues.push({
        code: 'custom',
        input: v.RESERVATION_TTL_S,
        path: ['RESERVATION_TTL_S'],
        message: `must exceed IMAGE_FETCH_TIMEOUT_MS + ENGINE_TIMEOUT_MS (${longestRequestS} s)`,
      });
    }
  });

export type Config = Readonly<ReturnType<typeof toConfig>>;

/** Every variable the gateway (and its worker) reads: infra/.env.example documents each (a test checks). */
export const ENV_VARS: readonly string[] = Object.keys(schema.shape);

function toConfig(env: z.output<typeof schema>) {
  const dev = env.NODE_ENV !== 'production';
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    publicOrigins:
      env.PUBLIC_ORIGIN && env.PUBLIC_ORIGIN.length > 0
        ? env.PUBLIC_ORIGIN
        : [`http://localhost:${env.PORT}`, `http://127.0.0.1:${env.PORT}`],
    logLevel: env.LOG_LEVEL,
    db: {
      url: env.DATABASE_URL,
      sqliteFile: env.SQLITE_FILE,
      poolMax: env.DB_POOL_MAX,
      acquireTimeoutMs: env.DB_ACQUIRE_TIMEOUT_MS,
      migrateOnStart: env.MIGRATE_ON_START ?? dev,
    },
    redis: { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX },
    engine: {
      address: env.ENGINE_ADDRESS,
      timeoutMs: env.ENGINE_TIMEOUT_MS,
      maxAttempts: env.ENGINE_MAX_ATTEMPTS,
      keepaliveMs: env.ENGINE_KEEPALIVE_MS,
      breakerResetMs: env.ENGINE_BREAKER_RESET_MS,
      breakerVolume: env.ENGINE_BREAKER_VOLUME,
    },
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    images: {
      maxBytes: env.IMAGE_MAX_BYTES,
      maxPixels: env.IMAGE_MAX_PIXELS,
      fetchTimeoutMs: env.IMAGE_FETCH_TIMEOUT_MS,
      maxRedirects: env.IMAGE_FETCH_MAX_REDIRECTS,
      allowHosts: env.IMAGE_FETCH_ALLOW_HOSTS,
    },
    billing: {
      defaultPrices: {
        verify: env.PRICE_VERIFY_USD,
        analyze: env.PRICE_ANALYZE_USD,
        lookalike: env.PRICE_LOOKALIKE_USD,
      },
      reservationTtlS: env.RESERVATION_TTL_S,
      reaperIntervalS: env.REAPER_INTERVAL_S,
    },
    idempotency: { ttlHours: env.IDEMPOTENCY_TTL_H, waitMs: env.IDEMPOTENCY_WAIT_MS },
    rateLimit: {
      points: env.RATE_LIMIT_POINTS,
      windowS: env.RATE_LIMIT_WINDOW_S,
      accountConcurrency: env.ACCOUNT_MAX_CONCURRENT,
      testPoints: env.TEST_RATE_LIMIT_POINTS,
    },
    keys: { lastUsedIntervalS: env.KEY_LAST_USED_INTERVAL_S },
    demoAccount: env.DEMO_ACCOUNT ?? env.NODE_ENV === 'development',
    dashboard: {
      signups: env.DASHBOARD_SIGNUPS ?? true,
      trialCreditMicros: env.DASHBOARD_TRIAL_CREDIT_USD,
      sessionTtlMs: env.SESSION_TTL_H * 3_600_000,
      // __Host- cookies must be Secure; browsers accept them from http://localhost. Off: plain-http LAN setups only.
      secureCookie: env.SESSION_COOKIE_SECURE ?? true,
      loginMaxFailures: env.LOGIN_MAX_FAILURES,
      loginLockoutS: env.LOGIN_LOCKOUT_S,
      signupsPerIpPerHour: env.SIGNUPS_PER_IP_PER_HOUR,
      scryptLog2N: env.PASSWORD_SCRYPT_LOG2N,
      hashConcurrency: env.PASSWORD_HASH_CONCURRENCY,
      hashQueue: env.PASSWORD_HASH_QUEUE,
    },
    metrics: { port: env.METRICS_PORT },
    shutdownDelayMs: env.SHUTDOWN_DELAY_MS,
    jobs: {
      maxItems: env.JOBS_MAX_ITEMS,
      maxInlineItems: env.JOBS_MAX_INLINE_ITEMS,
      ttlHours: env.JOBS_TTL_H,
      concurrency: env.JOBS_CONCURRENCY,
      itemConcurrency: env.JOBS_ITEM_CONCURRENCY,
      lockMs: env.JOBS_LOCK_MS,
      attempts: env.JOBS_ATTEMPTS,
      backoffMs: env.JOBS_BACKOFF_MS,
    },
    webhooks: {
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      attempts: env.WEBHOOK_ATTEMPTS,
      backoffMs: env.WEBHOOK_BACKOFF_MS,
      allowHosts: env.WEBHOOK_ALLOW_HOSTS,
    },
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment (process.env by default) into one frozen, typed config; throws listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset": `FOO=` in a .env file must not become a value.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return deepFreeze(toConfig(parsed.data));
}

/** For process entry points: the config, or every problem on stderr and exit 78 (EX_CONFIG). */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export type Endpoint = 'verify' | 'analyze' | 'lookalike';
export const ENDPOINTS: readonly Endpoint[] = ['verify', 'analyze', 'lookalike'];
