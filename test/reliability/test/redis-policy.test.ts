import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { TcpProxy } from '../src/tcp-proxy';
import { admin, startGateway, startWorker } from '../src/processes';
import { createScratch, type Scratch } from '../src/stack';

/**
 * Item 27: BullMQ delivery is at-least-once only if Redis never evicts its keys. A private redis-server (never the
 * shared one) runs with an evicting policy; the worker and the API must say so at start. Against the shared Redis
 * (noeviction) they stay quiet.
 */
const WARNING = /Eviction policy is allkeys-lru\. It should be "noeviction"/;

describe('Redis maxmemory-policy (item 27)', () => {
  let s: Scratch;
  let server: ChildProcess | undefined;
  let port: number;

  beforeAll(async () => {
    s = await createScratch('redis-policy');
    await admin({ DATABASE_URL: s.mysqlUrl() }, 'migrate');
    const probe = await new TcpProxy(1).start();
    port = probe.port;
    await probe.stop();
    server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    server.on('error', () => undefined);
    let client: Redis | undefined;
    for (let i = 0; !client; i++) {
      const attempt = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null });
      attempt.on('error', () => undefined);
      try {
        await attempt.connect();
        client = attempt;
      } catch (error) {
        attempt.disconnect();
        if (i > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
    client.disconnect();
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await s?.close();
  });

  const env = (redisUrl: string) => ({
    DATABASE_URL: s.mysqlUrl(),
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: s.prefix,
    MIGRATE_ON_START: 'false',
    ENGINE_ADDRESS: '127.0.0.1:1',
  });

  it('the worker and the API warn at start when Redis may evict queue keys', async () => {
    const worker = await startWorker(env(`redis://127.0.0.1:${port}`), `${s.dir}/worker-lru.log`);
    const gateway = await startGateway(
      'gateway',
      env(`redis://127.0.0.1:${port}`),
      `${s.dir}/gateway-lru.log`,
    );
    try {
      await worker.waitFor(WARNING, 10_000);
      await gateway.waitFor(WARNING, 10_000);
    } finally {
      await worker.kill();
      await gateway.kill();
    }
  });

  it('and stay quiet against a noeviction Redis', async () => {
    const worker = await startWorker(env(s.redisUrl()), `${s.dir}/worker-noeviction.log`);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(worker.output()).not.toMatch(/Eviction policy/);
    } finally {
      await worker.kill();
    }
  });
});
