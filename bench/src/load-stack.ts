// The full stack for the load benchmark, on loopback: a MariaDB database of its own (loadbench_<random>, dropped
// afterwards), Redis under a key prefix of its own (deleted afterwards), the real gateway process
// (services/gateway/dist/main.js, NODE_ENV=production) and accounts made with the gateway's admin CLI.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';

const GATEWAY_DIST = path.resolve(__dirname, '..', '..', 'services', 'gateway', 'dist');
const MYSQL_ADMIN_URL = process.env.LOAD_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const REDIS_URL = process.env.LOAD_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Backing {
  /** DATABASE_URL, REDIS_URL and REDIS_KEY_PREFIX for the gateway and its admin CLI. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A fresh database and Redis key prefix; `drop()` removes both. */
export async function createBacking(): Promise<Backing> {
  const name = `loadbench_${randomBytes(5).toString('hex')}`;
  const root = await createConnection(MYSQL_ADMIN_URL);
  try {
    await root.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await root.end();
  }
  const url = new URL(MYSQL_ADMIN_URL);
  url.pathname = `/${name}`;
  const prefix = `${name}:`;
  const backing: Backing = {
    env: { DATABASE_URL: url.toString(), REDIS_URL, REDIS_KEY_PREFIX: prefix },
    async drop() {
      const a = await createConnection(MYSQL_ADMIN_URL);
      try {
        await a.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await a.end();
      }
      // Only our own keys: the shared Redis serves other suites at the same time.
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          if (keys.length) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
  try {
    await admin(backing, ['migrate']);
  } catch (error) {
    await backing.drop();
    throw error;
  }
  return backing;
}

/** The engine link's credentials, when this run's environment sets them (the engine it starts inherits them). */
const ENGINE_LINK = ['ENGINE_AUTH_TOKEN', 'ENGINE_TLS_CA', 'ENGINE_TLS_CERT', 'ENGINE_TLS_KEY'];

/** A bench gateway's environment: production mode on loopback, the backing's database and Redis, fairness limits off. */
export function gatewayEnv(backing: Backing, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    ...Object.fromEntries(
      ENGINE_LINK.filter((name) => process.env[name]).map((name) => [name, process.env[name]]),
    ),
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    MIGRATE_ON_START: 'false',
    // The load runs measure the gateway, not the fairness limits (per-key limits are set per run).
    ACCOUNT_RATE_LIMIT_POINTS: '1000000',
    ACCOUNT_MAX_CONCURRENT: '0',
    ...backing.env,
    ...extra,
  };
}

/** One admin CLI command (`pnpm admin …`): its JSON output. */
export async function admin(backing: Backing, args: string[]): Promise<unknown> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [path.join(GATEWAY_DIST, 'cli', 'admin.js'), ...args],
    { env: gatewayEnv(backing, {}) },
  );
  return JSON.parse(stdout) as unknown;
}

export interface Customer {
  accountId: string;
  apiKey: string;
}

/** A funded account with one live key. */
export async function createCustomer(backing: Backing, name: string, balanceUsd: number): Promise<Customer> {
  const created = (await admin(backing, [
    'account:create',
    '--name',
    name,
    '--balance',
    String(balanceUsd),
  ])) as {
    account: { id: string };
  };
  const key = (await admin(backing, ['key:create', created.account.id, '--name', name])) as {
    api_key: string;
  };
  return { accountId: created.account.id, apiKey: key.api_key };
}

export interface AccountView {
  id: string;
  name: string;
  balance: number;
  reserved: number;
}

export async function listAccounts(backing: Backing): Promise<AccountView[]> {
  const out = (await admin(backing, ['account:list'])) as { accounts?: AccountView[] } | AccountView[];
  return Array.isArray(out) ? out : (out.accounts ?? []);
}

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  /** Log lines at warn (40) and at error or above (≥ 50), with the first few error messages. */
  logCounts(): { warn: number; error: number; firstErrors: string[] };
  stop(): Promise<number | string>;
}

/** Starts dist/main.js and waits for its "gateway listening" line (PORT=0: the bound port is in it). */
export async function startGateway(
  backing: Backing,
  extra: Record<string, string>,
  nodeFlags: string[] = [],
): Promise<GatewayProcess> {
  const main = path.join(GATEWAY_DIST, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (pnpm -r run build)`);
  // LOAD_GATEWAY_FLAGS adds node flags (e.g. --cpu-prof); LOAD_GATEWAY_LOG copies its log lines to a file.
  const flags = [...nodeFlags, ...(process.env.LOAD_GATEWAY_FLAGS ?? '').split(' ').filter(Boolean)];
  const logFile = process.env.LOAD_GATEWAY_LOG
    ? createWriteStream(process.env.LOAD_GATEWAY_LOG, { flags: 'a' })
    : undefined;
  const child = spawn(process.execPath, [...flags, main], {
    env: gatewayEnv(backing, extra),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const counts = { warn: 0, error: 0, firstErrors: [] as string[] };
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the gateway did not start in 30 s')), 30_000);
    const onLine = (line: string) => {
      logFile?.write(`${line}\n`);
      const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 0);
      if (level === 40) counts.warn++;
      if (level >= 50 || (level === 0 && line.trim())) {
        counts.error++;
        if (counts.firstErrors.length < 5) counts.firstErrors.push(line.slice(0, 300));
      }
      if (line.includes('"gateway listening"')) {
        clearTimeout(timer);
        resolve(Number(/"port":(\d+)/.exec(line)?.[1]));
      }
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited (${code}) while starting: ${counts.firstErrors.join('\n')}`));
    });
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    logCounts: () => ({ ...counts, firstErrors: [...counts.firstErrors] }),
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
