// The engine's configuration: one zod schema over the environment, parsed once at boot. A bad value stops the
// process with every problem listed; nothing falls back silently.
import * as os from 'node:os';
import { z } from 'zod';
import { intraOpThreads } from './onnx/runtime';
import type { WorkerInit } from './worker/tasks';

const MiB = 1024 * 1024;

/** Unset and empty variables are the same thing: k8s and compose files often render `FOO=`. */
const unset = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** A whole number written with digits only ("1e3", "0x10" and "12abc" are refused, unlike `Number()`). */
function int(min: number, max = Number.MAX_SAFE_INTEGER) {
  return z.preprocess(
    unset,
    z
      .string()
      .trim()
      .regex(/^\d+$/, 'expected a whole number')
      .transform(Number)
      .pipe(z.number().int().min(min).max(max))
      .optional(),
  );
}

function bool() {
  return z.preprocess(
    unset,
    z
      .enum(['true', 'false', '1', '0'], { error: 'expected true, false, 1 or 0' })
      .transform((v) => v === 'true' || v === '1')
      .optional(),
  );
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(unset, z.enum(values).optional());
}

export const BACKENDS = ['auto', 'onnx', 'tensorflow', 'wasm', 'cpu'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const schema = z.object({
  // Interface the gRPC server binds to.
  ENGINE_HOST: z.preprocess(unset, z.string().trim().min(1).optional()),
  // gRPC port; 0 picks a free one (tests).
  ENGINE_PORT: int(0, 65535),
  // Inference backend: auto = onnx (onnxruntime-node) when it loads, else tfjs-node when its binding loads, else wasm.
  ENGINE_BACKEND: oneOf(BACKENDS),
  // Inference worker threads, each with its own TF.js instance and models (default: one per core).
  ENGINE_WORKERS: int(1, 256),
  // onnxruntime intra-op threads per worker (default: cores / workers, at least 1).
  ENGINE_ONNX_THREADS: int(1, 256),
  // Tasks allowed to wait for a free worker; beyond it calls fail at once with RESOURCE_EXHAUSTED (default 4 × workers).
  ENGINE_QUEUE_SIZE: int(0, 100_000),
  // Largest accepted image, in bytes; the gRPC receive limit is two of these plus 1 MiB.
  ENGINE_MAX_IMAGE_BYTES: int(1024, 512 * MiB),
  // Largest accepted image, in decoded pixels (a decompression-bomb guard).
  ENGINE_MAX_IMAGE_PIXELS: int(1, 1_000_000_000),
  // Long side of the working copy (detectors resize it to their own input; faces are cropped from it).
  ENGINE_WORK_MAX_SIDE: int(64, 16_384),
  // Time in-flight calls get to finish after SIGTERM before they are cut.
  ENGINE_SHUTDOWN_GRACE_MS: int(0, 600_000),
  // Interval of the server's own keepalive pings on idle connections.
  ENGINE_KEEPALIVE_TIME_MS: int(1000),
  // How long the server waits for a ping ack before dropping the connection.
  ENGINE_KEEPALIVE_TIMEOUT_MS: int(100),
  // Shortest client ping interval the server tolerates (must stay below the gateway's 30 s pings).
  ENGINE_KEEPALIVE_MIN_PING_INTERVAL_MS: int(0),
  // Whether clients may ping connections that have no call in progress (the gateway does).
  ENGINE_KEEPALIVE_PERMIT_WITHOUT_CALLS: bool(),
  // Module whose default export handles tasks in the workers (tests point it at a fake).
  ENGINE_WORKER_FILE: z.preprocess(unset, z.string().trim().min(1).optional()),
  // pino level.
  LOG_LEVEL: oneOf(LOG_LEVELS),
  // Prometheus /metrics on a small HTTP server of its own; 0 picks a free port (tests).
  ENGINE_METRICS_PORT: int(0, 65535),
  // Connections older than this are closed gracefully (GOAWAY): clients re-resolve DNS and find new engine pods.
  ENGINE_MAX_CONNECTION_AGE_MS: int(1000),
});

/** Every variable the engine reads: infra/.env.example documents each (a test checks). */
export const ENV_VARS: readonly string[] = Object.keys(schema.shape);

export interface KeepaliveConfig {
  timeMs: number;
  timeoutMs: number;
  minPingIntervalMs: number;
  permitWithoutCalls: boolean;
}

export interface EngineConfig {
  host: string;
  port: number;
  backend: (typeof BACKENDS)[number];
  workers: number;
  /** onnxruntime intra-op threads per worker: threads × workers ≤ cores unless set. */
  onnxThreads: number;
  queueSize: number;
  maxImageBytes: number;
  maxImagePixels: number;
  workMaxSide: number;
  shutdownGraceMs: number;
  keepalive: KeepaliveConfig;
  /** Absolute or relative path; undefined means the built worker beside main.js. */
  workerFile: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  metricsPort: number;
  maxConnectionAgeMs: number;
  /** gRPC receive limit: a two-image request (Verify, Compare) plus room for the other fields. */
  maxReceiveMessageBytes: number;
  /** gRPC send limit: responses are small (the largest, Represent with every face, is a few KiB per face). */
  maxSendMessageBytes: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and freezes the configuration; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<EngineConfig> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.map(String).join('.');
        return `${name}: ${issue.message}${name in env ? ` (got ${JSON.stringify(env[name])})` : ''}`;
      }),
    );
  }
  const e = parsed.data;
  const workers = e.ENGINE_WORKERS ?? os.availableParallelism();
  const maxImageBytes = e.ENGINE_MAX_IMAGE_BYTES ?? 15 * MiB;
  const config: EngineConfig = {
    host: e.ENGINE_HOST ?? '0.0.0.0',
    port: e.ENGINE_PORT ?? 50051,
    backend: e.ENGINE_BACKEND ?? 'auto',
    workers,
    onnxThreads: e.ENGINE_ONNX_THREADS ?? intraOpThreads(workers),
    queueSize: e.ENGINE_QUEUE_SIZE ?? 4 * workers,
    maxImageBytes,
    maxImagePixels: e.ENGINE_MAX_IMAGE_PIXELS ?? 40_000_000,
    workMaxSide: e.ENGINE_WORK_MAX_SIDE ?? 1600,
    shutdownGraceMs: e.ENGINE_SHUTDOWN_GRACE_MS ?? 10_000,
    keepalive: Object.freeze({
      // The gateway pings every 30 s; the server's own pings only matter for clients that never do.
      timeMs: e.ENGINE_KEEPALIVE_TIME_MS ?? 60_000,
      timeoutMs: e.ENGINE_KEEPALIVE_TIMEOUT_MS ?? 20_000,
      minPingIntervalMs: e.ENGINE_KEEPALIVE_MIN_PING_INTERVAL_MS ?? 10_000,
      permitWithoutCalls: e.ENGINE_KEEPALIVE_PERMIT_WITHOUT_CALLS ?? true,
    }),
    workerFile: e.ENGINE_WORKER_FILE,
    logLevel: e.LOG_LEVEL ?? 'info',
    metricsPort: e.ENGINE_METRICS_PORT ?? 9465,
    maxConnectionAgeMs: e.ENGINE_MAX_CONNECTION_AGE_MS ?? 300_000,
    maxReceiveMessageBytes: 2 * maxImageBytes + MiB,
    maxSendMessageBytes: 4 * MiB,
  };
  return Object.freeze(config);
}

/** What each worker thread needs from the configuration (structured-cloned into it). */
export function workerInit(config: EngineConfig): WorkerInit {
  return {
    backend: config.backend,
    intraOpThreads: config.onnxThreads,
    maxImagePixels: config.maxImagePixels,
    workMaxSide: config.workMaxSide,
    logLevel: config.logLevel,
  };
}
