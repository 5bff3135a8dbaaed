import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import * as path from 'node:path';

/** The built services this package drives as black boxes (build first: `pnpm -r run build`). */
export const GATEWAY_DIST = path.dirname(require.resolve('@deepface/gateway/package.json')) + '/dist';
export const ENGINE_MAIN = path.dirname(require.resolve('@deepface/engine/package.json')) + '/dist/main.js';

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** Everything written to stdout and stderr so far (also appended to `logFile`). */
  output(): string;
  readonly logFile: string;
  /** Resolves with the exit code, or the signal's name. */
  readonly exited: Promise<number | string>;
  /** Waits until the output matches (from the start), or fails with the output. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Spawns `node <file>` with exactly `env` (plus PATH), its stdout and stderr appended to `logFile`. */
export function spawnNode(
  name: string,
  file: string,
  env: Record<string, string | undefined>,
  logFile: string,
  nodeArgs: string[] = [],
): Child {
  if (!existsSync(file)) throw new Error(`${file} is missing: build it first (pnpm -r run build)`);
  const child = spawn(process.execPath, [...nodeArgs, file], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile, { flags: 'a' });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    log.write(chunk);
    for (const w of waiters) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
      for (const w of waiters) w();
    }),
  );
  void exited.then(() => log.end());
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output);
        if (match) return done(() => resolve(match));
        if (child.exitCode !== null || child.signalCode !== null) {
          done(() => reject(new Error(`${name} exited before ${pattern}:\n${output.slice(-4000)}`)));
        }
      };
      const timer = setTimeout(
        () =>
          done(() =>
            reject(new Error(`${name}: no ${pattern} after ${timeoutMs} ms:\n${output.slice(-4000)}`)),
          ),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });
  return {
    name,
    process: child,
    output: () => output,
    logFile,
    exited,
    waitFor,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface GatewayProcess extends Child {
  url: string;
  metricsPort: number;
}

/** A port free right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts dist/main.js and resolves once it listens. The port is picked here (not PORT=0): the dashboard accepts
 * changes only from its public origins, by default localhost and 127.0.0.1 on PORT.
 */
export async function startGateway(
  name: string,
  env: Record<string, string | undefined>,
  logFile: string,
): Promise<GatewayProcess> {
  const port = String(await freePort());
  const child = spawnNode(
    name,
    path.join(GATEWAY_DIST, 'main.js'),
    { NODE_ENV: 'test', HOST: '127.0.0.1', PORT: port, METRICS_PORT: '0', DEMO_ACCOUNT: 'false', ...env },
    logFile,
  );
  try {
    // The bound port and METRICS_PORT=0's free port are read back from the log lines.
    const listening = await child.waitFor(/^.*"msg":"gateway listening".*$/m);
    const port = Number(/"port":(\d+)/.exec(listening[0])![1]);
    const metrics = await child.waitFor(/^.*"port":(\d+).*"msg":"metrics listening".*$/m);
    return { ...child, url: `http://127.0.0.1:${port}`, metricsPort: Number(metrics[1]) };
  } catch (error) {
    await child.kill();
    throw error;
  }
}

/** Starts dist/worker.js (batch jobs) and resolves once it runs. */
export async function startWorker(env: Record<string, string | undefined>, logFile: string): Promise<Child> {
  const child = spawnNode(
    'worker',
    path.join(GATEWAY_DIST, 'worker.js'),
    { NODE_ENV: 'test', METRICS_PORT: '0', ...env },
    logFile,
  );
  await child.waitFor(/worker started/);
  return child;
}

/** Runs one admin CLI command (dist/cli/admin.js) and returns its JSON answer. */
export function admin<T = Record<string, unknown>>(
  env: Record<string, string | undefined>,
  ...args: string[]
) {
  return new Promise<T>((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(GATEWAY_DIST, 'cli', 'admin.js'), ...args],
      { env: { PATH: process.env.PATH, NODE_ENV: 'test', ...env } },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`admin ${args.join(' ')} failed: ${stdout}${stderr}`));
        try {
          resolve(JSON.parse(stdout) as T);
        } catch {
          reject(new Error(`admin ${args.join(' ')}: not JSON: ${stdout}`));
        }
      },
    );
  });
}

/** The real engine (dist/main.js, real models, one worker) on `port`; resolves once it reports ready. */
export async function startRealEngine(
  port: number,
  env: Record<string, string | undefined>,
  logFile: string,
): Promise<Child> {
  const child = spawnNode(
    'engine',
    ENGINE_MAIN,
    {
      ENGINE_HOST: '127.0.0.1',
      ENGINE_PORT: String(port),
      MALLOC_ARENA_MAX: '2', // as every launcher runs it (services/engine/src/main.ts)
      ENGINE_WORKERS: '1',
      ENGINE_METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    logFile,
    ['--single-threaded-gc'],
  );
  try {
    await child.waitFor(/"msg":"ready/, 120_000);
  } catch (error) {
    await child.kill();
    throw error;
  }
  return child;
}

/**
 * The engine's real server and worker pool (dist/main.js) running the fake worker of its tests instead of the
 * models: inference is a delay or a refusal steered by the image (services/engine/test/support/fake-worker.js), so
 * scheduling can be observed without CPU-bound timing. Resolves once it reports ready.
 */
export async function startFakeWorkerEngine(
  port: number,
  env: Record<string, string | undefined>,
  logFile: string,
): Promise<Child> {
  const child = spawnNode(
    'engine-fake-worker',
    ENGINE_MAIN,
    {
      ENGINE_HOST: '127.0.0.1',
      ENGINE_PORT: String(port),
      MALLOC_ARENA_MAX: '2', // as every launcher runs it (services/engine/src/main.ts)
      ENGINE_METRICS_PORT: '0',
      ENGINE_WORKER_FILE: FAKE_WORKER,
      LOG_LEVEL: 'info',
      ...env,
    },
    logFile,
    ['--single-threaded-gc'],
  );
  try {
    await child.waitFor(/"msg":"ready/, 60_000);
  } catch (error) {
    await child.kill();
    throw error;
  }
  return child;
}

export const FAKE_WORKER =
  path.dirname(require.resolve('@deepface/engine/package.json')) + '/test/support/fake-worker.js';

/** Resident memory of a process in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}
