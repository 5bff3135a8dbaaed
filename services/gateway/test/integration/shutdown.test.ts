import * as http from 'node:http';
import request from 'supertest';
import { VERIFIED } from '@deepface/fake-engine';
import { asBase64, pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';
import { type Child, childEnv, startChild } from '../jobs/processes';

const IMG = asBase64(pngImage(16, 16));

/**
 * SIGTERM on a real gateway process (dist/main.js): readiness fails at once, requests already in flight finish
 * (and are charged) while the listener stays open for SHUTDOWN_DELAY_MS, then the process exits 0. Requests whose
 * clients have already gone (a load balancer's timeout, a load generator stopping) close their sockets, so the
 * listener closes at once, but their handlers still hold reservations: the process must let them settle before it
 * closes the database and the engine channel.
 */
describe('gateway graceful shutdown', () => {
  let gw: TestGateway;
  let child: Child | undefined;

  beforeAll(async () => {
    gw = await startGateway();
  });
  beforeEach(() => gw.engine.resetCalls());

  /** Starts dist/main.js against the test database and fake engine; PORT=0 picks a free port, read from its log. */
  async function startProcess(env: Record<string, string> = {}): Promise<{ proc: Child; port: number }> {
    const started = await startChild(
      'main.js',
      childEnv(gw.config, { ...env, MIGRATE_ON_START: 'false', DEMO_ACCOUNT: 'false' }),
      /gateway listening/,
    );
    child = started;
    const line = started
      .output()
      .split('\n')
      .find((l) => l.includes('gateway listening'));
    return { proc: started, port: Number(/"port":(\d+)/.exec(line ?? '')?.[1] ?? 0) };
  }

  afterAll(async () => {
    if (child && child.process.exitCode === null) child.process.kill('SIGKILL');
    await gw.close();
  });

  it('drains: 0 failed in-flight requests, /readyz 503 while draining, exit 0, nothing left held', async () => {
    const { key, account } = await createCustomer(gw, { balanceMicros: 10_000_000 });
    gw.engine.behaviour.Verify = { kind: 'ok', response: VERIFIED, delayMs: 1_500 };
    // The listener stays open this long after SIGTERM: long enough for the /readyz probe below to reach it even
    // when a loaded machine delays the signal's handling or the probe.
    const { proc, port } = await startProcess({ SHUTDOWN_DELAY_MS: '3000' });
    expect(port).toBeGreaterThan(0);
    const base = `http://127.0.0.1:${port}`;
    const inFlight = Array.from({ length: 8 }, () =>
      request(base).post('/v1/verify').set('X-API-KEY', key).send({ img1: IMG, img2: IMG }),
    );
    const sent = inFlight.map((r) => r.then((res) => res));
    await waitUntil(() => gw.engine.calls.Verify >= 8);
    proc.process.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ready = await request(base).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.draining).toBe(true);

    const results = await Promise.all(sent);
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(await proc.exited).toBe(0);
    expect(await gw.services.repos.reservations.countHeld(gw.db, account.id)).toBe(0);
    expect((await gw.services.accounts.getAccount(account.id)).balance_micros).toBe(10_000_000 - 8 * 250_000);
  });

  it('settles every reservation of abandoned requests before closing the database', async () => {
    const { key, account } = await createCustomer(gw, { balanceMicros: 10_000_000 });
    gw.engine.behaviour.Verify = { kind: 'ok', response: VERIFIED, delayMs: 1_000 };
    const { proc, port } = await startProcess();
    const body = JSON.stringify({ img1: IMG, img2: IMG });
    const requests = Array.from({ length: 4 }, () => {
      const req = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/verify',
        headers: {
          'content-type': 'application/json',
          'x-api-key': key,
          'content-length': Buffer.byteLength(body),
        },
      });
      req.on('error', () => undefined); // destroyed below on purpose
      req.end(body);
      return req;
    });
    await waitUntil(() => gw.engine.calls.Verify >= 4);
    for (const req of requests) req.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    proc.process.kill('SIGTERM');

    expect(await proc.exited).toBe(0);
    expect(proc.output()).not.toMatch(/"level":(50|60)/);
    expect(await gw.services.repos.reservations.countHeld(gw.db, account.id)).toBe(0);
    // The verifications succeeded, so they are charged, as when a client disconnects at any other time.
    expect((await gw.services.accounts.getAccount(account.id)).balance_micros).toBe(10_000_000 - 4 * 250_000);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
