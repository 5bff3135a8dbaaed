import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { SAMPLE_FACE, SAMPLE_ID_CARD, SAMPLE_SELFIE } from '@deepface/gateway/samples';
import { call, sleep, waitUntil, type Answer } from '../src/http';
import {
  dumpDatabase,
  dumpRedis,
  findIn,
  needlesFor,
  newMarker,
  recentFiles,
  scanFiles,
  withMarker,
} from '../src/privacy-scan';
import {
  admin,
  rssOf,
  startGateway,
  startRealEngine,
  startWorker,
  type Child,
  type GatewayProcess,
} from '../src/processes';
import { createCustomer, createScratch, moneyOf, type Customer, type Scratch } from '../src/stack';
import { TcpProxy } from '../src/tcp-proxy';

/**
 * The real engine (dist/main.js, real models, one worker) behind real gateway and worker processes:
 * - item 28 (and 11): marker-bearing images through every endpoint, then 0 occurrences of the marker in a
 *   mysqldump, every Redis key of the run, every log and every new temp file;
 * - item 29: another account sees none of it;
 * - item 17: a burst of large images is shed with 503 + Retry-After while the engine's memory stays bounded;
 * - items 21, 22 and 24 with real processes: SIGSTOP → 504 at the deadline, SIGKILL → 503 then recovery once a new
 *   engine listens, and an idle channel kept alive by pings the engine accepts.
 */
const KEEPALIVE_MS = 10_000;
const DEADLINE_MS = 2_500;
const started = Date.now();

const bytesOf = (dataUri: string) => Buffer.from(dataUri.slice(dataUri.indexOf(',') + 1), 'base64');
const dataUri = (bytes: Buffer) => `data:image/jpeg;base64,${bytes.toString('base64')}`;

describe('with the real engine: privacy, isolation, overload and engine process faults', () => {
  let s: Scratch;
  let childTmp: string;
  let enginePort: number;
  let engine: Child;
  let link: TcpProxy;
  let gw: GatewayProcess;
  let gwKeepalive: GatewayProcess;
  let worker: Child;
  let images: Server;
  let imagesPort: number;
  let alice: Customer;
  let bob: Customer;
  let env: Record<string, string>;
  const marker = newMarker();
  const marked = {
    id: withMarker(bytesOf(SAMPLE_ID_CARD), marker),
    selfie: withMarker(bytesOf(SAMPLE_SELFIE), marker),
    face: withMarker(bytesOf(SAMPLE_FACE), marker),
  };
  const needles = needlesFor(marker, Object.values(marked));
  const aliceJobs: string[] = [];
  const children = () => [engine, gw, gwKeepalive, worker].filter(Boolean);

  beforeAll(async () => {
    s = await createScratch('real-engine');
    childTmp = mkdtempSync(path.join(tmpdir(), 'reliability-child-tmp-'));
    // A port for the engine that survives its restarts; the keepalive gateway reaches it through a counting proxy.
    const probe = await new TcpProxy(1).start();
    enginePort = probe.port;
    await probe.stop();
    const engineEnv = { LOG_LEVEL: 'debug', TMPDIR: childTmp, ENGINE_QUEUE_SIZE: '2' };
    engine = await startRealEngine(enginePort, engineEnv, `${s.dir}/engine.log`);
    link = await new TcpProxy(enginePort).start();

    images = createServer((req, res) => {
      const name = (req.url ?? '').slice(1).replace(/\.jpg$/, '') as keyof typeof marked;
      const body = marked[name];
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => images.listen(0, '::', resolve));
    imagesPort = (images.address() as { port: number }).port;

    env = { DATABASE_URL: s.mysqlUrl() };
    const shared = {
      ...env,
      REDIS_URL: s.redisUrl(),
      REDIS_KEY_PREFIX: s.prefix,
      IMAGE_FETCH_ALLOW_HOSTS: 'localhost:*',
      LOG_LEVEL: 'debug',
      TMPDIR: childTmp,
      RATE_LIMIT_POINTS: '100000',
      // The fairness defaults have their own suite (fairness.test.ts).
      ACCOUNT_RATE_LIMIT_POINTS: '100000',
      ACCOUNT_MAX_CONCURRENT: '0',
      PASSWORD_SCRYPT_LOG2N: '12',
    };
    gw = await startGateway(
      'gateway',
      { ...shared, ENGINE_ADDRESS: `127.0.0.1:${enginePort}`, ENGINE_TIMEOUT_MS: '15000' },
      `${s.dir}/gateway.log`,
    );
    [gwKeepalive, worker, alice, bob] = await Promise.all([
      startGateway(
        'gateway-keepalive',
        {
          ...shared,
          MIGRATE_ON_START: 'false',
          ENGINE_ADDRESS: link.address,
          ENGINE_TIMEOUT_MS: String(DEADLINE_MS),
          ENGINE_KEEPALIVE_MS: String(KEEPALIVE_MS),
          ENGINE_BREAKER_VOLUME: '1000',
          // grpc-js traces its keepalive pings and connection events to stderr.
          GRPC_TRACE: 'keepalive,transport',
          GRPC_VERBOSITY: 'DEBUG',
        },
        `${s.dir}/gateway-keepalive.log`,
      ),
      startWorker(
        { ...shared, ENGINE_ADDRESS: `127.0.0.1:${enginePort}`, JOBS_LOCK_MS: '5000' },
        `${s.dir}/worker.log`,
      ),
      createCustomer(env, '100', 'Alice'),
      createCustomer(env, '100', 'Bob'),
    ]);
    // The keepalive gateway connects now, then stays idle until the keepalive test (item 24).
    expect((await call(gwKeepalive.url, '/v1/account', { key: alice.key })).status).toBe(200);
    expect((await lookalike(gwKeepalive.url)).status).toBe(200);
  });

  afterAll(async () => {
    for (const child of children()) await child.kill();
    await link?.stop();
    await new Promise((resolve) => (images ? images.close(resolve) : resolve(undefined)));
    await s?.close();
    rmSync(childTmp, { recursive: true, force: true });
  });

  const lookalike = (base: string, key = alice.key) =>
    call(base, '/v1/lookalike', {
      key,
      body: { img1: SAMPLE_SELFIE, img2: SAMPLE_ID_CARD },
    });
  const url = (name: keyof typeof marked) => `http://localhost:${imagesPort}/${name}.jpg`;

  async function scanEverything() {
    const dump = await dumpDatabase(s.mysqlUrl());
    const redis = await dumpRedis(s.redis, s.prefix);
    const logs = children().map((c) => ({ where: c.name, text: c.output() }));
    const files = [
      ...recentFiles(childTmp, 0),
      ...recentFiles(tmpdir(), started).filter((f) => !f.startsWith(childTmp)),
    ];
    return {
      sizes: { dump: dump.length, redisKeys: redis.keys, files: files.length },
      findings: [
        ...findIn('mysqldump', dump, needles),
        ...findIn('redis', redis.text, needles),
        ...logs.flatMap((l) => findIn(`${l.where} output`, l.text, needles)),
        ...scanFiles(files, needles),
      ],
    };
  }

  it('the scanner finds the marker wherever it is planted (self-check: the privacy test can fail)', async () => {
    const planted = marked.selfie.toString('base64');
    const file = path.join(childTmp, 'planted.txt');
    writeFileSync(file, `upload=${planted}`);
    await s.redis.set(`${s.prefix}planted`, planted);
    await s.db.schema.createTable('planted', (t) => t.text('v'));
    await s.db('planted').insert({ v: `x${marker}` });
    try {
      const { findings } = await scanEverything();
      const where = new Set(findings.map((f) => f.where));
      expect(where).toEqual(new Set(['mysqldump', 'redis', file]));
      // Each spelling on its own is found too.
      expect(findIn('t', `..${marker}..`, needles)).not.toEqual([]);
      expect(findIn('t', Buffer.from(`a${marker}`).toString('base64'), needles)).not.toEqual([]);
      expect(findIn('t', Buffer.from(`ab${marker}`).toString('base64url'), needles)).not.toEqual([]);
      expect(findIn('t', Buffer.from(marker).toString('hex'), needles)).not.toEqual([]);
    } finally {
      rmSync(file);
      await s.redis.del(`${s.prefix}planted`);
      await s.db.schema.dropTable('planted');
    }
  });

  it('item 28: marker images through every endpoint (base64, data URIs, URLs, jobs, dashboard playground)', async () => {
    const ok = (res: Answer, status = 200) => {
      expect({ status: res.status, body: res.body }).toMatchObject({ status });
      return res;
    };
    const key = alice.key;
    const verified = ok(
      await call(gw.url, '/v1/verify', {
        key,
        body: { img1: dataUri(marked.id), img2: marked.selfie.toString('base64') },
        headers: { 'Idempotency-Key': `privacy-${Date.now()}` },
      }),
    );
    expect(verified.body.result).toBe('verified');
    ok(await call(gw.url, '/v1/verify', { key, body: { img1: url('id'), img2: url('selfie') } }));
    ok(await call(gw.url, '/v1/analyze', { key, body: { image: dataUri(marked.face) } }));
    ok(
      await call(gw.url, '/v1/lookalike', { key, body: { img1: url('selfie'), img2: dataUri(marked.face) } }),
    );
    // Refusals carry images too: a truncated marker JPEG, two selfies, no key at all.
    ok(
      await call(gw.url, '/v1/analyze', { key, body: { image: dataUri(marked.face.subarray(0, 400)) } }),
      400,
    );
    ok(
      await call(gw.url, '/v1/verify', {
        key,
        body: { img1: dataUri(marked.selfie), img2: dataUri(marked.face) },
      }),
      400,
    );
    ok(
      await call(gw.url, '/v1/verify', { body: { img1: dataUri(marked.id), img2: dataUri(marked.id) } }),
      401,
    );

    const inline = ok(
      await call(gw.url, '/v1/jobs', {
        key,
        body: {
          items: [
            { type: 'verify', img1: dataUri(marked.id), img2: dataUri(marked.selfie) },
            { type: 'analyze', image: marked.face.toString('base64') },
          ],
        },
      }),
      202,
    );
    const byUrl = ok(
      await call(gw.url, '/v1/jobs', {
        key,
        body: {
          items: [
            { type: 'verify', img1: url('id'), img2: url('selfie') },
            { type: 'lookalike', img1: url('selfie'), img2: url('face') },
          ],
        },
      }),
      202,
    );
    aliceJobs.push(String(inline.body.id), String(byUrl.body.id));
    for (const id of aliceJobs) {
      await waitUntil(
        async () => (await call(gw.url, `/v1/jobs/${id}`, { key })).body.status === 'completed',
        60_000,
        `job ${id}`,
      );
      const job = await call(gw.url, `/v1/jobs/${id}`, { key });
      expect((job.body.items as Array<{ status: string }>).map((i) => i.status)).toEqual([
        'succeeded',
        'succeeded',
      ]);
    }

    // The dashboard playground (session cookie + CSRF token), billed to the user's own account.
    const signup = await call(gw.url, '/dashboard/api/signup', {
      body: {
        email: `privacy-${marker.slice(-8)}@example.test`,
        name: 'Privacy',
        password: 'correct horse battery',
      },
    });
    expect(signup.status).toBe(201);
    const cookie = signup.headers.getSetCookie()[0]!.split(';')[0]!;
    const session = { cookie, 'x-csrf-token': String(signup.body.csrf_token) };
    ok(
      await call(gw.url, '/dashboard/api/playground/verify', {
        body: { img1: dataUri(marked.id), img2: dataUri(marked.selfie) },
        headers: session,
      }),
    );
    ok(
      await call(gw.url, '/dashboard/api/playground/analyze', {
        body: { image: dataUri(marked.face) },
        headers: session,
      }),
    );
  });

  it('item 29: another account reads none of it: jobs 404, usage and keys only its own', async () => {
    for (const id of aliceJobs) {
      const res = await call(gw.url, `/v1/jobs/${id}`, { key: bob.key });
      expect(res.status).toBe(404);
      expect(res.text).not.toContain(alice.accountId);
    }
    type Entry = { id: string; type: string; request_id: string | null };
    const entries = async (key: string) =>
      (await call(gw.url, '/v1/usage?limit=100', { key })).body.data as Entry[];
    const aliceEntries = await entries(alice.key);
    expect(aliceEntries.filter((e) => e.type === 'capture').length).toBeGreaterThan(3);
    // Bob sees his opening credit and nothing of Alice's.
    expect((await entries(bob.key)).map((e) => e.type)).toEqual(['credit']);
    const account = await call(gw.url, '/v1/account', { key: bob.key });
    expect(JSON.stringify(account.body)).not.toContain(alice.accountId);
  });

  it('items 28 and 11: 0 occurrences of the marker in the database dump, Redis, logs and temp files', async () => {
    await sleep(300); // let the children's last log lines reach their files
    const { findings, sizes } = await scanEverything();
    expect(findings).toEqual([]);
    // The scan looked at real data: a dump with the run's rows, the run's Redis keys, the logs.
    expect(sizes.dump).toBeGreaterThan(10_000);
    expect(sizes.redisKeys).toBeGreaterThan(0);
    const logs = children().map((c) => c.output());
    expect(logs.join('\n')).toMatch(/"msg":"request"/);
    for (const text of logs) expect(text).not.toContain(alice.key);
    expect(logs.join('\n')).not.toContain(alice.key.slice(8, 30));
  });

  it('item 17: a burst of large images is shed with 503 + Retry-After; engine memory stays bounded, nothing crashes', async () => {
    // 12 megapixels (a flat photo: small to send, the full cost to decode), 16 at once for 1 worker + 2 queued.
    const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#7a8a9a' } })
      .jpeg({ quality: 90 })
      .toBuffer();
    const pid = engine.process.pid!;
    const baseline = rssOf(pid);
    let peak = baseline;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, rssOf(pid));
        await sleep(20);
      }
    })();
    const answers = await Promise.all(
      Array.from({ length: 16 }, () =>
        call(gw.url, '/v1/analyze', { key: bob.key, body: { image: dataUri(big) } }),
      ),
    );
    sampling = false;
    await sampler;
    const statuses = answers.map((a) => a.status);
    // The decodable ones find no face (400); the overflow is shed at once; nothing else.
    expect(statuses.every((code) => code === 400 || code === 503)).toBe(true);
    const shed = answers.filter((a) => a.status === 503);
    expect(shed.length).toBeGreaterThan(0);
    for (const a of shed) {
      expect(a.body).toMatchObject({ status: 'error', result: 'engine_unavailable' });
      expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(engine.process.exitCode).toBeNull();
    expect(gw.process.exitCode).toBeNull();
    // Bounded: the engine decodes to a 1600-px working copy, at most one image per worker at a time.
    expect(peak - baseline).toBeLessThan(400 * 1024 * 1024);
    expect(await moneyOf(s.db, bob.accountId)).toMatchObject({ balance: 100_000_000, reserved: 0, held: 0 });
  });

  it('item 22 (real engine): SIGSTOP → 504 once the deadline has passed, 0 charges; SIGCONT → served again', async () => {
    const before = await moneyOf(s.db, bob.accountId);
    engine.process.kill('SIGSTOP');
    let res: Answer;
    try {
      res = await lookalike(gwKeepalive.url, bob.key);
    } finally {
      engine.process.kill('SIGCONT');
    }
    expect(res.status).toBe(504);
    expect(res.body).toMatchObject({ result: 'engine_timeout' });
    expect(res.ms).toBeGreaterThanOrEqual(DEADLINE_MS);
    expect(res.ms).toBeLessThan(DEADLINE_MS * 1.1 + 1_500);
    expect(await moneyOf(s.db, bob.accountId)).toEqual(before);
    expect((await lookalike(gwKeepalive.url, bob.key)).status).toBe(200);
  });

  it('item 24: an idle channel outlives several keepalive intervals: pings answered, no GOAWAY, no reconnect', async () => {
    const connections = link.accepted;
    // Idle for longer than the keepalive interval: at least one ping on a connection with no call.
    await sleep(KEEPALIVE_MS + 2_000);
    expect((await lookalike(gwKeepalive.url, bob.key)).status).toBe(200);
    const trace = gwKeepalive.output();
    expect(trace).toMatch(/Sending ping/);
    expect(trace).toMatch(/Received ping response/);
    expect(trace).not.toMatch(/too_many_pings|GOAWAY|Ping timeout passed|ENHANCE_YOUR_CALM/i);
    expect(link.accepted).toBe(connections);
    // The two sides' settings agree (the engine's policy admits the gateway's ping rate, also between calls).
    const engineLog = engine.output();
    expect(engineLog).not.toMatch(/too_many_pings/);
  });

  it('item 21 (real engine): SIGKILL → 503 at once; a new engine on the same port is found without a gateway restart', async () => {
    const pid = gw.process.pid;
    await engine.kill('SIGKILL');
    const down = await lookalike(gw.url, bob.key);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ result: 'engine_unavailable' });
    expect(down.ms).toBeLessThan(5_000);
    engine = await startRealEngine(enginePort, { TMPDIR: childTmp }, `${s.dir}/engine-2.log`);
    await waitUntil(async () => (await lookalike(gw.url, bob.key)).status === 200, 20_000, 'the new engine');
    expect(gw.process.pid).toBe(pid);
  });

  it('item 6: the ledger reconciles after the whole run', async () => {
    expect(await admin(env, 'reconcile')).toEqual({ mismatches: [], ok: true });
  });
});
