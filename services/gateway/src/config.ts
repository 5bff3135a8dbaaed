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

    KEY_LAST_USED_INTERVAL_S: int(1, 86_400).default(60),
    DEMO_ACCOUNT: bool.optional(),
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

function toConfig(env: z.output<typeof schema>) {
  const dev = env.NODE_ENV !== 'production';
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
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
    rateLimit: { points: env.RATE_LIMIT_POINTS, windowS: env.RATE_LIMIT_WINDOW_S },
    keys: { lastUsedIntervalS: env.KEY_LAST_USED_INTERVAL_S },
    demoAccount: env.DEMO_ACCOUNT ?? env.NODE_ENV === 'development',
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

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export type Endpoint = 'verify' | 'analyze' | 'lookalike';
export const ENDPOINTS: readonly Endpoint[] = ['verify', 'analyze', 'lookalike'];
