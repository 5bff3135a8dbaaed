import { FakeEngine } from '@deepface/fake-engine';
import { call, sleep, verify, waitUntil } from '../src/http';
import { admin, startGateway, type GatewayProcess } from '../src/processes';
import { createCustomer, createScratch, moneyOf, type Customer, type Scratch } from '../src/stack';
import { TcpProxy } from '../src/tcp-proxy';

/**
 * Items 3, 6, 7, 10, 19 and 25 against real gateway processes whose MariaDB and Redis links run through TCP proxies
 * (the shared servers are never stopped or paused): outages, a row lock held by another transaction, a gateway
 * SIGKILLed between the engine's answer and the capture, revocation seen by two instances. Money is read from
 * MariaDB directly and the suite ends with the ledger reconciliation.
 */
const ACQUIRE_MS = 1_000;
const PRICE = 250_000;

describe('storage faults (gateway processes, MariaDB and Redis behind TCP proxies)', () => {
  let s: Scratch;
  const engine = new FakeEngine();
  let dbLink: TcpProxy;
  let redisLink: TcpProxy;
  let gw: GatewayProcess;
  let gw2: GatewayProcess;
  let env: Record<string, string>;
  let customer: Customer;
  let balance: number;

  beforeAll(async () => {
    s = await createScratch('storage');
    await engine.start();
    dbLink = await new TcpProxy(s.mysqlPort).start();
    redisLink = await new TcpProxy(s.redisPort).start();
    env = { DATABASE_URL: s.mysqlUrl() };
    const gatewayEnv = {
      DATABASE_URL: s.mysqlUrl('127.0.0.1', dbLink.port),
      DB_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_MS),
      REDIS_URL: s.redisUrl('127.0.0.1', redisLink.port),
      REDIS_KEY_PREFIX: s.prefix,
      ENGINE_ADDRESS: engine.address,
      RATE_LIMIT_POINTS: '100000',
      // The fairness defaults have their own suite (fairness.test.ts).
      ACCOUNT_RATE_LIMIT_POINTS: '100000',
      ACCOUNT_MAX_CONCURRENT: '0',
    };
    gw = await startGateway('gateway', gatewayEnv, `${s.dir}/gateway.log`);
    // A second instance straight on MariaDB and Redis: it shares the data, not the links.
    [gw2, customer] = await Promise.all([
      startGateway(
        'gateway-2',
        { ...gatewayEnv, DATABASE_URL: s.mysqlUrl(), REDIS_URL: s.redisUrl(), MIGRATE_ON_START: 'false' },
        `${s.dir}/gateway-2.log`,
      ),
      createCustomer(env, '100'),
    ]);
    balance = 100_000_000;
  });
  afterAll(async () => {
    await gw?.kill();
    await gw2?.kill();
    await dbLink?.stop();
    await redisLink?.stop();
    await engine.stop();
    await s?.close();
  });
  beforeEach(() => engine.reset());

  const expectMoney = async (held = 0) =>
    expect(await moneyOf(s.db, customer.accountId)).toMatchObject({
      balance,
      reserved: held * PRICE,
      held,
    });

  it('item 25: database down → 503 within the acquire timeout (never 500, never a hang); back without a restart', async () => {
    expect((await verify(gw.url, customer.key)).status).toBe(200);
    balance -= PRICE;
    engine.reset();
    dbLink.cut('refuse');
    try {
      for (const path of ['/v1/verify', '/v1/account']) {
        const res = await call(gw.url, path, {
          key: customer.key,
          body: path === '/v1/verify' ? { img1: 'x', img2: 'x' } : undefined,
        });
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({ status: 'error', result: 'service_unavailable' });
        // "Within ~2 s": the acquire timeout plus generous slack for a loaded machine.
        expect(res.ms).toBeLessThan(ACQUIRE_MS + 2_000);
      }
      const ready = await call(gw.url, '/readyz');
      expect(ready.status).toBe(503);
      expect((ready.body.checks as { database: string }).database).toBe('down');
      expect(engine.totalCalls()).toBe(0);
    } finally {
      dbLink.restore();
    }
    const pid = gw.process.pid;
    await waitUntil(async () => (await call(gw.url, '/readyz')).status === 200, 10_000, 'readiness');
    expect((await verify(gw.url, customer.key)).status).toBe(200);
    balance -= PRICE;
    expect(gw.process.pid).toBe(pid);
    await expectMoney();
  });

  it('item 25: a database link that silently drops packets → 503 within the query timeout, never a hang', async () => {
    // Pooled connections are open (the previous request used them); their queries now go nowhere.
    expect((await verify(gw.url, customer.key)).status).toBe(200);
    balance -= PRICE;
    dbLink.cut('blackhole');
    try {
      const res = await call(gw.url, '/v1/account', { key: customer.key });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 'error', result: 'service_unavailable' });
      // The gateway's query inactivity timeout is 5 × DB_ACQUIRE_TIMEOUT_MS; slack for a loaded machine.
      expect(res.ms).toBeLessThan(5 * ACQUIRE_MS + 2_000);
    } finally {
      dbLink.restore();
    }
    await waitUntil(async () => (await verify(gw.url, customer.key)).status === 200, 10_000, 'recovery');
    balance -= PRICE;
    await expectMoney();
  });

  it('item 19: Redis down (refused or blackholed) → the API keeps serving and billing is unaffected', async () => {
    for (const how of ['refuse', 'blackhole'] as const) {
      redisLink.cut(how);
      try {
        for (let i = 0; i < 3; i++) {
          const res = await verify(gw.url, customer.key);
          expect(res.status).toBe(200);
          expect(res.body.billing).toEqual({ charged: 0.25, currency: 'USD' });
          // The in-process limiter answers: the headers are still there.
          expect(res.headers.get('ratelimit-policy')).toBeTruthy();
          balance -= PRICE;
        }
        const ready = await call(gw.url, '/readyz');
        expect(ready.status).toBe(200);
        expect((ready.body.checks as { redis: string }).redis).toBe('down');
        // A batch job is stored and accepted (a worker's sweep queues it once Redis is back): never a 500 or a hang.
        const job = await call(gw.url, '/v1/jobs', {
          key: customer.key,
          body: { items: [{ type: 'analyze', image: 'https://example.com/a.jpg' }] },
        });
        expect(job.status).toBe(202);
        expect(job.ms).toBeLessThan(5_000);
      } finally {
        redisLink.restore();
      }
    }
    expect(gw.process.exitCode).toBeNull();
    await expectMoney();
    await waitUntil(
      async () => ((await call(gw.url, '/readyz')).body.checks as { redis: string }).redis === 'ok',
      10_000,
      'Redis to be back',
    );
  });

  it('item 7: a row lock held by another transaction is waited out and retried: 200 if it is released in time, else 503 with nothing partial', async () => {
    // Longer than one lock wait (the gateway's lock wait timeout follows DB_ACQUIRE_TIMEOUT_MS), shorter than all.
    const trx = await s.db.transaction();
    await trx('accounts').where({ id: customer.accountId }).forUpdate().select('id');
    const pending = verify(gw.url, customer.key);
    await sleep(ACQUIRE_MS * 1.5);
    await trx.commit();
    const res = await pending;
    expect(res.status).toBe(200);
    balance -= PRICE;
    expect(engine.calls.Verify).toBe(1);

    // Never released: every attempt times out → 503, the engine never called, nothing reserved.
    const held = await s.db.transaction();
    await held('accounts').where({ id: customer.accountId }).forUpdate().select('id');
    try {
      const blocked = await verify(gw.url, customer.key);
      expect(blocked.status).toBe(503);
      expect(blocked.body).toMatchObject({ status: 'error', result: 'service_unavailable' });
      expect(engine.calls.Verify).toBe(1);
    } finally {
      await held.rollback();
    }
    await expectMoney();
  });

  it('item 3: a gateway SIGKILLed between the engine answer and the capture → the reaper releases it exactly once', async () => {
    const victim = await startGateway(
      'gateway-victim',
      { DATABASE_URL: s.mysqlUrl(), ENGINE_ADDRESS: engine.address, MIGRATE_ON_START: 'false' },
      `${s.dir}/gateway-victim.log`,
    );
    // The engine receives the call and freezes the gateway before answering: the answer reaches a process that
    // can no longer capture; then it is killed.
    engine.onCall = () => {
      victim.process.kill('SIGSTOP');
    };
    const lost = verify(victim.url, customer.key).catch((error: unknown) => error);
    await waitUntil(() => engine.calls.Verify === 1, 10_000, 'the engine call');
    await sleep(200); // the answer is on the wire
    expect(await victim.kill('SIGKILL')).toBe('SIGKILL');
    expect(String(await lost)).toMatch(/fetch failed/); // the client never got an answer
    await expectMoney(1);

    // The hold is older than RESERVATION_TTL_S (moved back in time rather than waited for), then reaped.
    const reaperEnv = { ...env, RESERVATION_TTL_S: '60' };
    await s
      .db('reservations')
      .where({ account_id: customer.accountId, status: 'held' })
      .update({ created_at: Date.now() - 120_000 });
    expect(await admin(reaperEnv, 'reap')).toEqual({ released: 1 });
    expect(await admin(reaperEnv, 'reap')).toEqual({ released: 0 });
    await expectMoney(0);
    expect((await moneyOf(s.db, customer.accountId)).captures).toBe(
      Math.round((100_000_000 - balance) / PRICE),
    );
  });

  it('item 10: a revoked key is refused by every gateway instance within 5 s', async () => {
    const other = await createCustomer(env, '1');
    for (const g of [gw, gw2])
      expect((await call(g.url, '/v1/account', { key: other.key })).status).toBe(200);
    await admin(env, 'key:revoke', other.keyId);
    const revokedAt = Date.now();
    const seen: number[] = [];
    for (const g of [gw, gw2]) {
      await waitUntil(
        async () => (await call(g.url, '/v1/account', { key: other.key })).status === 401,
        5_000,
        `${g.name} to refuse the revoked key`,
      );
      seen.push(Date.now() - revokedAt);
    }
    expect(Math.max(...seen)).toBeLessThan(5_000);
  });

  it('item 6: after all of the above the ledger reconciles with 0 mismatches and nothing is left held', async () => {
    expect(await admin(env, 'reconcile')).toEqual({ mismatches: [], ok: true });
    const held = await s.db('reservations').where({ status: 'held' }).count({ n: '*' });
    expect(Number(held[0]?.n)).toBe(0);
    // Every capture has its reservation, and every reservation settled once.
    const doubles = await s
      .db('ledger_entries')
      .whereIn('type', ['capture', 'release'])
      .groupBy('reservation_id')
      .havingRaw('count(*) > 1')
      .select('reservation_id');
    expect(doubles).toEqual([]);
  });
});
