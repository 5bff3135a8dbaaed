import { createEngineMetrics, startMetricsServer } from '../../src/metrics/engine-metrics';
import { createEngineServer } from '../../src/transport/grpc/server';
import {
  command,
  createTestPool,
  IMAGE,
  newClient,
  ok,
  fails,
  rpc,
  testConfig,
  testLogger,
} from '../support/harness';

function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (!rest.startsWith('{') && !rest.startsWith(' ')) continue;
    const inside = rest.startsWith('{') ? rest.slice(1, rest.indexOf('}')) : '';
    if (wanted.every((w) => inside.split(',').includes(w)))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return NaN;
}

describe('engine /metrics', () => {
  it('serves call counts, latency, per-stage timings and pool figures that move with traffic', async () => {
    const config = testConfig({ ENGINE_WORKERS: '1', ENGINE_QUEUE_SIZE: '4' });
    const { pool } = createTestPool(config);
    const metrics = createEngineMetrics({
      stats: () => pool.stats(),
      backend: () => 'fake',
      serving: () => true,
    });
    const server = createEngineServer({ config, pool, logger: testLogger(), observe: metrics.observe });
    const port = await server.start();
    await pool.ready;
    const http = await startMetricsServer(metrics.registry, '127.0.0.1', 0);
    const client = newClient(`127.0.0.1:${port}`);
    const scrape = async () => (await fetch(`http://127.0.0.1:${http.port}/metrics`)).text();
    try {
      const before = await scrape();
      expect(sample(before, 'deepface_engine_queue_depth')).toBe(0);
      expect(sample(before, 'deepface_engine_workers_ready')).toBe(1);
      expect(sample(before, 'deepface_engine_backend_info', { backend: 'fake' })).toBe(1);

      const engine = rpc(client);
      // One slow call holds the worker: the next ones wait in the queue, visible on a scrape meanwhile.
      const slow = engine.Verify({ img1: command({ delayMs: 600 }), img2: IMAGE });
      const queued = [1, 2].map(() => engine.Verify({ img1: IMAGE, img2: IMAGE }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(sample(await scrape(), 'deepface_engine_queue_depth')).toBe(2);
      await ok(slow);
      for (const q of queued) await ok(q);
      await fails(
        engine.Verify({ img1: command({ fail: 'NO_FACE', image: 'IMG1', message: 'x' }), img2: IMAGE }),
      );

      const after = await scrape();
      expect(sample(after, 'deepface_engine_calls_total', { method: 'Verify', outcome: 'OK' })).toBe(3);
      expect(sample(after, 'deepface_engine_calls_total', { method: 'Verify', outcome: 'NO_FACE' })).toBe(1);
      expect(
        sample(after, 'deepface_engine_call_duration_seconds_count', { method: 'Verify', outcome: 'OK' }),
      ).toBe(3);
      expect(
        sample(after, 'deepface_engine_stage_seconds_count', { method: 'Verify', stage: 'decode' }),
      ).toBe(3);
      expect(sample(after, 'deepface_engine_stage_seconds_count', { method: 'Verify', stage: 'queue' })).toBe(
        3,
      );
      expect(sample(after, 'deepface_engine_queue_depth')).toBe(0);
      expect((await fetch(`http://127.0.0.1:${http.port}/other`)).status).toBe(404);
    } finally {
      client.close();
      http.server.close();
      await server.shutdown();
    }
  });
});
