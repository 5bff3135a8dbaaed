// The engine's configuration: one zod schema over the environment, parsed once at boot. A bad value stops the
// process with every problem listed; nothing falls back silently.
import * as os from 'node:os';
import { DEFAULT_IMAGE_LIMITS } from '@deepface/media';
import { bool as sharedBool, ConfigError, int as sharedInt, parseEnv } from '@deepface/config';
import { z } from 'zod';
import { BACKEND_CHOICES, intraOpThreads } from './contract/backend';
import type { WorkerInit } from './contract/tasks';

const MiB = 1024 * 1024;

/** Unset and empty variables are the same thing: k8s and compose files often render `FOO=`. */
const unset = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

// The shared dialect (@deepface/config), optional here: defaults are applied when the config is built.
const int = (min: number, max?: number) => sharedInt(min, max).optional();
const bool = () => sharedBool.optional();

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(unset, z.enum(values).optional());
}

export const BACKENDS = BACKEND_CHOICES;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A PEM file path (read when the server starts). */
const file = () => z.preprocess(unset, z.string().trim().min(1).optional());

/** Variables whose values never appear in an error message. */
const SECRETS = new Set(['ENGINE_AUTH_TOKEN']);

const schema = z.object({
  // Interface the gRPC server binds to. Loopback unless set: the images and k8s set 0.0.0.0 (the port serves
  // unmetered inference and face templates: see the README's threat model).
  ENGINE_HOST: z.preprocess(unset, z.string().trim().min(1).optional()),
  // Interface of the /metrics listener: loopback unless set (the images set 0.0.0.0 for Prometheus).
  METRICS_HOST: z.preprocess(unset, z.string().trim().min(1).optional()),
  // Shared secret every call but grpc.health.v1 must carry (metadata `authorization: Bearer <token>`).
  ENGINE_AUTH_TOKEN: z.preprocess(
    unset,
    z
      .string()
      .regex(/^[\x21-\x7e]{32,512}$/, 'expected 32 to 512 printable ASCII characters without spaces')
      .optional(),
  ),
  // TLS: the server's certificate chain and key (PEM files); with ENGINE_TLS_CA, clients must present a
  // certificate that CA signed (mutual TLS).
  ENGINE_TLS_CERT: file(),
  ENGINE_TLS_KEY: file(),
  ENGINE_TLS_CA: file(),
  // Server reflection (grpcurl without proto files): off unless true; it needs the token like any call.
  ENGINE_REFLECTION: bool(),
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

/** PEM files of the server's TLS; `ca` set = client certificates required. */
export interface TlsFiles {
  cert: string;
  key: string;
  ca: string | undefined;
}

export interface EngineConfig {
  host: string;
  port: number;
  metricsHost: string;
  /** Shared secret of every call but health; undefined = none (loopback or a trusted network only). */
  authToken: string | undefined;
  /** undefined = plaintext. */
  tls: Readonly<TlsFiles> | undefined;
  reflection: boolean;
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

export { ConfigError };

/** TLS settings that only make sense together. */
function tlsProblems(e: z.output<typeof schema>): string[] {
  const problems: string[] = [];
  if (Boolean(e.ENGINE_TLS_CERT) !== Boolean(e.ENGINE_TLS_KEY)) {
    problems.push(
      `${e.ENGINE_TLS_CERT ? 'ENGINE_TLS_KEY' : 'ENGINE_TLS_CERT'}: ENGINE_TLS_CERT and ENGINE_TLS_KEY go together`,
    );
  }
  if (e.ENGINE_TLS_CA && !e.ENGINE_TLS_CERT) {
    problems.push('ENGINE_TLS_CA: client certificates need TLS: set ENGINE_TLS_CERT and ENGINE_TLS_KEY too');
  }
  return problems;
}

/** Parses and freezes the configuration; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<EngineConfig> {
  const e = parseEnv(schema, env, { showValue: (name) => !SECRETS.has(name) });
  const problems = tlsProblems(e);
  if (problems.length > 0) throw new ConfigError(problems);
  const workers = e.ENGINE_WORKERS ?? os.availableParallelism();
  const maxImageBytes = e.ENGINE_MAX_IMAGE_BYTES ?? 15 * MiB;
  const config: EngineConfig = {
    host: e.ENGINE_HOST ?? '127.0.0.1',
    port: e.ENGINE_PORT ?? 50051,
    metricsHost: e.METRICS_HOST ?? '127.0.0.1',
    authToken: e.ENGINE_AUTH_TOKEN,
    tls:
      e.ENGINE_TLS_CERT && e.ENGINE_TLS_KEY
        ? Object.freeze({ cert: e.ENGINE_TLS_CERT, key: e.ENGINE_TLS_KEY, ca: e.ENGINE_TLS_CA })
        : undefined,
    reflection: e.ENGINE_REFLECTION ?? false,
    backend: e.ENGINE_BACKEND ?? 'auto',
    workers,
    onnxThreads: e.ENGINE_ONNX_THREADS ?? intraOpThreads(workers),
    queueSize: e.ENGINE_QUEUE_SIZE ?? 4 * workers,
    maxImageBytes,
    maxImagePixels: e.ENGINE_MAX_IMAGE_PIXELS ?? DEFAULT_IMAGE_LIMITS.maxPixels,
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
