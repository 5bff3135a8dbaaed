// Mode 2: the gateway in front of a real engine process (wasm, 2 workers). POST /v1/verify with a synthetic ID
// card and selfie, against gRPC Verify calls straight to the same engine with as many calls in flight. Short
// segments alternate (direct, HTTP, direct, HTTP…) so that load from other processes on the machine hits both
// alike. Two ratios: throughput (HTTP 2xx/s ÷ direct calls/s) and CPU (engine CPU per direct call ÷ engine +
// gateway CPU per HTTP call), the second insensitive to what else runs on the machine.
import { call, freePort, startEngine, type Engine, type Inputs, type Unary } from './engine-process';
import {
  cpuMs,
  memoryTrend,
  printResult,
  printRss,
  rssRange,
  runLoad,
  sampleRss,
  summaryRow,
  verifyKind,
  type LoadResult,
} from './load-run';
import { createBacking, createCustomer, startGateway } from './load-stack';
import { fmt, percentile } from './metrics';

export const RATIO_TARGET = 0.9;

interface DirectResult {
  seconds: number;
  calls: number;
  rps: number;
  errors: number;
  latency: { p50: number; p95: number; p99: number };
}

/** gRPC Verify calls with `concurrency` in flight for `seconds`. */
async function direct(
  engine: Engine,
  inputs: Inputs,
  concurrency: number,
  seconds: number,
): Promise<DirectResult> {
  const method = engine.client.Verify.bind(engine.client) as Unary<object, object>;
  const req = { img1: inputs.document, img2: inputs.selfie };
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          await call(method, engine.client, req);
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    seconds: elapsed,
    calls: latencies.length,
    rps: latencies.length / elapsed,
    errors,
    latency: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
    },
  };
}

/** CPU ms each process used while `work` ran. */
async function cpuDuring<T>(
  pids: Record<string, number | undefined>,
  work: () => Promise<T>,
): Promise<{ value: T; cpu: Record<string, number> }> {
  const names = Object.keys(pids);
  const before = await Promise.all(names.map((n) => cpuMs(pids[n])));
  const value = await work();
  const after = await Promise.all(names.map((n) => cpuMs(pids[n])));
  return { value, cpu: Object.fromEntries(names.map((n, i) => [n, (after[i] ?? 0) - (before[i] ?? 0)])) };
}

export interface RealOptions {
  inputs: Inputs;
  workers: number;
  concurrency: number;
  segmentS: number;
  rounds: number;
  warmupS: number;
}

export interface RealSummary {
  directRps: number;
  httpRps: number;
  ratio: number;
  roundRatios: number[];
  cpuRatio: number;
  rows: string[];
}

const median = (xs: number[]) => percentile(xs, 50);

export async function realEngine(options: RealOptions): Promise<RealSummary> {
  const port = await freePort();
  const engine = await startEngine({ workers: options.workers, port });
  const backing = await createBacking();
  try {
    const customer = await createCustomer(backing, 'real', 100_000);
    const gateway = await startGateway(backing, {
      ENGINE_ADDRESS: `127.0.0.1:${port}`,
      RATE_LIMIT_POINTS: '1000000',
      RATE_LIMIT_WINDOW_S: '60',
    });
    const body = JSON.stringify({
      img1: options.inputs.document.toString('base64'),
      img2: options.inputs.selfie.toString('base64'),
    });
    const probe = await fetch(`${gateway.url}/v1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': customer.apiKey },
      body,
    });
    const answer = (await probe.json()) as { result?: string };
    console.log(`probe: HTTP ${probe.status}, result ${String(answer.result)}`);
    const kinds = [verifyKind('verify', customer.apiKey, body)];
    const pids = { engine: engine.child.pid, gateway: gateway.child.pid };
    const http = (seconds: number, sample: boolean) =>
      runLoad({
        url: gateway.url,
        connections: options.concurrency,
        seconds,
        kinds,
        timeoutS: 60,
        ...(sample ? { pids } : {}),
      });

    await direct(engine, options.inputs, options.concurrency, options.warmupS);
    await http(options.warmupS, false);
    const directs: DirectResult[] = [];
    const https: LoadResult[] = [];
    const cpu = { directEngine: 0, httpEngine: 0, httpGateway: 0 };
    const engineRss = sampleRss({ engine: engine.child.pid });
    for (let round = 1; round <= options.rounds; round++) {
      const d = await cpuDuring(pids, () =>
        direct(engine, options.inputs, options.concurrency, options.segmentS),
      );
      directs.push(d.value);
      cpu.directEngine += d.cpu.engine ?? 0;
      const h = await cpuDuring(pids, () => http(options.segmentS, true));
      https.push(h.value);
      cpu.httpEngine += h.cpu.engine ?? 0;
      cpu.httpGateway += h.cpu.gateway ?? 0;
      const perCall = (ms: number | undefined, n: number) => fmt((ms ?? NaN) / Math.max(1, n), 0);
      const hCalls = h.value.okRps * h.value.seconds;
      console.log(
        `round ${round}: direct ${fmt(d.value.rps, 2)}/s (errors ${d.value.errors}, engine CPU ${perCall(d.cpu.engine, d.value.calls)} ms/call), ` +
          `HTTP ${fmt(h.value.okRps, 2)}/s (non-2xx ${h.value.responses - Math.round(hCalls)}, socket errors ${h.value.errors + h.value.timeouts}, ` +
          `engine CPU ${perCall(h.cpu.engine, hCalls)} + gateway CPU ${perCall(h.cpu.gateway, hCalls)} ms/call): ratio ${fmt(h.value.okRps / d.value.rps, 3)}`,
      );
    }
    const engineSeries = engineRss.stop().get('engine');
    const exit = await gateway.stop();

    const directCalls = directs.reduce((a, d) => a + d.calls, 0);
    const directRps = directCalls / directs.reduce((a, d) => a + d.seconds, 0);
    const httpCalls = https.reduce((a, h) => a + h.okRps * h.seconds, 0);
    const httpRps = httpCalls / https.reduce((a, h) => a + h.seconds, 0);
    const ratio = httpRps / directRps;
    const roundRatios = https.map((h, i) => h.okRps / (directs[i]?.rps ?? NaN));
    const engineMsDirect = cpu.directEngine / Math.max(1, directCalls);
    const engineMsHttp = cpu.httpEngine / Math.max(1, httpCalls);
    const gatewayMsHttp = cpu.httpGateway / Math.max(1, httpCalls);
    // On a CPU-bound machine throughput is inversely proportional to the CPU spent per call.
    const cpuRatio = engineMsDirect / (engineMsHttp + gatewayMsHttp);

    const worst = https.reduce((a, h) => (h.latency.p99 > a.latency.p99 ? h : a));
    printResult('HTTP round with the highest p99', worst);
    for (const name of ['gateway', 'engine']) {
      const series = https[https.length - 1]?.rss.get(name);
      if (series) printRss(`${name} (last HTTP round)`, series, 2);
    }
    if (engineSeries) {
      const m = memoryTrend(engineSeries, 0);
      console.log(
        `  engine RSS over all rounds: ${fmt(m.start, 0)} → ${fmt(m.end, 0)} MB (growth ${fmt(m.growth, 1)} MB, trend ${fmt(m.slopePerMin, 1)} MB/min, max ${fmt(m.max, 0)} MB)`,
      );
    }
    const logs = gateway.logCounts();
    console.log(`  gateway log lines: ${logs.error} error, ${logs.warn} warn; exit after SIGTERM: ${exit}`);
    for (const line of logs.firstErrors) console.log(`    ${line}`);
    console.log(
      `  CPU per verification: direct engine ${fmt(engineMsDirect, 0)} ms; HTTP engine ${fmt(engineMsHttp, 0)} ms + gateway ${fmt(gatewayMsHttp, 1)} ms`,
    );
    console.log(
      `\nOverhead ratio: full HTTP path ${fmt(httpRps, 2)}/s ÷ gRPC direct ${fmt(directRps, 2)}/s = ${fmt(ratio, 3)} ` +
        `(rounds: median ${fmt(median(roundRatios), 3)}, ${fmt(Math.min(...roundRatios), 2)}–${fmt(Math.max(...roundRatios), 2)}); ` +
        `by CPU per call ${fmt(cpuRatio, 3)}; target ≥ ${RATIO_TARGET}: ${ratio >= RATIO_TARGET ? 'PASS' : 'MISS'}`,
    );
    const latency = (xs: number[]) => fmt(median(xs), 0);
    const rows = [
      `| real engine: gRPC direct, ${options.concurrency} in flight (${options.rounds} × ${options.segmentS} s) | ${fmt(directRps, 2)} | ${fmt(directRps, 2)} | ${latency(directs.map((d) => d.latency.p50))} | ${latency(directs.map((d) => d.latency.p95))} | ${latency(directs.map((d) => d.latency.p99))} | ${directs.reduce((a, d) => a + d.errors, 0)} | 0 | engine ${engineSeries ? rssRange(engineSeries) : 'n/a'} |`,
      summaryRow(
        `real engine: HTTP, ${options.concurrency} connections (${options.rounds} × ${options.segmentS} s; latency: median of rounds)`,
        {
          ...worst,
          rps: https.reduce((a, h) => a + h.responses, 0) / https.reduce((a, h) => a + h.seconds, 0),
          okRps: httpRps,
          latency: {
            p50: median(https.map((h) => h.latency.p50)),
            p95: median(https.map((h) => h.latency.p95)),
            p99: median(https.map((h) => h.latency.p99)),
            max: Math.max(...https.map((h) => h.latency.max)),
          },
          statuses: mergeStatuses(https),
          errors: https.reduce((a, h) => a + h.errors, 0),
          timeouts: https.reduce((a, h) => a + h.timeouts, 0),
        },
        `gateway ${rssRange(https[https.length - 1]?.rss.get('gateway'))}`,
      ),
    ];
    return { directRps, httpRps, ratio, roundRatios, cpuRatio, rows };
  } finally {
    await engine.stop();
    await backing.drop();
  }
}

function mergeStatuses(results: LoadResult[]): Map<string, Map<number, number>> {
  const merged = new Map<string, Map<number, number>>();
  for (const r of results) {
    for (const [kind, byStatus] of r.statuses) {
      const m = merged.get(kind) ?? new Map<number, number>();
      for (const [status, n] of byStatus) m.set(status, (m.get(status) ?? 0) + n);
      merged.set(kind, m);
    }
  }
  return merged;
}
