import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { exposure, LOOPBACK_ONLY } from '../../../../test/reliability/src/listeners';
import { SAMPLE_ID_CARD, SAMPLE_SELFIE } from '../../src/openapi/samples';
import { freePort } from '../helpers/real-engine';

/**
 * The README's first command, minus install and build: scripts/start.mjs brings up the real engine and the
 * gateway, prints where they listen, the demo key and a curl command — and that very command, run by a shell,
 * returns a real verification of the synthetic ID card against the selfie. The engine's gRPC port and every
 * metrics port listen on loopback only (issue 18). Ctrl-C (SIGINT) stops everything.
 */
const ROOT = path.resolve(__dirname, '../../../..');

interface Started {
  proc: ChildProcess;
  output: () => string;
  dataDir: string;
  port: number;
  enginePort: number;
  metricsPort: number;
  engineMetricsPort: number;
}

describe('npm start (scripts/start.mjs, real engine)', () => {
  const started: Started[] = [];

  afterAll(() => {
    for (const { proc, dataDir } of started) {
      // The whole process group: a SIGKILLed start.mjs cannot stop its engine and gateway itself.
      if (proc.exitCode === null && proc.pid) process.kill(-proc.pid, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  /** Runs start.mjs on free ports and a fresh data directory until it says how to stop it. */
  async function start(env: Record<string, string> = {}): Promise<Started> {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'deepface-start-'));
    const [port, enginePort, metricsPort, engineMetricsPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const proc = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        PORT: String(port),
        ENGINE_PORT: String(enginePort),
        METRICS_PORT: String(metricsPort),
        ENGINE_METRICS_PORT: String(engineMetricsPort),
        ENGINE_WORKERS: '1',
        START_DATA_DIR: dataDir,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a failed test leaves no service behind
    });
    let output = '';
    proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const run = { proc, output: () => output, dataDir, port, enginePort, metricsPort, engineMetricsPort };
    started.push(run);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not up after 120 s:\n${output}`)), 120_000);
      const poll = setInterval(() => {
        if (/Ctrl-C stops both services/.test(output)) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve();
        }
      }, 100);
      proc.once('exit', (code) => {
        clearInterval(poll);
        clearTimeout(timer);
        reject(new Error(`start.mjs exited with ${code}:\n${output}`));
      });
    });
    return run;
  }

  async function stop({ proc, output }: Started): Promise<void> {
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    proc.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output()).toContain('› stopped');
  }

  it('prints a curl call that verifies for real, then stops cleanly on Ctrl-C', async () => {
    const run = await start();
    const output = run.output();
    expect(output).toMatch(/loading models… \d\/1 workers ready/);
    expect(output).toContain(`http://localhost:${run.port}/docs`);
    expect(output).toContain(`http://localhost:${run.port}/dashboard`);
    expect(output).toContain(`gRPC 127.0.0.1:${run.enginePort}`);
    // Reachable from this machine only: the socket table says 127.0.0.1, and this machine's other address is refused.
    for (const internal of [run.enginePort, run.engineMetricsPort, run.metricsPort]) {
      expect([internal, await exposure(internal)]).toEqual([internal, LOOPBACK_ONLY]);
    }
    expect(output).toMatch(/Demo account created .*\n\n {2}df_live_[0-9A-Za-z]+/);
    const curl = output.split('\n').find((line) => line.trim().startsWith('curl -s '));
    expect(curl).toBeDefined();
    const answer = JSON.parse(execSync(curl!.trim(), { cwd: ROOT, encoding: 'utf8' })) as {
      result: string;
      engine_response: { verified: boolean };
      billing: { charged: number };
    };
    expect(answer).toMatchObject({
      result: 'verified',
      engine_response: { verified: true },
      billing: { charged: 0.25 },
    });
    // No REDIS_URL on the defaults: batch jobs are off, said at start and by the API (not a 503 to retry).
    expect(output).toContain('Batch jobs    off: they need Redis (set REDIS_URL)');
    const key = /df_live_[0-9A-Za-z]+/.exec(output)?.[0] ?? '';
    const jobs = await fetch(`http://127.0.0.1:${run.port}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ items: [{ type: 'analyze', image: 'https://example.com/face.jpg' }] }),
    });
    expect([jobs.status, ((await jobs.json()) as { result: string }).result]).toEqual([
      501,
      'jobs_not_enabled',
    ]);
    await stop(run);
  }, 180_000);

  // Readiness comes from grpc.health.v1 and /readyz, not from the services' info-level "ready" log lines (which
  // LOG_LEVEL=warn hides: the old script waited for them forever). The samples come from the product's build.
  it('starts with LOG_LEVEL=warn, on health checks alone; still prints a password reset link', async () => {
    const run = await start({ LOG_LEVEL: 'warn' });
    const output = run.output();
    expect(output).not.toMatch(/loading models…/); // the info lines are really off
    expect(output).toMatch(/engine +ready/);
    expect(output).toMatch(/Demo account created .*\n\n {2}df_live_[0-9A-Za-z]+/);
    const ready = await fetch(`http://127.0.0.1:${run.port}/readyz`);
    expect(ready.status).toBe(200);
    const verify = JSON.parse(
      readFileSync(path.join(run.dataDir, 'samples', 'verify.json'), 'utf8'),
    ) as unknown;
    expect(verify).toEqual({ img1: SAMPLE_ID_CARD, img2: SAMPLE_SELFIE });

    // No SMTP here: a dashboard password reset link is printed whatever the log level, never the address.
    const site = `http://127.0.0.1:${run.port}`;
    const post = (route: string, body: object) =>
      fetch(`${site}/dashboard/api/${route}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: site },
        body: JSON.stringify(body),
      });
    const email = `start.${Date.now()}@example.test`;
    expect(
      (await post('signup', { email, name: 'Start Test', password: 'Quartz-lantern-47-orbit!' })).status,
    ).toBe(201);
    expect((await post('password-reset/request', { email })).status).toBe(202);
    const printed = /password reset link \(not e-mailed: SMTP_URL is not set\): (\S+)/;
    for (let i = 0; i < 100 && !printed.test(run.output()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const link = printed.exec(run.output())?.[1];
    expect(link).toMatch(
      new RegExp(`^http://localhost:${run.port}/dashboard/#/reset\\?token=[A-Za-z0-9_-]{43}$`),
    );
    expect(run.output()).not.toContain(email);
    await stop(run);
  }, 180_000);
});
