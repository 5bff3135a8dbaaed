import type { LookupAddress } from 'node:dns';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import request from 'supertest';
import type { LookupFn } from '../../src/platform/fetch/image-fetcher';
import { loadConfig } from '../../src/platform/config';
import { LoopbackServer } from '../fakes/image-server';
import { asBase64, pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';

/**
 * Image URLs must not turn the API into a port scanner of the networks the gateway reaches (issue 18, item 7):
 * allow-list entries name their ports, every download failure gives the client the same answer (details only in
 * the logs, without the query string), and an account that cannot pay gets 402 before anything is fetched.
 */
const PNG = pngImage(16, 16);
const IMG = asBase64(PNG);

const DOWNLOAD_FAILED =
  /^Image img1 could not be downloaded\. It must be a publicly reachable http\(s\) URL answering within \d+ s with an image under \d+ MiB\.$/;

const dns: LookupFn = (hostname, options, callback) => {
  const answers: Record<string, LookupAddress[]> = {
    localhost: [{ address: '127.0.0.1', family: 4 }],
    'internal.test': [{ address: '10.1.2.3', family: 4 }],
  };
  const list = answers[hostname];
  if (!list) {
    const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
    error.code = 'ENOTFOUND';
    return callback(error, []);
  }
  if (options.all) return callback(null, list);
  return callback(null, list[0]!.address, list[0]!.family);
};

/** A raw TCP server; close() also ends the connections it holds open. */
async function listenTcp(onConnection: (socket: Socket) => void): Promise<TcpServer> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = server.close.bind(server);
  server.close = (callback) => {
    sockets.forEach((s) => s.destroy());
    return close(callback);
  };
  return server;
}
const portOf = (server: TcpServer) => (server.address() as { port: number }).port;

describe('image URLs are no port scanner (MariaDB)', () => {
  const images = new LoopbackServer();

  beforeAll(async () => {
    images
      .route('/face.png', (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG))
      .route('/broken', (_req, res) => res.writeHead(503).end('upstream secret'))
      .route('/loop', (_req, res) => res.writeHead(302, { location: '/loop' }).end())
      .route('/huge', (_req, res) =>
        res.writeHead(200, { 'content-length': String(64 * 1024 * 1024) }).end(Buffer.alloc(16)),
      )
      .route('/stall', () => undefined);
    await images.start();
  });
  afterAll(() => images.stop());

  describe('allow-list entries name their ports', () => {
    it('parses host, host:port, host:* and [v6]:port; refuses a bad port', () => {
      const config = loadConfig({
        IMAGE_FETCH_ALLOW_HOSTS: 'Images.Internal, minio.internal:9000, a.test:*',
      });
      expect(config.images.allowHosts).toEqual(['images.internal', 'minio.internal:9000', 'a.test:*']);
      expect(loadConfig({ WEBHOOK_ALLOW_HOSTS: '[::1]:8080' }).webhooks.allowHosts).toEqual(['[::1]:8080']);
      for (const bad of ['a.test:0', 'a.test:65536', 'a.test:http', 'a.test:', 'http://a.test', 'a test']) {
        expect(() => loadConfig({ IMAGE_FETCH_ALLOW_HOSTS: bad })).toThrow(/IMAGE_FETCH_ALLOW_HOSTS/);
      }
    });

    it('a host without a port is allowed on 80 and 443 only: another port of it gets the address checks', async () => {
      const gw = await startGateway({ lookup: dns, env: { IMAGE_FETCH_ALLOW_HOSTS: 'localhost' } });
      try {
        const { key } = await createCustomer(gw);
        const before = images.hits.length;
        const res = await request(gw.app)
          .post('/v1/verify')
          .set('X-API-KEY', key)
          .send({ img1: images.url('/face.png'), img2: IMG });
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(DOWNLOAD_FAILED);
        expect(images.hits.length - before).toBe(0);
        expect(gw.engine.totalCalls()).toBe(0);
      } finally {
        await gw.close();
      }
    });

    it.each([
      ['its own port', () => `localhost:${images.port}`],
      ['any port, when the operator says so', () => 'localhost:*'],
    ])('an entry with %s allows it', async (_name, entry) => {
      const gw = await startGateway({ lookup: dns, env: { IMAGE_FETCH_ALLOW_HOSTS: entry() } });
      try {
        const { key } = await createCustomer(gw);
        const res = await request(gw.app)
          .post('/v1/verify')
          .set('X-API-KEY', key)
          .send({ img1: images.url('/face.png'), img2: IMG });
        expect(res.status).toBe(200);
      } finally {
        await gw.close();
      }
    });
  });

  describe('every download failure gives the same answer', () => {
    let gw: TestGateway;
    let key: string;
    let closedPort: number;
    let notHttp: TcpServer;
    let silent: TcpServer;

    beforeAll(async () => {
      const probe = await listenTcp(() => undefined);
      closedPort = portOf(probe);
      await new Promise((resolve) => probe.close(resolve));
      notHttp = await listenTcp((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
      silent = await listenTcp(() => undefined);
      gw = await startGateway({
        lookup: dns,
        env: { IMAGE_FETCH_ALLOW_HOSTS: 'localhost:*', IMAGE_FETCH_TIMEOUT_MS: '800' },
      });
      key = (await createCustomer(gw)).key;
    });
    afterAll(async () => {
      await gw.close();
      await new Promise((resolve) => notHttp.close(resolve));
      await new Promise((resolve) => silent.close(resolve));
    });

    it('closed port, non-HTTP service, 404, 503, redirect loop, too large, stalled, unknown name, refused address', async () => {
      const cases: Record<string, string> = {
        'closed port': `http://localhost:${closedPort}/a.png`,
        'non-HTTP service': `http://localhost:${portOf(notHttp)}/a.png`,
        'silent service': `http://localhost:${portOf(silent)}/a.png`,
        'HTTP 404': images.url('/missing.png?token=abc123'),
        'HTTP 503': images.url('/broken'),
        'redirect loop': images.url('/loop'),
        'too large': images.url('/huge'),
        stalled: images.url('/stall'),
        'unknown name': 'http://nx.test/a.png',
        'private address': 'http://internal.test/a.png',
        'private literal': 'http://10.0.0.1/a.png',
      };
      const bodies: Record<string, unknown> = {};
      for (const [name, url] of Object.entries(cases)) {
        const res = await request(gw.app)
          .post('/v1/verify')
          .set('X-API-KEY', key)
          .send({ img1: url, img2: IMG });
        expect({ name, status: res.status }).toEqual({ name, status: 400 });
        const { request_id: _id, ...rest } = res.body as Record<string, unknown>;
        bodies[name] = rest;
      }
      const distinct = new Set(Object.values(bodies).map((b) => JSON.stringify(b)));
      expect([...distinct]).toHaveLength(1);
      expect(bodies['HTTP 404']).toMatchObject({
        result: 'invalid_image',
        message: expect.stringMatching(DOWNLOAD_FAILED),
      });
      expect(gw.engine.totalCalls()).toBe(0);

      // The operator sees why, in the logs: the failure kind, but never the query string.
      const logged = gw.logs.filter((line) => line.includes('image download failed'));
      expect(logged.length).toBeGreaterThanOrEqual(Object.keys(cases).length);
      const notFound = logged.find((line) => line.includes('/missing.png'));
      expect(notFound).toMatch(/"http_status":404/);
      expect(notFound).not.toContain('token=abc123');
      expect(logged.join('\n')).not.toContain('abc123');
    });

    it('idempotent replays do not tell failures apart either: none is stored', async () => {
      for (const url of [images.url('/missing.png'), 'http://10.0.0.1/a.png', images.url('/broken')]) {
        const idem = `oracle-${Math.random().toString(36).slice(2)}`;
        const send = () =>
          request(gw.app)
            .post('/v1/verify')
            .set('X-API-KEY', key)
            .set('Idempotency-Key', idem)
            .send({ img1: url, img2: IMG });
        await send();
        const again = await send();
        expect(again.status).toBe(400);
        expect(again.headers['idempotent-replayed']).toBeUndefined();
      }
    });
  });

  describe('the balance is checked before anything is downloaded', () => {
    let gw: TestGateway;

    beforeAll(async () => {
      gw = await startGateway({ lookup: dns, env: { IMAGE_FETCH_ALLOW_HOSTS: 'localhost:*' } });
    });
    afterAll(() => gw.close());

    const face = () => images.url('/face.png');
    it.each([
      ['verify', () => ({ img1: face(), img2: face() }), 0.25],
      ['lookalike', () => ({ img1: face(), img2: IMG }), 0.2],
      ['analyze', () => ({ image: face() }), 0.3],
    ])('a $0 account gets 402 on /v1/%s with 0 fetches', async (endpoint, body, price) => {
      const { key } = await createCustomer(gw, { balanceMicros: 0 });
      const before = images.hits.length;
      const res = await request(gw.app).post(`/v1/${endpoint}`).set('X-API-KEY', key).send(body());
      expect(res.status).toBe(402);
      expect(res.body).toMatchObject({ current_balance: 0, required_amount: price });
      expect(images.hits.length - before).toBe(0);
      expect(gw.engine.totalCalls()).toBe(0);
    });

    it('and before a URL of a port-scan costs anything: 402 even for a closed port', async () => {
      const { key } = await createCustomer(gw, { balanceMicros: 100_000 });
      const res = await request(gw.app)
        .post('/v1/verify')
        .set('X-API-KEY', key)
        .send({ img1: 'http://localhost:1/a.png', img2: IMG });
      expect(res.status).toBe(402);
      expect(res.body).toMatchObject({ current_balance: 0.1, required_amount: 0.25 });
    });
  });
});
