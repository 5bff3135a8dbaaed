import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Config } from '../../src/platform/config';

export const GATEWAY_DIST = path.resolve(__dirname, '../../dist');

/** The environment a child gateway or worker needs to share a test gateway's database, Redis and engine. */
export function childEnv(config: Config, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: config.db.url,
    REDIS_URL: config.redis.url,
    REDIS_KEY_PREFIX: config.redis.keyPrefix,
    ENGINE_ADDRESS: config.engine.address,
    ENGINE_TIMEOUT_MS: String(config.engine.timeoutMs),
    IMAGE_FETCH_TIMEOUT_MS: String(config.images.fetchTimeoutMs),
    IMAGE_FETCH_ALLOW_HOSTS: config.images.allowHosts.join(','),
    WEBHOOK_ALLOW_HOSTS: config.webhooks.allowHosts.join(','),
    RESERVATION_TTL_S: String(config.billing.reservationTtlS),
    JOBS_LOCK_MS: String(config.jobs.lockMs),
    JOBS_BACKOFF_MS: String(config.jobs.backoffMs),
    ACCOUNT_RATE_LIMIT_POINTS: String(config.rateLimit.accountPoints),
    ACCOUNT_MAX_CONCURRENT: String(config.rateLimit.accountConcurrency),
    METRICS_PORT: '0',
    PORT: '0',
    HOST: '127.0.0.1',
    ...extra,
  };
}

export interface Child {
  process: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

/** Starts `dist/<entry>` (build first: `pnpm --filter @deepface/gateway build`) and waits for `readyLine`. */
export async function startChild(entry: string, env: NodeJS.ProcessEnv, readyLine: RegExp): Promise<Child> {
  const file = path.join(GATEWAY_DIST, entry);
  if (!existsSync(file)) throw new Error(`${file} is missing: build the gateway first (pnpm -r run build)`);
  const child = spawn(process.execPath, [file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (readyLine.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited (${code}) while starting:\n${output}`));
    });
  });
  return { process: child, output: () => output, exited };
}
