import * as http from 'node:http';
import { VERIFIED } from '../fakes/fake-engine';
import { asBase64, pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';
import { type Child, childEnv, startChild } from '../jobs/processes';

const IMG = asBase64(pngImage(16, 16));

/**
 * SIGTERM while metered requests run whose clients have already gone (a load balancer's timeout, a load generator
 * stopping): their sockets are closed, so the listener closes at once, but their handlers still hold reservations.
 * The process must let them settle before it closes the database and the engine channel: no hold left for the
 * reaper, no error logged, exit 0.
 */
describe('gateway shutdown with abandoned in-flight requests', () => {
  let gw: TestGateway;
  let child: Child | undefined;

  beforeAll(async () => {
    gw = await startGateway();
    gw.engine.behaviour.Verify = { kind: 'ok', response: VERIFIED, delayMs: 1_000 };
  });
  afterAll(async () => {
    if (child && child.process.exitCode === null) child.process.kill('SIGKILL');
    await gw.close();
  });

  it('settles every reservation before closing the database', async () => {
    const { key, account } = await createCustomer(gw, { balanceMicros: 10_000_000 });
    child = await startChild(
      'main.js',
      childEnv(gw.config, { MIGRATE_ON_START: 'false', DEMO_ACCOUNT: 'false' }),
      /gateway listening/,
    );
    const port = Number(
      /"port":(\d+)/.exec(
        child
          .output()
          .split('\n')
          .find((l) => l.includes('gateway listening'))!,
      )![1],
    );
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
    child.process.kill('SIGTERM');

    expect(await child.exited).toBe(0);
    expect(child.output()).not.toMatch(/"level":(50|60)/);
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
