import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The gateway's Prometheus metrics, one registry per app (tests build several apps in one process). Labels are
 * bounded sets (route templates, status codes, endpoint names), never ids, keys or URLs.
 */
export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const STAGE_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function createGatewayMetrics(registry = new Registry()) {
  const registers = [registry];
  // Sampled on scrape: the engine client's breaker/channel state, BullMQ's queue counts.
  const onScrape = { engine: [] as Array<() => void>, queues: [] as Array<() => Promise<void>> };
  return {
    registry,
    onScrape,
    httpRequests: new Counter({
      name: 'deepface_http_requests_total',
      help: 'HTTP requests answered, by route template and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'deepface_http_request_duration_seconds',
      help: 'HTTP request latency, by route template and status.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    charged: new Counter({
      name: 'deepface_billing_charged_micros_total',
      help: 'Amount charged, in micro-USD, by endpoint and source (api or job).',
      labelNames: ['endpoint', 'source'] as const,
      registers,
    }),
    charges: new Counter({
      name: 'deepface_billing_charges_total',
      help: 'Charged (billable, successful) operations, by endpoint and source.',
      labelNames: ['endpoint', 'source'] as const,
      registers,
    }),
    insufficientBalance: new Counter({
      name: 'deepface_billing_insufficient_balance_total',
      help: 'Operations refused with 402 (balance too low), by endpoint and source.',
      labelNames: ['endpoint', 'source'] as const,
      registers,
    }),
    engineCalls: new Histogram({
      name: 'deepface_engine_call_duration_seconds',
      help: 'Engine gRPC call latency seen by the gateway (retries included), by method and outcome.',
      labelNames: ['method', 'outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    engineStages: new Histogram({
      name: 'deepface_engine_stage_seconds',
      help: "Per-stage time reported in the engine's timings (queue, decode, detect, ...), by method.",
      labelNames: ['method', 'stage'] as const,
      buckets: STAGE_BUCKETS,
      registers,
    }),
    breakerState: new Gauge({
      name: 'deepface_engine_circuit_breaker_state',
      help: 'Engine circuit breaker: 1 for the current state (closed, open, half_open), 0 for the others.',
      labelNames: ['state'] as const,
      registers,
      collect: () => onScrape.engine.forEach((sample) => sample()),
    }),
    channelState: new Gauge({
      name: 'deepface_engine_channel_state',
      help: 'gRPC channel to the engine: 1 for the current connectivity state.',
      labelNames: ['state'] as const,
      registers,
    }),
    engineBackend: new Gauge({
      name: 'deepface_engine_backend_info',
      help: 'TF.js backend the engine reported in its last answer (1 = in use).',
      labelNames: ['backend'] as const,
      registers,
    }),
    jobItems: new Counter({
      name: 'deepface_job_items_total',
      help: 'Batch job items finished, by type and outcome (succeeded, failed).',
      labelNames: ['type', 'outcome'] as const,
      registers,
    }),
    jobQueue: new Gauge({
      name: 'deepface_job_queue_jobs',
      help: 'BullMQ jobs by queue and state (waiting, active, delayed, failed).',
      labelNames: ['queue', 'state'] as const,
      registers,
      collect: async () => {
        await Promise.all(onScrape.queues.map((sample) => sample()));
      },
    }),
    webhookDeliveries: new Counter({
      name: 'deepface_webhook_deliveries_total',
      help: 'Webhook delivery attempts, by outcome (delivered, failed).',
      labelNames: ['outcome'] as const,
      registers,
    }),
  };
}

/** Process metrics (CPU, RSS, event-loop lag, GC): only in real processes, once per registry. */
export function collectProcessMetrics(metrics: GatewayMetrics): void {
  collectDefaultMetrics({ register: metrics.registry });
}

/** Sets a one-hot state gauge: 1 for `current`, 0 for the other known states. */
export function setOneHot(gauge: Gauge<'state'>, states: readonly string[], current: string): void {
  for (const state of states) gauge.set({ state }, state === current ? 1 : 0);
}
