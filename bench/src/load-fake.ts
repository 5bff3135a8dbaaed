// Mode 1: the gateway against a fast fake engine. `capacity` measures its own throughput, latency and RSS;
// `sustained` is checklist item 32: a long run with a rate-limited key (intended 429s) and an account that runs
// out of money (intended 402s); anything else is an error, and memory must stay flat after warm-up.
import { startFakeEngine } from './load-fake-engine';
import {
  cpuMs,
  memoryTrend,
  printResult,
  printRss,
  runLoad,
  type LoadResult,
  type MemoryTrend,
  verifyKind,
} from './load-run';
import {
  admin,
  createBacking,
  createCustomer,
  listAccounts,
  startGateway,
  type Backing,
  type Customer,
} from './load-stack';
import { fmt } from './metrics';

const PRICE_VERIFY_USD = 0.25;

interface BillingCheck {
  ok: boolean;
  lines: string[];
}

/**
 * Money after the runs: per account, spent = price × its 200s (the fake engine always verifies, and verified
 * checks are charged), give or take the requests autocannon abandons in flight when a run ends (the gateway
 * finishes and charges them; nobody counts their 200); nothing left reserved; the ledger reconciles.
 */
async function checkBilling(
  backing: Backing,
  customers: Map<string, Customer & { balanceUsd: number }>,
  results: LoadResult[],
  inFlight: number,
): Promise<BillingCheck> {
  const accounts = new Map((await listAccounts(backing)).map((a) => [a.id, a]));
  const lines: string[] = [];
  let ok = true;
  for (const [kind, customer] of customers) {
    const account = accounts.get(customer.accountId);
    const n200 = results.reduce((a, r) => a + (r.statuses.get(kind)?.get(200) ?? 0), 0);
    const spent = customer.balanceUsd - (account?.balance ?? NaN);
    const abandoned = Math.round((spent - n200 * PRICE_VERIFY_USD) / PRICE_VERIFY_USD);
    const good =
      abandoned >= 0 &&
      abandoned <= inFlight * results.length &&
      account?.reserved === 0 &&
      (account?.balance ?? -1) >= 0;
    ok &&= good;
    lines.push(
      `${kind}: ${n200} × 200 seen, spent $${fmt(spent, 2)} = ${n200 + abandoned} charges (${abandoned} abandoned in flight at the end), ` +
        `balance $${fmt(account?.balance ?? NaN, 2)}, reserved $${fmt(account?.reserved ?? NaN, 2)}${good ? '' : '  ← WRONG'}`,
    );
  }
  const reconcile = (await admin(backing, ['reconcile'])) as { ok: boolean; mismatches: unknown[] };
  ok &&= reconcile.ok;
  lines.push(`ledger reconcile: ${reconcile.ok ? 'ok' : `${reconcile.mismatches.length} mismatches`}`);
  return { ok, lines };
}

export interface CapacityOptions {
  body: string;
  connections: number;
  seconds: number;
  warmupS: number;
  quiet?: boolean;
}

/** Gateway capacity: four funded keys (no limits in reach), all requests verified by the fake engine. */
export async function capacity(options: CapacityOptions): Promise<LoadResult & { billingOk: boolean }> {
  const backing = await createBacking();
  const engine = await startFakeEngine();
  try {
    const balanceUsd = 1_000_000;
    const list = await Promise.all(
      [0, 1, 2, 3].map(async (i) => ({
        ...(await createCustomer(backing, `key${i}`, balanceUsd)),
        balanceUsd,
      })),
    );
    const customers = new Map(list.map((c, i) => [`key${i}`, c]));
    const gateway = await startGateway(backing, {
      ENGINE_ADDRESS: engine.address,
      RATE_LIMIT_POINTS: '1000000',
      RATE_LIMIT_WINDOW_S: '60',
    });
    const kinds = [...customers].map(([kind, c]) => verifyKind(kind, c.apiKey, options.body));
    const base = { url: gateway.url, connections: options.connections, kinds, timeoutS: 30 };
    const warm = await runLoad({ ...base, seconds: options.warmupS });
    const cpuBefore = await cpuMs(gateway.child.pid);
    const result = await runLoad({ ...base, seconds: options.seconds, pids: { gateway: gateway.child.pid } });
    const cpuPerRequest = ((await cpuMs(gateway.child.pid)) - cpuBefore) / Math.max(1, result.responses);
    // Stopped at once: requests autocannon abandoned are still running, and must settle before the process exits.
    const exit = await gateway.stop();
    const billing = await checkBilling(backing, customers, [warm, result], options.connections);
    if (!options.quiet) {
      printResult(`capacity, ${options.connections} connections`, result);
      console.log(`  gateway CPU ${fmt(cpuPerRequest, 1)} ms per request (user + system, all threads)`);
      const series = result.rss.get('gateway');
      if (series) {
        printRss('gateway', series, 2);
        const m = memoryTrend(series, 0);
        console.log(
          `  gateway RSS ${fmt(m.start, 0)} → ${fmt(m.end, 0)} MB (growth ${fmt(m.growth, 1)} MB, trend ${fmt(m.slopePerMin, 1)} MB/min, max ${fmt(m.max, 0)} MB)`,
        );
      }
      const logs = gateway.logCounts();
      for (const line of billing.lines) console.log(`  ${line}`);
      console.log(`  gateway log lines: ${logs.error} error, ${logs.warn} warn; exit after SIGTERM: ${exit}`);
      for (const line of logs.firstErrors) console.log(`    ${line}`);
    }
    return { ...result, billingOk: billing.ok };
  } finally {
    await engine.stop();
    await backing.drop();
  }
}

export interface SustainedOptions {
  body: string;
  connections: number;
  seconds: number;
  warmupS: number;
  /** Throughput measured by `capacity`: sets the rate limit and the poor account's balance. */
  capacityRps: number;
}

export interface SustainedVerdict {
  pass: boolean;
  result: LoadResult;
  memory?: MemoryTrend;
}

/**
 * Item 32. The mix per connection: four normal keys once each, the rate-limited key eight times, the poor account
 * once. The limit is half the measured capacity per second: a normal key can never come near it (four keys share
 * the capacity), while the limited key asks for about the whole capacity, so about half its calls get 429. The poor
 * account's balance lasts about a third of the run, then it gets 402.
 */
export async function sustained(options: SustainedOptions): Promise<SustainedVerdict> {
  const LIMITED_SHARE = 8;
  const points = Math.max(2, Math.ceil(options.capacityRps / 2));
  // With the limited key held to `points`, a cycle through the mix costs 4 + points/cycle-rate charged calls.
  const cyclesPerS = Math.max(1, (options.capacityRps - points) / 4);
  const poorUsd = Math.max(1, Math.round(PRICE_VERIFY_USD * cyclesPerS * (options.seconds / 3)));
  const bigUsd = 1_000_000;

  const backing = await createBacking();
  const engine = await startFakeEngine();
  try {
    const specs: Array<[string, number]> = [
      ['key0', bigUsd],
      ['key1', bigUsd],
      ['key2', bigUsd],
      ['key3', bigUsd],
      ['limited', bigUsd],
      ['poor', poorUsd],
    ];
    const customers = new Map(
      await Promise.all(
        specs.map(
          async ([kind, usd]) =>
            [kind, { ...(await createCustomer(backing, kind, usd)), balanceUsd: usd }] as const,
        ),
      ),
    );
    const gateway = await startGateway(backing, {
      ENGINE_ADDRESS: engine.address,
      RATE_LIMIT_POINTS: String(points),
      RATE_LIMIT_WINDOW_S: '1',
    });
    const kind = (name: string) => verifyKind(name, customers.get(name)!.apiKey, options.body);
    const limited = Array.from({ length: LIMITED_SHARE / 4 }, () => kind('limited'));
    const kinds = [
      kind('key0'),
      ...limited,
      kind('key1'),
      ...limited,
      kind('poor'),
      kind('key2'),
      ...limited,
      kind('key3'),
      ...limited,
    ];
    console.log(
      `rate limit ${points} requests/s per key (normal keys ask ~${fmt(cyclesPerS, 0)}/s, the limited key ~${fmt(cyclesPerS * LIMITED_SHARE, 0)}/s); poor account $${poorUsd} = ${poorUsd / PRICE_VERIFY_USD} verifications`,
    );
    const result = await runLoad({
      url: gateway.url,
      connections: options.connections,
      seconds: options.seconds,
      kinds,
      timeoutS: 30,
      pids: { gateway: gateway.child.pid },
    });
    const exit = await gateway.stop();
    printResult(`sustained ${options.seconds} s, ${options.connections} connections`, result);

    const intended: Record<string, number[]> = { limited: [200, 429], poor: [200, 402] };
    const unintended: string[] = [];
    for (const [k, byStatus] of result.statuses) {
      for (const [status, n] of byStatus) {
        if (!(intended[k] ?? [200]).includes(status)) unintended.push(`${k} ${status}×${n}`);
      }
    }
    const got = (k: string, s: number) => result.statuses.get(k)?.get(s) ?? 0;
    const logs = gateway.logCounts();
    const billing = await checkBilling(backing, customers, [result], options.connections);
    const series = result.rss.get('gateway');
    const memory = series ? memoryTrend(series, options.warmupS) : undefined;
    if (series) printRss('gateway', series, 5);
    // Flat: after warm-up the level moves by less than a leak of ~0.5 KB per request would add over this run.
    const flat = memory ? memory.growth <= Math.max(10, 0.05 * memory.start) : false;
    console.log(
      `  gateway RSS after ${options.warmupS} s warm-up: ${fmt(memory?.start ?? NaN, 0)} → ${fmt(memory?.end ?? NaN, 0)} MB ` +
        `(growth ${fmt(memory?.growth ?? NaN, 1)} MB, trend ${fmt(memory?.slopePerMin ?? NaN, 1)} MB/min, max ${fmt(memory?.max ?? NaN, 0)} MB): ${flat ? 'flat' : 'GROWING'}`,
    );
    for (const line of billing.lines) console.log(`  ${line}`);
    console.log(`  gateway log lines: ${logs.error} error, ${logs.warn} warn; exit after SIGTERM: ${exit}`);
    for (const line of logs.firstErrors) console.log(`    ${line}`);
    const intendedSeen = got('limited', 429) > 0 && got('poor', 402) > 0;
    const pass =
      unintended.length === 0 &&
      result.errors === 0 &&
      result.timeouts === 0 &&
      logs.error === 0 &&
      exit === 0 &&
      billing.ok &&
      flat &&
      intendedSeen;
    console.log(
      `\nItem 32 verdict: ${pass ? 'PASS' : 'FAIL'} — intended 429 ×${got('limited', 429)}, intended 402 ×${got('poor', 402)}, ` +
        `unintended ${unintended.length ? unintended.join(', ') : 'none'}, socket errors ${result.errors}, timeouts ${result.timeouts}, ` +
        `error logs ${logs.error}, memory ${flat ? 'flat' : 'growing'}, billing ${billing.ok ? 'exact' : 'WRONG'}` +
        (intendedSeen ? '' : ' (the run produced no 429 or no 402: the mix did not test what it should)'),
    );
    return { pass, result, memory };
  } finally {
    await engine.stop();
    await backing.drop();
  }
}
