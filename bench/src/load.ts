// `pnpm bench:load`: the full stack under load on loopback (real gateway process, MariaDB, Redis), in two modes:
//   fake       the gateway's own capacity against a fast fake engine (throughput, p50/p95/p99, statuses, RSS)
//   sustained  checklist item 32: a long mixed run where only intended 429/402 may fail, memory must stay flat
//   real       the real engine (wasm, 2 workers): the same figures, and the overhead ratio against gRPC direct
// Figures only: nothing here fails a build. Run it under `flock /tmp/bench.lock` on a shared machine.
// Options (or LOAD_* variables): --mode fake,sustained,real (default all) --duration S --sustain S
//   --connections N (fake modes) --concurrency N --rounds N --segment S --workers N (real)
import { parseArgs } from 'node:util';
import { inputs } from './engine-process';
import { capacity, sustained } from './load-fake';
import { RATIO_TARGET, realEngine } from './load-real';
import { rssRange, SUMMARY_HEADER, summaryRow } from './load-run';
import { fmt } from './metrics';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: process.env.LOAD_MODE ?? 'fake,sustained,real' },
    duration: { type: 'string', default: process.env.LOAD_DURATION ?? '20' },
    sustain: { type: 'string', default: process.env.LOAD_SUSTAIN ?? '60' },
    connections: { type: 'string', default: process.env.LOAD_CONNECTIONS ?? '32' },
    concurrency: { type: 'string', default: process.env.LOAD_CONCURRENCY ?? '4' },
    rounds: { type: 'string', default: process.env.LOAD_ROUNDS ?? '8' },
    segment: { type: 'string', default: process.env.LOAD_SEGMENT ?? '8' },
    workers: { type: 'string', default: process.env.LOAD_WORKERS ?? '2' },
  },
});

const positive = (name: string, text: string | undefined): number => {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${text}`);
  return n;
};

async function main(): Promise<void> {
  const modes = new Set((values.mode ?? '').split(',').map((m) => m.trim()));
  for (const m of modes) {
    if (!['fake', 'sustained', 'real', 'all'].includes(m)) throw new Error(`unknown mode ${m}`);
  }
  const want = (m: string) => modes.has(m) || modes.has('all');
  const duration = positive('duration', values.duration);
  const connections = positive('connections', values.connections);
  const i = await inputs();
  const body = JSON.stringify({ img1: i.document.toString('base64'), img2: i.selfie.toString('base64') });
  console.log('# DeepFace load benchmark (full stack on loopback)');
  console.log(
    `request: POST /v1/verify, JSON body ${fmt(body.length / 1024, 0)} KiB (base64 ID card 1600×1200 ${i.document.length >> 10} KiB + selfie 1080×1440 ${i.selfie.length >> 10} KiB)`,
  );

  const rows: string[] = [];
  const verdicts: string[] = [];
  let capacityRps: number | undefined;
  if (want('fake')) {
    console.log(`\n## Mode 1: gateway + fast fake engine (capacity, ${duration} s after 5 s warm-up)`);
    const r = await capacity({ body, connections, seconds: duration, warmupS: 5 });
    capacityRps = r.okRps;
    rows.push(
      summaryRow(`fake engine, ${connections} connections`, r, `gateway ${rssRange(r.rss.get('gateway'))}`),
    );
    verdicts.push(`capacity run billing: ${r.billingOk ? 'exact' : 'WRONG'}`);
  }
  if (want('sustained')) {
    const seconds = positive('sustain', values.sustain);
    if (capacityRps === undefined) {
      // The rate limit and the poor account's balance are set from the capacity: measure it briefly.
      capacityRps = (await capacity({ body, connections, seconds: 5, warmupS: 2, quiet: true })).okRps;
      console.log(`\n(capacity probe: ${fmt(capacityRps, 0)} verifications/s)`);
    }
    console.log(`\n## Item 32: sustained ${seconds} s, gateway + fast fake engine, intended 429 and 402`);
    const warmupS = Math.min(15, seconds / 4);
    const v = await sustained({ body, connections, seconds, warmupS, capacityRps });
    rows.push(
      summaryRow(
        `item 32: ${seconds} s mixed, ${connections} connections`,
        v.result,
        `gateway ${rssRange(v.result.rss.get('gateway'), warmupS)} after ${warmupS} s`,
      ),
    );
    verdicts.push(`item 32: ${v.pass ? 'PASS' : 'FAIL'}`);
  }
  if (want('real')) {
    const workers = positive('workers', values.workers);
    const concurrency = positive('concurrency', values.concurrency);
    const rounds = positive('rounds', values.rounds);
    const segmentS = positive('segment', values.segment);
    console.log(
      `\n## Mode 2: gateway + real engine (wasm, ${workers} workers), ${rounds} rounds of ${segmentS} s gRPC direct then ${segmentS} s HTTP`,
    );
    const real = await realEngine({ inputs: i, workers, concurrency, segmentS, rounds, warmupS: 3 });
    rows.push(...real.rows);
    verdicts.push(
      `overhead ratio ${fmt(real.ratio, 3)} (round ratios ${real.roundRatios.map((r) => fmt(r, 2)).join(', ')}; by CPU per call ${fmt(real.cpuRatio, 3)}): ${real.ratio >= RATIO_TARGET ? 'PASS' : 'MISS'} (target ≥ ${RATIO_TARGET})`,
    );
  }
  console.log(`\n## Summary\n${SUMMARY_HEADER}\n${rows.join('\n')}\n\n${verdicts.join('; ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
