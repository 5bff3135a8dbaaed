import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { exposure, LOOPBACK_ONLY } from '../../../../test/reliability/src/listeners';
import { freePort } from '../helpers/real-engine';

/**
 * The README's first command, minus install and build: scripts/start.mjs brings up the real engine and the
 * gateway, prints where they listen, the demo key and a curl command — and that very command, run by a shell,
 * returns a real verification of the synthetic ID card against the selfie. The engine's gRPC port and every
 * metrics port listen on loopback only (issue 18). Ctrl-C (SIGINT) stops everything.
 */
const ROOT = path.resolve(__dirname, '../../../..');

describe('npm start (scripts/start.mjs, real engine)', () => {
  let child: ChildProcess | undefined;
  let dataDir: string;

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints a curl call that verifies for real, then stops cleanly on Ctrl-C', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'deepface-start-'));
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
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let output = '';
    proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
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

    expect(output).toMatch(/loading models… \d\/1 workers ready/);
    expect(output).toContain(`http://localhost:${port}/docs`);
    expect(output).toContain(`http://localhost:${port}/dashboard`);
    expect(output).toContain(`gRPC 127.0.0.1:${enginePort}`);
    // Reachable from this machine only: the socket table says 127.0.0.1, and this machine's other address is refused.
    for (const internal of [enginePort, engineMetricsPort, metricsPort]) {
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

    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    proc.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('› stopped');
  }, 180_000);
});
