import * as grpc from '@grpc/grpc-js';
import { FakeEngine } from '@deepface/fake-engine';
import { call, verify, waitUntil } from '../src/http';
import { startGateway, type GatewayProcess } from '../src/processes';
import { createCustomer, createScratch, moneyOf, type Customer, type Scratch } from '../src/stack';
import { TcpProxy } from '../src/tcp-proxy';

/**
 * Items 21–23 against a real gateway process (dist/main.js) whose engine link runs through a TCP proxy to a fake
 * gRPC engine: stalls end at the gateway's own deadline, failures are retried only when the engine was never
 * reached, an absent engine trips the breaker and is found again without a restart. Money is read from MariaDB.
 */
const DEADLINE_MS = 1_500;
const NOT_READY = {
  reason: 'NOT_READY' as const,
  message: 'loading /srv/models',
  retryable: true,
  retry_after_ms: 0,
};

describe('engine link faults (gateway process, fake engine behind a TCP proxy)', () => {
  let s: Scratch;
  const engine = new FakeEngine();
  let link: TcpProxy;
  let gw: GatewayProcess;
  // A second instance with a sensitive breaker, on its own link, for item 21.
  let link2: TcpProxy;
  let gw2: GatewayProcess;
  let env: Record<string, string>;
  let customer: Customer;
  let balance: number;

  beforeAll(async () => {
    s = await createScratch('engine-link');
    await engine.start();
    link = await new TcpProxy(engine.port).start();
    link2 = await new TcpProxy(engine.port).start();
    env = { DATABASE_URL: s.mysqlUrl() };
    const common = {
      ...env,
      ENGINE_TIMEOUT_MS: String(DEADLINE_MS),
      RATE_LIMIT_POINTS: '100000',
      // The fairness defaults have their own suite (fairness.test.ts); gw2 sets its own cap.
      ACCOUNT_RATE_LIMIT_POINTS: '100000',
      ACCOUNT_MAX_CONCURRENT: '0',
    };
    gw = await startGateway(
      'gateway',
      { ...common, ENGINE_ADDRESS: link.address, ENGINE_BREAKER_VOLUME: '1000' },
      `${s.dir}/gateway.log`,
    );
    [gw2, customer] = await Promise.all([
      startGateway(
        'gateway-2',
        {
          ...common,
          MIGRATE_ON_START: 'false',
          ENGINE_ADDRESS: link2.address,
          ENGINE_BREAKER_VOLUME: '3',
          ENGINE_BREAKER_RESET_MS: '1000',
          ACCOUNT_MAX_CONCURRENT: '4',
        },
        `${s.dir}/gateway-2.log`,
      ),
      createCustomer(env, '100'),
    ]);
    balance = 100_000_000;
  });
  afterAll(async () => {
    await gw?.kill();
    await gw2?.kill();
    await link?.stop();
    await link2?.stop();
    await engine.stop();
    await s?.close();
  });
  beforeEach(() => engine.reset());

  async function expectUncharged() {
    expect(await moneyOf(s.db, customer.accountId)).toMatchObject({ balance, reserved: 0, held: 0 });
  }

  it('item 22: a stalled engine → 504 once the configured deadline has passed (within +10 %), 0 charges', async () => {
    engine.answerAll({ kind: 'stall' });
    const res = await verify(gw.url, customer.key);
    expect(res.status).toBe(504);
    expect(res.body).toMatchObject({ status: 'error', result: 'engine_timeout' });
    // A behavioural bound, not a speed goal: never before the deadline, never long after it (slack for a busy CI).
    expect(res.ms).toBeGreaterThanOrEqual(DEADLINE_MS);
    expect(res.ms).toBeLessThan(DEADLINE_MS * 1.1 + 1_000);
    expect(engine.calls.Verify).toBe(1);
    await expectUncharged();
  });

  it('item 23: UNAVAILABLE is retried, 3 attempts at most; nothing else is retried; a retry charges once', async () => {
    engine.answerAll({ kind: 'error', code: grpc.status.UNAVAILABLE, detail: NOT_READY });
    const unavailable = await verify(gw.url, customer.key);
    expect(unavailable.status).toBe(503);
    expect(unavailable.body).toMatchObject({ result: 'engine_unavailable' });
    expect(unavailable.text).not.toMatch(/10\.1\.2\.3|srv\/models/);
    expect(engine.calls.Verify).toBe(3);
    await expectUncharged();

    for (const code of [
      grpc.status.RESOURCE_EXHAUSTED,
      grpc.status.INTERNAL,
      grpc.status.DEADLINE_EXCEEDED,
      grpc.status.UNKNOWN,
    ]) {
      engine.reset();
      engine.answerAll({ kind: 'error', code });
      const res = await verify(gw.url, customer.key);
      expect([503, 504]).toContain(res.status);
      expect(engine.calls.Verify).toBe(1);
    }
    await expectUncharged();

    engine.reset();
    engine.script.push({ kind: 'error', code: grpc.status.UNAVAILABLE, detail: NOT_READY });
    const retried = await verify(gw.url, customer.key);
    expect(retried.status).toBe(200);
    expect(engine.calls.Verify).toBe(2);
    balance -= 250_000;
    expect(await moneyOf(s.db, customer.accountId)).toMatchObject({ balance, reserved: 0, held: 0 });
  });

  it('item 21: engine down → 503 at once, the breaker opens, and the engine is found again without a restart', async () => {
    link2.cut('refuse');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await verify(gw2.url, customer.key);
      statuses.push(res.status);
      expect(res.body).toMatchObject({ status: 'error', result: 'engine_unavailable' });
      // "Quickly": bounded by the retry backoff, never by the engine deadline.
      expect(res.ms).toBeLessThan(DEADLINE_MS);
    }
    expect(statuses).toEqual(Array(6).fill(503));
    const ready = await call(gw2.url, '/readyz');
    expect((ready.body.checks as { engine: { breaker: string } }).engine.breaker).toBe('open');
    const open = await verify(gw2.url, customer.key);
    expect(open.status).toBe(503);
    expect(Number(open.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(engine.totalCalls()).toBe(0);
    await expectUncharged();

    const pid = gw2.process.pid;
    link2.restore();
    let recovered = 0;
    await waitUntil(
      async () => {
        const res = await verify(gw2.url, customer.key);
        if (res.status === 200) recovered++;
        return res.status === 200;
      },
      15_000,
      'the gateway to reach the engine again',
    );
    expect(recovered).toBe(1);
    expect(gw2.process.pid).toBe(pid);
    expect(gw2.process.exitCode).toBeNull();
    balance -= 250_000;
    expect(await moneyOf(s.db, customer.accountId)).toMatchObject({ balance, reserved: 0, held: 0 });
  });

  it('item 21: an engine that accepts connections but never answers (network blackhole) → 503/504, never a hang', async () => {
    link.cut('blackhole');
    try {
      const res = await verify(gw.url, customer.key);
      expect([503, 504]).toContain(res.status);
      expect(res.ms).toBeLessThan(DEADLINE_MS * 1.1 + 1_000);
      await expectUncharged();
    } finally {
      link.restore();
    }
  });
  it('item 18: one account may hold at most ACCOUNT_MAX_CONCURRENT requests in flight; beyond, 429 + Retry-After', async () => {
    engine.answerAll({ kind: 'ok', delayMs: 800 });
    const second = await createCustomer(env, '10');
    const answers = await Promise.all(Array.from({ length: 7 }, () => verify(gw2.url, customer.key)));
    // Another account is not affected while the first is at its cap.
    const busy = Array.from({ length: 4 }, () => verify(gw2.url, customer.key));
    const other = await verify(gw2.url, second.key);
    await Promise.all(busy);
    expect(other.status).toBe(200);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429, 429]);
    for (const limited of answers.filter((a) => a.status === 429)) {
      expect(limited.body).toMatchObject({ status: 'failed', result: 'rate_limited' });
      expect(limited.headers.get('retry-after')).toBe('1');
    }
    expect(engine.calls.Verify).toBe(4 + 4 + 1);
    balance -= 8 * 250_000;
    expect(await moneyOf(s.db, customer.accountId)).toMatchObject({ balance, reserved: 0, held: 0 });
    // The slots are given back: the next request is served.
    expect((await verify(gw2.url, customer.key)).status).toBe(200);
    balance -= 250_000;
  });
});
