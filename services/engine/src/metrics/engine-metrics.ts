import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CallObserver } from '../transport/grpc/service';
import type { PoolStats } from '../scheduler/types';

const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const STAGE_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export interface EngineMetrics {
  registry: Registry;
  observe: CallObserver;
}

/**
 * The engine's Prometheus metrics: calls and latency by method and outcome, per-stage time from each answer's
 * timings, and the pool's figures (queue depth, busy and ready workers, refusals) sampled on scrape.
 */
export function createEngineMetrics(
  source: { stats: () => PoolStats; backend: () => string | undefined; serving: () => boolean },
  options: { processMetrics?: boolean } = {},
): EngineMetrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const calls = new Counter({
    name: 'deepface_engine_calls_total',
    help: 'FaceEngine calls answered, by method and outcome (OK or the refusal reason).',
    labelNames: ['method', 'outcome'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'deepface_engine_call_duration_seconds',
    help: 'FaceEngine call latency (queue wait included), by method and outcome.',
    labelNames: ['method', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const stages = new Histogram({
    name: 'deepface_engine_stage_seconds',
    help: 'Per-stage time of successful calls (queue, decode, detect, landmarks, descriptor, attributes, classify).',
    labelNames: ['method', 'stage'] as const,
    buckets: STAGE_BUCKETS,
    registers,
  });
  const pool = (name: string, help: string, pick: (s: PoolStats) => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(pick(source.stats()));
      },
    });
  pool('deepface_engine_queue_depth', 'Tasks waiting for a free worker.', (s) => s.queueDepth);
  pool('deepface_engine_queue_capacity', 'Most tasks allowed to wait.', (s) => s.queueCapacity);
  pool('deepface_engine_workers_busy', 'Workers running a task.', (s) => s.busyWorkers);
  pool('deepface_engine_workers_ready', 'Workers with models loaded.', (s) => s.readyWorkers);
  pool('deepface_engine_workers', 'Configured worker threads.', (s) => s.workers);
  pool(
    'deepface_engine_tasks_rejected',
    'Tasks refused because the queue was full, since start.',
    (s) => s.rejected,
  );
  new Gauge({
    name: 'deepface_engine_serving',
    help: '1 while the engine reports SERVING.',
    registers,
    collect() {
      this.set(source.serving() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'deepface_engine_backend_info',
    help: 'Inference backend in use (onnx, tensorflow, wasm or cpu) (1).',
    labelNames: ['backend'] as const,
    registers,
    collect() {
      const backend = source.backend();
      if (backend) this.set({ backend }, 1);
    },
  });

  return {
    registry,
    observe: ({ method, outcome, seconds, timings }) => {
      calls.inc({ method, outcome });
      duration.observe({ method, outcome }, seconds);
      for (const [key, ms] of Object.entries(timings ?? {})) {
        if (typeof ms !== 'number' || !key.endsWith('_ms') || key === 'total_ms' || ms <= 0) continue;
        stages.observe({ method, stage: key.slice(0, -3) }, ms / 1000);
      }
    },
  };
}

/** GET /metrics (anything else 404) on ENGINE_METRICS_PORT. */
export async function startMetricsServer(
  registry: Registry,
  host: string,
  port: number,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return { server, port: address && typeof address === 'object' ? address.port : port };
}
