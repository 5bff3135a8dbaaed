import { isIP } from 'node:net';
import { DEFAULT_IMAGE_LIMITS } from '@deepface/media';
import { bool, ConfigError, configOrExit, int, parseEnv } from '@deepface/config';
import { z } from 'zod';
import { parseAllowEntry } from './lib/allow-list';
import { dollarsToMicros } from './lib/money';

/**
 * Every setting the gateway reads, validated once at start. A bad value stops the process with every problem
 * listed; nothing else in the code reads process.env.
 */
const MiB = 1024 * 1024;

const csv = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim().toLowerCase())
      .filter(Boolean),
  );
// Hosts exempt from the SSRF address checks, each with its ports (lib/allow-list.ts): host (80 and 443), host:port,
// host:*.
const allowHosts = csv.refine((entries) => entries.every((e) => parseAllowEntry(e) !== undefined), {
  message: 'entries are host (ports 80 and 443), host:port (1-65535) or host:* ([v6] in brackets)',
});
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

/** Express' named ranges for `trust proxy` (proxy-addr). */
const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];
const isProxyEntry = (entry: string): boolean => {
  if (PROXY_RANGES.includes(entry) || isIP(entry) !== 0) return true;
  const cidr = /^([^/]+)\/(\d{1,3})$/.exec(entry);
  const family = cidr ? isIP(cidr[1]!) : 0;
  return family !== 0 && Number(cidr![2]) <= (family === 4 ? 32 : 128);
};
/**
 * Express `trust proxy` from TRUST_PROXY: off, a hop count, or the proxies' addresses (IPs, CIDRs, named ranges).
 * `true` (believe any sender) is refused: any client could then pick the IP its limits are counted under.
 */
const trustProxy = z.string().transform((raw, ctx): false | number | string[] => {
  const value = raw.trim().toLowerCase();
  if (['false', 'off', 'no', '0'].includes(value)) return false;
  if (/^\d+$/.test(value) && Number(value) <= 10) return Number(value);
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (['true', 'on', 'yes'].includes(value) || entries.length === 0 || !entries.every(isProxyEntry)) {
    ctx.addIssue({
      code: 'custom',
      message:
        'expected false, a hop count (1-10) or a comma list of proxy addresses, CIDRs, loopback, linklocal, uniquelocal',
    });
    return z.NEVER;
  }
  return entries;
});
// Top-up amounts offered on the billing page (dollars, comma list): Stripe Checkout takes $0.50 at least.
const topupAmounts = z
  .string()
  .default('10,25,100')
  .transform((value, ctx) => {
    const amounts = value
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
      .map(Number);
    const valid = (a: number) =>
      Number.isFinite(a) && a >= 1 && a <= 10_000 && Number.isInteger(dollarsToMicros(a) / 10_000);
    if (amounts.length === 0 || amounts.length > 6 || !amounts.every(valid)) {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: 'expected 1 to 6 dollar amounts between 1 and 10000, in whole cents',
      });
      return z.NEVER;
    }
    return [...new Set(amounts.map((a) => dollarsToMicros(a)))].sort((a, b) => a - b);
  });
const secretToken = z
  .string()
  .regex(/^[\x21-\x7e]{32,512}$/, 'expected 32 to 512 printable ASCII characters without spaces');

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
    // Engine link security (the engine reads the same names): the shared secret sent on every call, and TLS —
    // the CA that signed the engine's certificate (system roots when unset) and, for mutual TLS, our certificate.
    ENGINE_AUTH_TOKEN: secretToken.optional(),
    ENGINE_TLS_CA: z.string().optional(),
    ENGINE_TLS_CERT: z.string().optional(),
    ENGINE_TLS_KEY: z.string().optional(),
    // Key of the HMAC that names each account to the engine (fair scheduling) without revealing it; unset = random
    // per process (set one shared value when several gateways share engines).
    ENGINE_TENANT_SECRET: z.string().min(16).optional(),

    BODY_LIMIT_BYTES: int(1024, 100 * MiB).default(16 * MiB),
    IMAGE_MAX_BYTES: int(1024, 50 * MiB).default(DEFAULT_IMAGE_LIMITS.maxBytes),
    IMAGE_MAX_PIXELS: int(1, 500_000_000).default(DEFAULT_IMAGE_LIMITS.maxPixels),
    IMAGE_FETCH_TIMEOUT_MS: int(100, 60_000).default(10_000),
    IMAGE_FETCH_MAX_REDIRECTS: int(0, 10).default(3),
    IMAGE_FETCH_ALLOW_HOSTS: allowHosts,

    PRICE_VERIFY_USD: price.prefault(0.25),
    PRICE_ANALYZE_USD: price.prefault(0.3),
    PRICE_LOOKALIKE_USD: price.prefault(0.2),
    RESERVATION_TTL_S: int(30, 86_400).default(300),
    REAPER_INTERVAL_S: int(1, 3600).default(30),

    IDEMPOTENCY_TTL_H: int(24, 24 * 30).default(24),
    IDEMPOTENCY_WAIT_MS: int(0, 120_000).default(30_000),

    RATE_LIMIT_POINTS: int(1, 1_000_000).default(120),
    RATE_LIMIT_WINDOW_S: int(1, 86_400).default(60),
    // Requests of one account, all its keys, dashboard playground and batch items together, per RATE_LIMIT_WINDOW_S.
    ACCOUNT_RATE_LIMIT_POINTS: int(1, 1_000_000).default(240),
    // Requests of one account in flight, across instances sharing Redis (0 = no cap).
    ACCOUNT_MAX_CONCURRENT: int(0, 100_000).default(8),
    // Active (unrevoked) API keys one account may hold.
    ACCOUNT_MAX_KEYS: int(1, 10_000).default(10),
    // Test-mode (df_test_ key) requests per account per RATE_LIMIT_WINDOW_S: sample images only, no engine, free.
    TEST_RATE_LIMIT_POINTS: int(1, 1_000_000).default(20),

    KEY_LAST_USED_INTERVAL_S: int(1, 86_400).default(60),
    DEMO_ACCOUNT: bool.optional(),

    // Dashboard (/dashboard): sign-ups, sessions, login throttling.
    DASHBOARD_SIGNUPS: bool.optional(),
    DASHBOARD_TRIAL_CREDIT_USD: price.prefault(1),
    // The dashboard warns (overview, playground) when the available balance is below this.
    LOW_BALANCE_WARNING_USD: price.prefault(0.5),

    // Adding credit from the dashboard's billing page. Stripe Checkout when both Stripe secrets are set (never
    // logged); else the operator's TOPUP_URL or TOPUP_INSTRUCTIONS; else the page explains `pnpm admin`.
    STRIPE_SECRET_KEY: z
      .string()
      .regex(
        /^(sk|rk)_(test|live)_[0-9A-Za-z]{8,255}$/,
        'expected a Stripe secret key (sk_live_…, sk_test_…, rk_…)',
      )
      .optional(),
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_[0-9A-Za-z+/=]{8,255}$/, "expected the webhook endpoint's signing secret (whsec_…)")
      .optional(),
    STRIPE_TOPUP_AMOUNTS_USD: topupAmounts,
    // Another Stripe API base (stripe-mock, a test stand-in); unset: Stripe's own.
    STRIPE_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
    TOPUP_URL: z.url({ protocol: /^https?$/ }).optional(),
    TOPUP_INSTRUCTIONS: z.string().trim().min(1).max(1000).optional(),
    // Password reset e-mails: nodemailer over this SMTP server (smtp://user:pass@host:587, smtps://… for implicit
    // TLS; never logged). Unset: the reset link is written to the log (development, `npm start`), nothing is mailed.
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'expected smtp://… or smtps://…' }).optional(),
    // The From: of those e-mails.
    MAIL_FROM: z.string().trim().min(3).max(320).default('DeepFace API <no-reply@localhost>'),
    // How long a reset link works (single use).
    PASSWORD_RESET_TTL_MIN: int(5, 24 * 60).default(30),
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
    // Interface of that listener: loopback unless set (the image sets 0.0.0.0 for Prometheus and probes).
    METRICS_HOST: z.string().default('127.0.0.1'),
    // Reverse proxies whose X-Forwarded-For is believed for per-IP limits: off by default (see trustProxy).
    TRUST_PROXY: trustProxy.optional(),
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
    // Retries of a URL item whose download failed by a network accident (timeout, reset, 5xx); never 4xx, NXDOMAIN
    // or a refused address.
    JOBS_DOWNLOAD_RETRIES: int(0, 2).default(1),
    WEBHOOK_TIMEOUT_MS: int(100, 60_000).default(10_000),
    WEBHOOK_ATTEMPTS: int(1, 50).default(8),
    WEBHOOK_BACKOFF_MS: int(100, 3_600_000).default(10_000),
    WEBHOOK_ALLOW_HOSTS: allowHosts,
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
  })
  .check((ctx) => {
    const v = ctx.value;
    if (Boolean(v.ENGINE_TLS_CERT) !== Boolean(v.ENGINE_TLS_KEY)) {
      ctx.issues.push({
        code: 'custom',
        input: undefined,
        path: [v.ENGINE_TLS_CERT ? 'ENGINE_TLS_KEY' : 'ENGINE_TLS_CERT'],
        message: 'ENGINE_TLS_CERT and ENGINE_TLS_KEY go together',
      });
    }
  })
  .check((ctx) => {
    const v = ctx.value;
    if (Boolean(v.STRIPE_SECRET_KEY) !== Boolean(v.STRIPE_WEBHOOK_SECRET)) {
      ctx.issues.push({
        code: 'custom',
        input: undefined,
        path: [v.STRIPE_SECRET_KEY ? 'STRIPE_WEBHOOK_SECRET' : 'STRIPE_SECRET_KEY'],
        message:
          'STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET go together (payments are credited by the webhook)',
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
      authToken: env.ENGINE_AUTH_TOKEN,
      // TLS when any of the three is set (CA alone: verify the engine; with a certificate: mutual TLS).
      tls:
        env.ENGINE_TLS_CA || env.ENGINE_TLS_CERT
          ? { ca: env.ENGINE_TLS_CA, cert: env.ENGINE_TLS_CERT, key: env.ENGINE_TLS_KEY }
          : undefined,
      tenantSecret: env.ENGINE_TENANT_SECRET,
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
      accountPoints: env.ACCOUNT_RATE_LIMIT_POINTS,
      testPoints: env.TEST_RATE_LIMIT_POINTS,
    },
    keys: { lastUsedIntervalS: env.KEY_LAST_USED_INTERVAL_S, maxActive: env.ACCOUNT_MAX_KEYS },
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
      lowBalanceMicros: env.LOW_BALANCE_WARNING_USD,
      resetTtlMs: env.PASSWORD_RESET_TTL_MIN * 60_000,
    },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
    topup: {
      stripe:
        env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET
          ? {
              secretKey: env.STRIPE_SECRET_KEY,
              webhookSecret: env.STRIPE_WEBHOOK_SECRET,
              apiBase: env.STRIPE_API_BASE,
            }
          : undefined,
      amountsMicros: env.STRIPE_TOPUP_AMOUNTS_USD,
      url: env.TOPUP_URL,
      instructions: env.TOPUP_INSTRUCTIONS,
    },
    metrics: { port: env.METRICS_PORT, host: env.METRICS_HOST },
    trustProxy: env.TRUST_PROXY ?? false,
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
      downloadRetries: env.JOBS_DOWNLOAD_RETRIES,
    },
    webhooks: {
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      attempts: env.WEBHOOK_ATTEMPTS,
      backoffMs: env.WEBHOOK_BACKOFF_MS,
      allowHosts: env.WEBHOOK_ALLOW_HOSTS,
    },
  };
}

export { ConfigError };

/** Parses the environment (process.env by default) into one frozen, typed config; throws listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset": `FOO=` in a .env file must not become a value. Values are never echoed (secrets).
  return deepFreeze(toConfig(parseEnv(schema, env)));
}

/** For process entry points: the config, or every problem on stderr and exit 78 (EX_CONFIG). */
export function loadConfigOrExit(): Config {
  return configOrExit(() => loadConfig());
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
