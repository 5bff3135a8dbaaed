// One autocannon run with what the load benchmark reports: throughput, latency percentiles from every response
// (autocannon's own histogram has no p95), status counts per request kind, and the RSS of chosen processes
// sampled every second.
import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';
import { rssMb } from './engine-process';
import { fmt, percentile } from './metrics';

/** One kind of request in the mix; its responses are counted by status under `kind`. */
export interface RequestKind {
  kind: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** POST /v1/verify with `body` under `apiKey`. */
export function verifyKind(kind: string, apiKey: string, body: string): RequestKind {
  return {
    kind,
    method: 'POST',
    path: '/v1/verify',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body,
  };
}

export interface RssSeries {
  /** [seconds since the start, MB] every second. */
  samples: Array<[number, number]>;
}

export interface LoadResult {
  seconds: number;
  responses: number;
  /** Responses per second, and 2xx per second. */
  rps: number;
  okRps: number;
  latency: { p50: number; p95: number; p99: number; max: number };
  /** kind → status → count. */
  statuses: Map<string, Map<number, number>>;
  /** Socket errors and timeouts (no HTTP response at all). */
  errors: number;
  timeouts: number;
  rss: Map<string, RssSeries>;
}

/** Samples each pid's RSS every second until `stop()`. */
export function sampleRss(pids: Record<string, number | undefined>): { stop(): Map<string, RssSeries> } {
  const series = new Map<string, RssSeries>(Object.keys(pids).map((name) => [name, { samples: [] }]));
  const t0 = performance.now();
  const tick = () => {
    const t = (performance.now() - t0) / 1000;
    for (const [name, pid] of Object.entries(pids)) {
      rssMb(pid)
        .then((mb) => series.get(name)?.samples.push([t, mb]))
        .catch(() => undefined); // the process is gone: no sample
    }
  };
  tick();
  const timer = setInterval(tick, 1000);
  return {
    stop: () => {
      clearInterval(timer);
      return series;
    },
  };
}

export async function runLoad(options: {
  url: string;
  connections: number;
  seconds: number;
  kinds: RequestKind[];
  /** Per-request timeout in seconds. */
  timeoutS?: number;
  /** Requests per second over all connections (default: as fast as answered). */
  overallRate?: number;
  pids?: Record<string, number | undefined>;
}): Promise<LoadResult> {
  const statuses = new Map<string, Map<number, number>>();
  const latencies: number[] = [];
  const count = (kind: string, status: number) => {
    const byStatus = statuses.get(kind) ?? new Map<number, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    statuses.set(kind, byStatus);
  };
  const sampler = sampleRss(options.pids ?? {});
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        timeout: options.timeoutS ?? 30,
        ...(options.overallRate ? { overallRate: options.overallRate } : {}),
        requests: options.kinds.map((k) => ({
          method: k.method,
          path: k.path,
          headers: k.headers,
          ...(k.body === undefined ? {} : { body: k.body }),
          onResponse: (status: number) => count(k.kind, status),
        })),
      },
      (err, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const seconds = (performance.now() - started) / 1000;
  const rss = sampler.stop();
  const responses = latencies.length;
  let ok = 0;
  for (const byStatus of statuses.values())
    for (const [status, n] of byStatus) if (status >= 200 && status < 300) ok += n;
  return {
    seconds,
    responses,
    rps: responses / seconds,
    okRps: ok / seconds,
    latency: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.reduce((a, b) => Math.max(a, b), 0),
    },
    statuses,
    errors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    rss,
  };
}

export function statusLine(statuses: Map<string, Map<number, number>>): string {
  const parts: string[] = [];
  for (const [kind, byStatus] of statuses) {
    const counts = [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status}×${n}`)
      .join(' ');
    parts.push(`${kind}: ${counts}`);
  }
  return parts.join('; ');
}

export function printResult(title: string, r: LoadResult): void {
  console.log(
    `${title}: ${fmt(r.rps, 1)} req/s (${fmt(r.okRps, 1)} 2xx/s), ${r.responses} responses in ${fmt(r.seconds, 1)} s; ` +
      `latency p50 ${fmt(r.latency.p50, 1)} ms, p95 ${fmt(r.latency.p95, 1)} ms, p99 ${fmt(r.latency.p99, 1)} ms, ` +
      `max ${fmt(r.latency.max, 0)} ms; socket errors ${r.errors}, timeouts ${r.timeouts}`,
  );
  console.log(`  statuses  ${statusLine(r.statuses)}`);
}

export interface MemoryTrend {
  /** Mean RSS over the first and last quarter of the samples after warm-up, and their difference. */
  start: number;
  end: number;
  growth: number;
  /** Least-squares slope after warm-up, MB per minute. */
  slopePerMin: number;
  max: number;
}

export function memoryTrend(series: RssSeries, warmupS: number): MemoryTrend {
  const s = series.samples.filter(([t]) => t >= warmupS);
  const quarter = Math.max(1, Math.floor(s.length / 4));
  const mean = (xs: Array<[number, number]>) => xs.reduce((a, [, y]) => a + y, 0) / Math.max(1, xs.length);
  const start = mean(s.slice(0, quarter));
  const end = mean(s.slice(-quarter));
  const mx = s.reduce((a, [x]) => a + x, 0) / Math.max(1, s.length);
  const my = mean(s);
  const den = s.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const slope = den > 0 ? s.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / den : 0;
  return { start, end, growth: end - start, slopePerMin: slope * 60, max: Math.max(...s.map(([, y]) => y)) };
}

/** A compact time series: one RSS figure every `everyS` seconds. */
export function printRss(name: string, series: RssSeries, everyS: number): void {
  const points = series.samples.filter(([t], i) => i === 0 || Math.round(t) % everyS === 0);
  const seen = new Set<number>();
  const shown = points.filter(([t]) => {
    const k = Math.round(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  console.log(
    `  ${name} RSS MB every ${everyS} s: ${shown.map(([t, mb]) => `${Math.round(t)}s ${fmt(mb, 0)}`).join(', ')}`,
  );
}

/** A markdown table row for the summary: label, req/s, 2xx/s, p50/p95/p99 ms, non-2xx, socket errors, RSS. */
export function summaryRow(label: string, r: LoadResult, rss: string): string {
  let non2xx = 0;
  for (const byStatus of r.statuses.values())
    for (const [status, n] of byStatus) if (status < 200 || status >= 300) non2xx += n;
  return `| ${label} | ${fmt(r.rps, 1)} | ${fmt(r.okRps, 1)} | ${fmt(r.latency.p50, 0)} | ${fmt(r.latency.p95, 0)} | ${fmt(r.latency.p99, 0)} | ${non2xx} | ${r.errors + r.timeouts} | ${rss} |`;
}

export const SUMMARY_HEADER =
  '| run | req/s | 2xx/s | p50 ms | p95 ms | p99 ms | non-2xx | socket errors | RSS MB |\n| --- | --: | --: | --: | --: | --: | --: | --: | --- |';

export function rssRange(series: RssSeries | undefined, warmupS = 0): string {
  if (!series) return 'n/a';
  const m = memoryTrend(series, warmupS);
  return `${fmt(m.start, 0)} → ${fmt(m.end, 0)} (max ${fmt(m.max, 0)})`;
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (clock ticks of 10 ms). */
export async function cpuMs(pid: number | undefined): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
