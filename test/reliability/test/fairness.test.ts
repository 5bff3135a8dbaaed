import sharp from 'sharp';
import { call, sleep, type Answer } from '../src/http';
import {
  admin,
  startFakeWorkerEngine,
  startGateway,
  type Child,
  type GatewayProcess,
} from '../src/processes';
import { withMarker } from '../src/privacy-scan';
import { createCustomer, createScratch, moneyOf, type Customer, type Scratch } from '../src/stack';
import { TcpProxy } from '../src/tcp-proxy';

/**
 * Item 4 of issue 18 ("free compute that starves other customers"): one account floods with worst-case images —
 * 40-megapixel images without a face, refused and therefore free, many at once through several keys — while
 * another account verifies. Real processes: the gateway (dist/main.js) on MariaDB and Redis, and the engine's real
 * gRPC server and worker pool (dist/main.js) with the fake worker of its tests, whose "inference" is a delay read
 * from the image (a JPEG comment): a refused 40-MP image holds a worker FLOOD_MS, about what the real engine spends
 * on one (README, cost model), without making the test depend on this machine's CPU.
 *
 * Before the fix, the flooder's calls filled the engine's 2 workers and its queue of 8, and the other account's
 * verifications were refused with 503 (engine busy). The order in which the engine serves waiting tasks is pinned
 * by services/engine/test/pool/fairness.test.ts; here the latencies are printed, not asserted (they carry this
 * machine's load).
 */
const FLOOD_MS = 1_200;
const VICTIM_MS = 100;
const FLOOD_LOOPS = 16;
const VICTIM_CALLS = 6;

const jpeg = async (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#8899aa' } })
    .jpeg({ quality: 70 })
    .toBuffer();
const carrying = (image: Buffer, command: Record<string, unknown>) =>
  `data:image/jpeg;base64,${withMarker(image, `deepface-fake:${JSON.stringify(command)}\n`).toString('base64')}`;

describe('fairness between accounts (gateway and engine processes)', () => {
  let s: Scratch;
  let engine: Child;
  let enginePort: number;
  const gateways: GatewayProcess[] = [];
  let floodImage: string;
  let victimImage: string;

  beforeAll(async () => {
    s = await createScratch('fairness');
    const probe = await new TcpProxy(1).start();
    enginePort = probe.port;
    await probe.stop();
    // Two workers and the default queue of 4 × workers.
    engine = await startFakeWorkerEngine(enginePort, { ENGINE_WORKERS: '2' }, `${s.dir}/engine.log`);
    const huge = await jpeg(7300, 5479); // 40.0 MP: the largest image the gateway and the engine accept
    floodImage = carrying(huge, { delayMs: FLOOD_MS, fail: 'NO_FACE' });
    victimImage = carrying(await jpeg(640, 480), { delayMs: VICTIM_MS });
  });
  afterAll(async () => {
    for (const gw of gateways) await gw.kill();
    await engine?.kill();
    await s?.close();
  });

  async function gateway(name: string, extra: Record<string, string>): Promise<GatewayProcess> {
    const gw = await startGateway(
      name,
      {
        DATABASE_URL: s.mysqlUrl(),
        REDIS_URL: s.redisUrl(),
        REDIS_KEY_PREFIX: `${s.prefix}${name}:`,
        ENGINE_ADDRESS: `127.0.0.1:${enginePort}`,
        ...(gateways.length > 0 ? { MIGRATE_ON_START: 'false' } : {}),
        ...extra,
      },
      `${s.dir}/${name}.log`,
    );
    gateways.push(gw);
    return gw;
  }

  /** `loops` clients of one account, each sending an image as soon as its previous answer came (after Retry-After). */
  function flood(gw: GatewayProcess, keys: string[], loops: number) {
    let stop = false;
    const statuses: number[] = [];
    const running = Array.from({ length: loops }, async (_, i) => {
      while (!stop) {
        const res = await call(gw.url, '/v1/analyze', {
          key: keys[i % keys.length],
          body: { image: floodImage },
        });
        statuses.push(res.status);
        if (res.status === 429 || res.status === 503) {
          await sleep(Number(res.headers.get('retry-after') ?? '1') * 1000);
        }
      }
    });
    return {
      statuses,
      async stop() {
        stop = true;
        await Promise.all(running);
      },
    };
  }

  /** The other account: verifications one after another, while the flood runs. */
  async function victim(gw: GatewayProcess, customer: Customer): Promise<Answer[]> {
    const answers: Answer[] = [];
    for (let i = 0; i < VICTIM_CALLS; i++) {
      answers.push(
        await call(gw.url, '/v1/verify', {
          key: customer.key,
          body: { img1: victimImage, img2: victimImage },
        }),
      );
    }
    return answers;
  }

  async function flooderWithKeys(
    env: Record<string, string>,
    keys: number,
  ): Promise<Customer & { keys: string[] }> {
    const flooder = await createCustomer(env, '100', 'Flooder');
    const extra: string[] = [];
    for (let i = 1; i < keys; i++) {
      extra.push((await admin<{ api_key: string }>(env, 'key:create', flooder.accountId)).api_key);
    }
    return { ...flooder, keys: [flooder.key, ...extra] };
  }

  it('with the default settings, another account verifies while one floods with refused 40-MP images', async () => {
    const env = { DATABASE_URL: s.mysqlUrl() };
    const gw = await gateway('gateway-defaults', {});
    const flooder = await flooderWithKeys(env, 3);
    const other = await createCustomer(env, '10', 'Other');

    const attack = flood(gw, flooder.keys, FLOOD_LOOPS);
    await sleep(FLOOD_MS / 2); // the flood has reached the engine
    const answers = await victim(gw, other);
    await attack.stop();

    expect(answers.map((a) => a.status)).toEqual(Array(VICTIM_CALLS).fill(200));
    expect(answers.every((a) => a.body.result === 'verified')).toBe(true);
    const slowest = Math.max(...answers.map((a) => a.ms));
    process.stdout.write(
      `fairness (defaults): other account ${VICTIM_CALLS} × 200, slowest ${Math.round(slowest)} ms; ` +
        `flood: ${count(attack.statuses)}\n`,
    );
    // The flooder's refusals were free and held the engine; the account cap answered the rest with 429.
    expect(attack.statuses).toContain(400);
    expect(attack.statuses).toContain(429);
    expect(attack.statuses).not.toContain(500);
    expect(await moneyOf(s.db, flooder.accountId)).toMatchObject({ balance: 100_000_000, reserved: 0 });
    expect(await moneyOf(s.db, other.accountId)).toMatchObject({
      balance: 10_000_000 - VICTIM_CALLS * 250_000,
    });
  });

  it('with the account cap raised, the engine alone keeps it fair: a full queue gives way to the other account', async () => {
    const env = { DATABASE_URL: s.mysqlUrl() };
    const gw = await gateway('gateway-uncapped', {
      ACCOUNT_MAX_CONCURRENT: '0',
      ACCOUNT_RATE_LIMIT_POINTS: '100000',
      RATE_LIMIT_POINTS: '100000',
    });
    const flooder = await flooderWithKeys(env, 1);
    const other = await createCustomer(env, '10', 'Other (uncapped)');

    const attack = flood(gw, flooder.keys, FLOOD_LOOPS);
    await sleep(FLOOD_MS / 2);
    const answers = await victim(gw, other);
    await attack.stop();

    expect(answers.map((a) => a.status)).toEqual(Array(VICTIM_CALLS).fill(200));
    const slowest = Math.max(...answers.map((a) => a.ms));
    process.stdout.write(
      `fairness (no account cap): other account ${VICTIM_CALLS} × 200, slowest ${Math.round(slowest)} ms; ` +
        `flood: ${count(attack.statuses)}\n`,
    );
    // The engine was full: the flooder, and only the flooder, was shed (503, nothing charged).
    expect(attack.statuses).toContain(503);
    expect(await moneyOf(s.db, flooder.accountId)).toMatchObject({ balance: 100_000_000, reserved: 0 });
  });
});

function count(statuses: number[]): string {
  const by = new Map<number, number>();
  for (const status of statuses) by.set(status, (by.get(status) ?? 0) + 1);
  return [...by].map(([status, n]) => `${n} × ${status}`).join(', ');
}
