import type {
  AnalyzeResponse__Output,
  CompareResponse__Output,
  Timings__Output,
  VerifyResponse__Output,
} from '@deepface/proto';
import type { CallContext, EngineClient, EngineState } from './engine.client';
import { AppError } from '../platform/errors/app-error';
import { type GatewayMetrics, setOneHot } from '../platform/metrics/gateway-metrics';

const BREAKER_STATES: readonly EngineState['breaker'][] = ['closed', 'open', 'half_open'];
const CHANNEL_STATES: readonly EngineState['channel'][] = [
  'idle',
  'connecting',
  'ready',
  'transient_failure',
  'shutdown',
];

type Answer = { timings?: Timings__Output | null; model?: { backend?: string } | null };

/**
 * The engine client with metrics around it: call latency by outcome (the AppError code on failure), the
 * engine's per-stage timings, the backend it reports, and, when scraped, the breaker and channel states.
 */
export function instrumentEngine(inner: EngineClient, metrics: GatewayMetrics): EngineClient {
  let lastBackend: string | undefined;
  const observe = async <T extends Answer>(method: string, call: () => Promise<T>): Promise<T> => {
    const stop = metrics.engineCalls.startTimer({ method });
    try {
      const answer = await call();
      stop({ outcome: 'ok' });
      for (const [key, ms] of Object.entries(answer.timings ?? {})) {
        if (typeof ms !== 'number' || !key.endsWith('_ms') || ms <= 0) continue;
        metrics.engineStages.observe({ method, stage: key.slice(0, -3) }, ms / 1000);
      }
      const backend = answer.model?.backend;
      if (backend && backend !== lastBackend) {
        if (lastBackend) metrics.engineBackend.set({ backend: lastBackend }, 0);
        metrics.engineBackend.set({ backend }, 1);
        lastBackend = backend;
      }
      return answer;
    } catch (error) {
      stop({ outcome: error instanceof AppError ? error.code : 'error' });
      throw error;
    }
  };

  const collect = () => {
    const state = inner.state();
    setOneHot(metrics.breakerState, BREAKER_STATES, state.breaker);
    setOneHot(metrics.channelState, CHANNEL_STATES, state.channel);
  };
  collect();
  metrics.onScrape.engine.push(collect);

  return {
    verify: (input, ctx: CallContext): Promise<VerifyResponse__Output> =>
      observe('Verify', () => inner.verify(input, ctx)),
    compare: (input, ctx: CallContext): Promise<CompareResponse__Output> =>
      observe('Compare', () => inner.compare(input, ctx)),
    analyze: (input, ctx: CallContext): Promise<AnalyzeResponse__Output> =>
      observe('Analyze', () => inner.analyze(input, ctx)),
    state: () => inner.state(),
    close: () => inner.close(),
  };
}
