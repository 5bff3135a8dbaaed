// The gateway's own cost of a POST /v1/verify, A/B between gateway builds, interleaved (issue 15, the gateway's
// share). For each round and each build (a dist directory: the current services/gateway/dist and, say, a copy of an
// older one under services/gateway/scratch/) it starts that gateway on one database and Redis prefix (as bench:load),
// in front of one engine, and measures:
// - one call at a time: HTTP Verify p50, and with the real engine the gRPC p50 of the same engine just before
//   (the gateway's added latency is their difference);
// - CPU ms per HTTP Verify of the gateway process, mysqld and redis-server (/proc utime + stime over a window of
//   calls), one at a time and 4 in flight;
// - with --count, the SQL statements (MariaDB's general log, this database's connections only) and the Redis
//   commands (MONITOR, this run's key prefix only) per Verify.
// Usage: npx tsx src/gateway-cpu.ts --dists dist,scratch/dist-base --rounds 3 --engine fake|real --calls 60 --count
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { inputs, preEncoded, startEngine, type Engine } from './engine-process';
import { jsonPoster } from './http-post';
import { startFakeEngine } from './load-fake-engine';
import { createBacking, createCustomer, gatewayEnv, type Backing } from './load-stack';
import { fmt, percentile } from './metrics';

const GATEWAY_DIR = path.resolve(__dirname, '..', '..', 'services', 'gateway');
const MYSQL_ADMIN_URL = process.env.LOAD_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const REDIS_URL = process.env.LOAD_REDIS_URL ?? 'redis://127.0.0.1:6379';

const { values } = parseArgs({
  options: {
    dists: { type: 'string', default: 'dist' },
    rounds: { type: 'string', default: '3' },
    engine: { type: 'string', default: 'fake' },
    calls: { type: 'string', default: '60' },
    count: { type: 'boolean', default: false },
    concurrent: { type: 'string', default: '4' },
  },
});

/** utime + stime of a process, in ms (ticks of 1/100 s). */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function pidOf(name: string): number {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) return Number(entry);
    } catch {
      // gone
    }
  }
  return 0;
}

interface Gateway {
  pid: number;
  url: string;
  /** duration_ms of each POST /v1/verify in the gateway's access log (request to response finished). */
  durations: number[];
  stop(): Promise<void>;
}

async function startGateway(dist: string, backing: Backing, engineAddress: string): Promise<Gateway> {
  // GW_NODE_FLAGS: node flags for the gateway (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof).
  const flags = (process.env.GW_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, path.join(GATEWAY_DIR, dist, 'main.js')], {
    env: gatewayEnv(backing, {
      ACCOUNT_MAX_CONCURRENT: process.env.GW_ACCOUNT_MAX_CONCURRENT ?? '0',
      RATE_LIMIT_POINTS: '1000000',
      RATE_LIMIT_WINDOW_S: '60',
      ENGINE_ADDRESS: engineAddress,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const durations: number[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the gateway did not start in 30 s')), 30_000);
    const onLine = (line: string) => {
      const served = /"path":"\/verify".*"duration_ms":([\d.]+)/.exec(line);
      if (served) durations.push(Number(served[1]));
      if (line.includes('"gateway listening"')) {
        clearTimeout(timer);
        resolve(Number(/"port":(\d+)/.exec(line)?.[1]));
      } else if (!line.startsWith('{') || /"level":[56]0/.test(line)) console.error(line.slice(0, 300));
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    void exited.then(() => reject(new Error('the gateway exited while starting')));
  });
  return {
    pid: child.pid ?? 0,
    url: `http://127.0.0.1:${port}`,
    durations,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

interface Window {
  p50: number;
  /** p50 of the gateway's own duration_ms (access log) over the window. */
  serverP50: number;
  gatewayMs: number;
  mysqlMs: number;
  redisMs: number;
  perSecond: number;
}

/** `calls` calls with `inFlight` at a time: wall p50 of each, CPU per call of the gateway, mysqld and redis. */
async function window(
  gw: Gateway,
  calls: number,
  inFlight: number,
  next: () => Promise<void>,
): Promise<Window> {
  const gatewayPid = gw.pid;
  const logged = gw.durations.length;
  const mysqld = pidOf('mariadbd') || pidOf('mysqld');
  const redis = pidOf('redis-server');
  const before = [cpuMs(gatewayPid), cpuMs(mysqld), cpuMs(redis)];
  const wall: number[] = [];
  let started = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (started < calls) {
        started++;
        const t = performance.now();
        await next();
        wall.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const after = [cpuMs(gatewayPid), cpuMs(mysqld), cpuMs(redis)];
  const per = (k: number) => (after[k]! - before[k]!) / calls;
  // The access log line is written when the response finished: give the last one a moment.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return {
    p50: percentile(wall, 50),
    serverP50: percentile(gw.durations.slice(logged), 50),
    gatewayMs: per(0),
    mysqlMs: per(1),
    redisMs: per(2),
    perSecond: calls / seconds,
  };
}

/** SQL statements (this database's connections) and Redis commands (this prefix) per call, over `calls` calls. */
async function countRoundTrips(backing: Backing, calls: number, next: () => Promise<void>): Promise<void> {
  const dbName = new URL(backing.env.DATABASE_URL!).pathname.slice(1);
  const prefix = backing.env.REDIS_KEY_PREFIX!;
  const root = await createConnection(MYSQL_ADMIN_URL);
  const logFile = `/tmp/gateway-cpu-general-${process.pid}.log`;
  const monitorClient = new Redis(REDIS_URL);
  const monitor = await monitorClient.monitor();
  const redisCommands = new Map<string, number>();
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (!args.some((a) => a.includes(prefix))) return;
    const name = (args[0] ?? '').toLowerCase();
    redisCommands.set(name, (redisCommands.get(name) ?? 0) + 1);
  });
  try {
    const [rows] = await root.query('SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ?', [dbName]);
    const threads = new Set((rows as Array<{ ID: number }>).map((r) => String(r.ID)));
    await root.query(`SET GLOBAL general_log_file = ?`, [logFile]);
    await root.query('SET GLOBAL general_log = 1');
    for (let k = 0; k < calls; k++) await next();
    await root.query('SET GLOBAL general_log = 0');
    await new Promise((r) => setTimeout(r, 200));
    const statements = new Map<string, number>();
    let total = 0;
    for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
      // "<time>\t    <thread> Query\t<sql>" (the time only on the first line of its second)
      const m = /^(?:\d{6}\s+[\d:]+)?\s+(\d+)\s+(\w+)\s*(.*)$/.exec(line);
      if (!m || !threads.has(m[1]!) || m[2] !== 'Query') continue;
      total++;
      const sql = m[3]!
        .replace(/'[^']*'/g, '?')
        .replace(/\b\d+\b/g, '?')
        .slice(0, 110);
      statements.set(sql, (statements.get(sql) ?? 0) + 1);
    }
    console.log(`\nSQL statements per Verify: ${fmt(total / calls, 2)} (connections of ${dbName})`);
    for (const [sql, n] of [...statements].sort((a, b) => b[1] - a[1])) {
      console.log(`  ${fmt(n / calls, 2).padStart(6)}  ${sql}`);
    }
    const redisTotal = [...redisCommands.values()].reduce((a, b) => a + b, 0);
    console.log(`Redis commands per Verify: ${fmt(redisTotal / calls, 2)} (keys under ${prefix})`);
    for (const [name, n] of redisCommands) console.log(`  ${fmt(n / calls, 2).padStart(6)}  ${name}`);
  } finally {
    await root.query('SET GLOBAL general_log = 0').catch(() => undefined);
    await root.end();
    monitor.disconnect();
    monitorClient.disconnect();
    fs.rmSync(logFile, { force: true });
  }
}

async function main(): Promise<void> {
  const dists = (values.dists ?? 'dist').split(',').map((d) => d.trim());
  const rounds = Number(values.rounds);
  const calls = Number(values.calls);
  const inFlight = Number(values.concurrent);
  const real = values.engine === 'real';
  const i = await inputs();
  const body = JSON.stringify({ img1: i.document.toString('base64'), img2: i.selfie.toString('base64') });
  let engineAddress: string;
  let stopEngine: () => Promise<void>;
  let grpcVerify: (() => Promise<void>) | undefined;
  if (real) {
    const e: Engine & { port: number } = await startEngine({ backend: 'onnx', workers: 2 });
    engineAddress = `127.0.0.1:${e.port}`;
    stopEngine = () => e.stop();
    // Both clients send their request encoded once (preEncoded, http-post.ts), so neither figure carries encoding.
    const verify = preEncoded(e.client, 'Verify', { img1: i.document, img2: i.selfie });
    grpcVerify = async () => {
      await verify();
    };
  } else {
    const f = await startFakeEngine();
    engineAddress = f.address;
    stopEngine = () => f.stop();
  }
  const backing = await createBacking();
  console.log(
    `# gateway CPU per POST /v1/verify (${real ? 'real onnx engine, 2 workers' : 'fake engine'}), body ${fmt(body.length / 1024, 0)} KiB, ${calls} calls per window, load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
  console.log(
    'round  dist                      grpc p50  http p50  added  served | 1-at-a-time CPU ms/call gw mysqld redis | ' +
      `${inFlight} in flight: /s  gw mysqld redis`,
  );
  const results = new Map<string, Array<{ added: number; http: number; one: Window; many: Window }>>();
  try {
    const customer = await createCustomer(backing, 'gateway-cpu', 1_000_000);
    const poster = (url: string) => jsonPoster(url, customer.apiKey, Buffer.from(body));
    for (let round = 1; round <= rounds; round++) {
      for (const dist of dists) {
        const gw = await startGateway(dist, backing, engineAddress);
        const http = poster(gw.url);
        try {
          const next = () => http.post('/v1/verify');
          for (let k = 0; k < 10; k++) await next();
          if (values.count && round === 1) {
            console.log(`\n## round trips, ${dist}`);
            await countRoundTrips(backing, 20, next);
          }
          let grpcP50 = NaN;
          if (grpcVerify) {
            const wall: number[] = [];
            for (let k = 0; k < calls / 2; k++) {
              const t = performance.now();
              await grpcVerify();
              wall.push(performance.now() - t);
            }
            grpcP50 = percentile(wall, 50);
          }
          const one = await window(gw, calls, 1, next);
          const many = await window(gw, calls, inFlight, next);
          const added = one.p50 - grpcP50;
          const list = results.get(dist) ?? [];
          list.push({ added, http: one.p50, one, many });
          results.set(dist, list);
          console.log(
            `${String(round).padEnd(6)} ${dist.padEnd(25)} ${fmt(grpcP50, 1).padStart(8)} ${fmt(one.p50, 1).padStart(9)} ${fmt(added, 1).padStart(6)} ${fmt(one.serverP50, 1).padStart(7)} | ` +
              `${fmt(one.gatewayMs, 2).padStart(29)} ${fmt(one.mysqlMs, 2).padStart(6)} ${fmt(one.redisMs, 2).padStart(5)} | ` +
              `${fmt(many.perSecond, 1).padStart(14)} ${fmt(many.gatewayMs, 2).padStart(5)} ${fmt(many.mysqlMs, 2).padStart(6)} ${fmt(many.redisMs, 2).padStart(5)}`,
          );
        } finally {
          http.close();
          await gw.stop();
        }
      }
    }
  } finally {
    await backing.drop();
    await stopEngine();
  }
  console.log('\nmedians [min–max] per dist');
  const med = (xs: number[]) =>
    `${fmt(percentile(xs, 50), 2)} [${fmt(Math.min(...xs), 2)}–${fmt(Math.max(...xs), 2)}]`;
  for (const [dist, list] of results) {
    console.log(
      `${dist}: http p50 ${med(list.map((r) => r.http))}, added ${med(list.map((r) => r.added))}, ` +
        `served (access log) p50 ${med(list.map((r) => r.one.serverP50))}; ` +
        `CPU ms/call one at a time gw ${med(list.map((r) => r.one.gatewayMs))}, mysqld ${med(list.map((r) => r.one.mysqlMs))}, ` +
        `redis ${med(list.map((r) => r.one.redisMs))}; ${inFlight} in flight gw ${med(list.map((r) => r.many.gatewayMs))}, ` +
        `mysqld ${med(list.map((r) => r.many.mysqlMs))}, /s ${med(list.map((r) => r.many.perSecond))}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
