import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { call, TINY_PNG, waitUntil } from '../src/http';
import { canConnect, exposure, freePort, LOOPBACK_ONLY, nonLoopbackAddress } from '../src/listeners';
import { makePki, type Pki } from '../src/pki';
import { type Child, ENGINE_MAIN, spawnNode, startGateway, startWorker } from '../src/processes';
import { createCustomer, createScratch, type Scratch } from '../src/stack';

/**
 * Issue 18, items 3 and 8, on real processes: what the engine and the metrics listeners expose with no settings
 * (loopback only), and what the engine asks of its callers when a deployment sets a token or mutual TLS — and
 * that the gateway and its batch worker, started from their dist/, pass those checks.
 */
const FAKE_WORKER = path.join(path.dirname(ENGINE_MAIN), '..', 'test', 'support', 'fake-worker.js');
const TOKEN = 'engine-token-0123456789abcdefghijklmnopqrstuvwxyz';
const FACE_ENGINE = '/deepface.engine.v1.FaceEngine';
const HEALTH_CHECK = '/grpc.health.v1.Health/Check';
const REFLECTION = '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo';
// Empty protobuf messages: GetInfoRequest and HealthCheckRequest{service: ""} both encode to no bytes.
const EMPTY = Buffer.alloc(0);

interface EngineProcess extends Child {
  port: number;
  metricsPort: number;
}

/** dist/main.js with the fake worker (no models: ready in a moment) and exactly `env` beyond ports. */
async function startEngine(s: Scratch, name: string, env: Record<string, string>): Promise<EngineProcess> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const child = spawnNode(
    name,
    ENGINE_MAIN,
    {
      ENGINE_PORT: String(port),
      ENGINE_METRICS_PORT: String(metricsPort),
      MALLOC_ARENA_MAX: '2', // as every launcher runs it (services/engine/src/main.ts)
      ENGINE_WORKERS: '1',
      ENGINE_WORKER_FILE: FAKE_WORKER,
      LOG_LEVEL: 'info',
      ...env,
    },
    `${s.dir}/${name}.log`,
    ['--single-threaded-gc'],
  );
  await child.waitFor(/"msg":"ready/);
  return { ...child, port, metricsPort };
}

type Outcome = { ok: true } | { ok: false; code: number; details: string };

/** One unary call with raw bytes (no generated client: the test speaks the wire as any stranger could). */
function unary(
  address: string,
  method: string,
  options: { credentials?: grpc.ChannelCredentials; metadata?: Record<string, string> } = {},
): Promise<Outcome> {
  const client = new grpc.Client(address, options.credentials ?? grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(options.metadata ?? {})) metadata.set(k, v);
  return new Promise<Outcome>((resolve) => {
    client.makeUnaryRequest(
      method,
      (b: Buffer) => b,
      (b: Buffer) => b,
      EMPTY,
      metadata,
      { deadline: Date.now() + 5_000 },
      (error) => {
        client.close();
        resolve(error ? { ok: false, code: error.code, details: error.details } : { ok: true });
      },
    );
  });
}

/** What grpcurl's first request does: open the reflection stream and ask for the service list. */
function reflection(address: string, metadata: Record<string, string> = {}): Promise<Outcome> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(metadata)) md.set(k, v);
  return new Promise<Outcome>((resolve) => {
    const stream = client.makeBidiStreamRequest(
      REFLECTION,
      (b: Buffer) => b,
      (b: Buffer) => b,
      md,
    );
    const done = (outcome: Outcome) => {
      client.close();
      resolve(outcome);
    };
    stream.on('data', () => {
      stream.cancel();
      done({ ok: true });
    });
    stream.on('error', (error: grpc.ServiceError) =>
      done(
        error.code === grpc.status.CANCELLED
          ? { ok: true }
          : { ok: false, code: error.code, details: error.details },
      ),
    );
    // ServerReflectionRequest { list_services: "" } (field 7, length-delimited, empty).
    stream.write(Buffer.from([0x3a, 0x00]));
  });
}

const tls = (pki: Pki, client?: { cert: string; key: string }) =>
  grpc.credentials.createSsl(
    readFileSync(pki.ca),
    client ? readFileSync(client.key) : null,
    client ? readFileSync(client.cert) : null,
  );

describe('issue 18 items 3 and 8: internal ports and the engine link (real processes)', () => {
  let s: Scratch;
  let pki: Pki;

  beforeAll(async () => {
    s = await createScratch('exposure');
    pki = makePki(s.dir);
  });
  afterAll(async () => {
    await s?.close();
  });

  describe('an engine started with no address settings (as npm start and the README run it)', () => {
    let engine: EngineProcess;
    beforeAll(async () => {
      engine = await startEngine(s, 'engine-defaults', {});
    });
    afterAll(async () => {
      await engine?.kill('SIGTERM');
    });

    it('listens for gRPC on 127.0.0.1 only', async () => {
      expect(await exposure(engine.port)).toEqual(LOOPBACK_ONLY);
      expect(await unary(`127.0.0.1:${engine.port}`, `${FACE_ENGINE}/GetInfo`)).toEqual({ ok: true });
    });

    it('serves /metrics on 127.0.0.1 only', async () => {
      expect(await exposure(engine.metricsPort)).toEqual(LOOPBACK_ONLY);
    });

    it('has server reflection off', async () => {
      expect(await reflection(`127.0.0.1:${engine.port}`)).toMatchObject({
        ok: false,
        code: grpc.status.UNIMPLEMENTED,
      });
    });
  });

  describe('ENGINE_AUTH_TOKEN', () => {
    let engine: EngineProcess;
    let address: string;
    beforeAll(async () => {
      engine = await startEngine(s, 'engine-token', { ENGINE_AUTH_TOKEN: TOKEN, ENGINE_REFLECTION: 'true' });
      address = `127.0.0.1:${engine.port}`;
    });
    afterAll(async () => {
      await engine?.kill('SIGTERM');
    });

    it('every FaceEngine call without the token, or with a wrong one, gets UNAUTHENTICATED', async () => {
      const wrong = `${TOKEN.slice(0, -1)}X`; // same length: only the comparison can tell
      for (const rpc of ['GetInfo', 'Verify', 'Compare', 'Analyze', 'Detect', 'Represent']) {
        const attempts: Array<Record<string, string>> = [
          {},
          { authorization: `Bearer ${wrong}` },
          { authorization: TOKEN },
        ];
        for (const metadata of attempts) {
          expect([rpc, await unary(address, `${FACE_ENGINE}/${rpc}`, { metadata })]).toEqual([
            rpc,
            { ok: false, code: grpc.status.UNAUTHENTICATED, details: expect.any(String) },
          ]);
        }
      }
      expect(
        await unary(address, `${FACE_ENGINE}/GetInfo`, { metadata: { authorization: `Bearer ${TOKEN}` } }),
      ).toEqual({ ok: true });
    });

    it('health stays open for probes; reflection, when enabled, needs the token too', async () => {
      expect(await unary(address, HEALTH_CHECK)).toEqual({ ok: true });
      expect(await reflection(address)).toMatchObject({ ok: false, code: grpc.status.UNAUTHENTICATED });
      expect(await reflection(address, { authorization: `Bearer ${TOKEN}` })).toEqual({ ok: true });
    });

    it('never logs the token', () => {
      expect(engine.output()).not.toContain(TOKEN);
    });
  });

  describe('mutual TLS (ENGINE_TLS_CERT, ENGINE_TLS_KEY, ENGINE_TLS_CA)', () => {
    let engine: EngineProcess;
    let address: string;
    beforeAll(async () => {
      engine = await startEngine(s, 'engine-mtls', {
        ENGINE_TLS_CERT: pki.serverCert,
        ENGINE_TLS_KEY: pki.serverKey,
        ENGINE_TLS_CA: pki.ca,
        ENGINE_AUTH_TOKEN: TOKEN,
      });
      address = `127.0.0.1:${engine.port}`;
    });
    afterAll(async () => {
      await engine?.kill('SIGTERM');
    });

    it('refuses plaintext, clients without a certificate and certificates of another CA', async () => {
      const auth = { authorization: `Bearer ${TOKEN}` };
      const refused = { ok: false, code: grpc.status.UNAVAILABLE };
      expect(await unary(address, HEALTH_CHECK)).toMatchObject(refused);
      expect(
        await unary(address, `${FACE_ENGINE}/GetInfo`, { credentials: tls(pki), metadata: auth }),
      ).toMatchObject(refused);
      const stranger = tls(pki, { cert: pki.strangerCert, key: pki.strangerKey });
      expect(
        await unary(address, `${FACE_ENGINE}/GetInfo`, { credentials: stranger, metadata: auth }),
      ).toMatchObject(refused);
    });

    it('serves a client with a certificate of its CA (the token still required)', async () => {
      const credentials = tls(pki, { cert: pki.clientCert, key: pki.clientKey });
      expect(
        await unary(address, `${FACE_ENGINE}/GetInfo`, {
          credentials,
          metadata: { authorization: `Bearer ${TOKEN}` },
        }),
      ).toEqual({ ok: true });
      expect(await unary(address, `${FACE_ENGINE}/GetInfo`, { credentials })).toMatchObject({
        ok: false,
        code: grpc.status.UNAUTHENTICATED,
      });
    });

    it('the container healthcheck (dist/healthcheck.js) still passes', async () => {
      const probe = spawnNode(
        'healthcheck',
        path.join(path.dirname(ENGINE_MAIN), 'healthcheck.js'),
        {
          ENGINE_PORT: String(engine.port),
          ENGINE_TLS_CERT: pki.serverCert,
          ENGINE_TLS_KEY: pki.serverKey,
          ENGINE_TLS_CA: pki.ca,
          ENGINE_AUTH_TOKEN: TOKEN,
        },
        `${s.dir}/healthcheck.log`,
      );
      expect(await probe.exited).toBe(0);
    });

    describe('the gateway and its worker (dist/main.js, dist/worker.js) with the same settings', () => {
      const clientEnv = () => ({
        ENGINE_TLS_CERT: pki.clientCert,
        ENGINE_TLS_KEY: pki.clientKey,
        ENGINE_TLS_CA: pki.ca,
      });
      let images: Server;
      let imageUrl: string;
      beforeAll(async () => {
        images = createServer((_req, res) => res.end(Buffer.from(TINY_PNG, 'base64')));
        await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
        imageUrl = `http://localhost:${(images.address() as { port: number }).port}/face.png`;
      });
      afterAll(async () => {
        await new Promise((resolve) => images.close(resolve));
      });

      it('verify is served through the token and mutual TLS; a gateway without the token gets 503', async () => {
        const env = {
          DATABASE_URL: s.mysqlUrl(),
          REDIS_URL: s.redisUrl(),
          REDIS_KEY_PREFIX: s.prefix,
          ENGINE_ADDRESS: address,
          IMAGE_FETCH_ALLOW_HOSTS: 'localhost:*',
          RATE_LIMIT_POINTS: '100000',
        };
        const gw = await startGateway(
          'gateway-mtls',
          { ...env, ...clientEnv(), ENGINE_AUTH_TOKEN: TOKEN },
          `${s.dir}/gw.log`,
        );
        const stranger = await startGateway(
          'gateway-no-token',
          { ...env, ...clientEnv(), MIGRATE_ON_START: 'false' },
          `${s.dir}/gw-no-token.log`,
        );
        const worker = await startWorker(
          { ...env, ...clientEnv(), ENGINE_AUTH_TOKEN: TOKEN, JOBS_BACKOFF_MS: '200' },
          `${s.dir}/worker.log`,
        );
        try {
          const customer = await createCustomer({ DATABASE_URL: s.mysqlUrl() }, '10');
          const body = { img1: TINY_PNG, img2: TINY_PNG };
          expect((await call(gw.url, '/v1/verify', { key: customer.key, body })).status).toBe(200);
          const refused = await call(stranger.url, '/v1/verify', { key: customer.key, body });
          expect(refused.status).toBe(503);
          expect(refused.body).toMatchObject({ result: 'engine_unavailable' });

          // A URL item runs in the worker process, which must present the same credentials.
          const submitted = await call(gw.url, '/v1/jobs', {
            key: customer.key,
            body: { items: [{ type: 'verify', img1: imageUrl, img2: imageUrl }] },
          });
          expect(submitted.status).toBe(202);
          let job: Record<string, unknown> = {};
          await waitUntil(
            async () => {
              job = (await call(gw.url, `/v1/jobs/${String(submitted.body.id)}`, { key: customer.key })).body;
              return job.status === 'completed';
            },
            30_000,
            'the URL job to complete',
          );
          expect(job).toMatchObject({ progress: { succeeded: 1, failed: 0 } });
          for (const child of [gw, stranger, worker]) expect(child.output()).not.toContain(TOKEN);
        } finally {
          await Promise.all([gw.kill('SIGTERM'), stranger.kill('SIGTERM'), worker.kill('SIGTERM')]);
        }
      });
    });
  });

  describe('item 8: the gateway and worker metrics listeners with no METRICS_HOST', () => {
    it('the API listens on every interface (HOST=0.0.0.0), its metrics on 127.0.0.1 only', async () => {
      const gw = await startGateway(
        'gateway-metrics',
        { DATABASE_URL: s.mysqlUrl(), HOST: '0.0.0.0', ENGINE_ADDRESS: '127.0.0.1:1' },
        `${s.dir}/gateway-metrics.log`,
      );
      try {
        const apiPort = Number(new URL(gw.url).port);
        const external = nonLoopbackAddress();
        if (external !== undefined) expect(await canConnect(external, apiPort)).toBe(true);
        expect(await exposure(gw.metricsPort)).toEqual(LOOPBACK_ONLY);
        expect((await fetch(`http://127.0.0.1:${gw.metricsPort}/metrics`)).status).toBe(200);
      } finally {
        await gw.kill('SIGTERM');
      }
    });

    it('the worker serves its probes and metrics on 127.0.0.1 only', async () => {
      const metricsPort = await freePort();
      const worker = await startWorker(
        {
          DATABASE_URL: s.mysqlUrl(),
          REDIS_URL: s.redisUrl(),
          REDIS_KEY_PREFIX: s.prefix,
          HOST: '0.0.0.0',
          METRICS_PORT: String(metricsPort),
          ENGINE_ADDRESS: '127.0.0.1:1',
        },
        `${s.dir}/worker-metrics.log`,
      );
      try {
        expect(await exposure(metricsPort)).toEqual(LOOPBACK_ONLY);
        expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(200);
      } finally {
        await worker.kill('SIGTERM');
      }
    });
  });
});
