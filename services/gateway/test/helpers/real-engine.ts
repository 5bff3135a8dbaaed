import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';

/** The built engine (services/engine/dist) as a child process with real models, for end-to-end tests. */
export const ENGINE_MAIN = path.resolve(__dirname, '../../../engine/dist/main.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface RealEngine {
  address: string;
  /** Everything the engine wrote to stdout and stderr so far (its logs). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts the engine on a free port with one worker and resolves once it reports ready (models loaded). */
export async function startRealEngine(options: { logLevel?: string } = {}): Promise<RealEngine> {
  if (!existsSync(ENGINE_MAIN)) {
    throw new Error(
      `${ENGINE_MAIN} is missing: build the engine first (pnpm --filter @deepface/engine build)`,
    );
  }
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--single-threaded-gc', ENGINE_MAIN], {
    env: {
      // As every launcher runs it (services/engine/src/main.ts).
      MALLOC_ARENA_MAX: '2',
      ...process.env,
      ENGINE_HOST: '127.0.0.1',
      ENGINE_PORT: String(port),
      // A free port: a fixed 9465 collides with any other engine on the machine (parallel runs).
      ENGINE_METRICS_PORT: '0',
      ENGINE_WORKERS: '1',
      LOG_LEVEL: options.logLevel ?? 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`engine not ready after 90 s:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/"msg":"ready/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`engine exited with ${code}:\n${output}`));
    });
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    address: `127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
