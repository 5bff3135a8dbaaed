import { connect, createServer, type Server, type Socket } from 'node:net';
import { FakeEngine } from '@deepface/fake-engine';
import { call } from '../src/http';
import { startGateway, type GatewayProcess } from '../src/processes';
import { createCustomer, createScratch, moneyOf, type Customer, type Scratch } from '../src/stack';

/**
 * Items 13 and 14 on a real gateway process: hostile upstreams (raw TCP, so they can lie in ways an HTTP library
 * would not) and oversized or never-ending request bodies.
 */
const FETCH_TIMEOUT_MS = 1_500;
const MiB = 1024 * 1024;

/** A raw TCP "web server" on every loopback address (localhost may resolve to ::1 or 127.0.0.1). */
async function rawServer(handle: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    // Wait for the request head, then misbehave.
    socket.once('data', () => handle(socket));
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '::', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const close = server.close.bind(server);
  server.close = (cb) => {
    sockets.forEach((s) => s.destroy());
    return close(cb);
  };
  return { server, port: address.port };
}

/** Writes `chunk` every `everyMs` until the socket closes. */
function drip(socket: Socket, chunk: string | Buffer, everyMs: number): void {
  const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write(chunk)), everyMs);
  socket.on('close', () => clearInterval(timer));
}

/** Sends a request head and `sent` bytes of a body that claims `declared` bytes; resolves with the raw answer. */
function partialPost(
  port: number,
  path: string,
  headers: Record<string, string>,
  declared: number,
  sent: number,
) {
  return new Promise<{ head: string; closedByServer: boolean }>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const head =
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('') +
      `Content-Length: ${declared}\r\n\r\n`;
    socket.write(head);
    socket.write(`{"img1":"${'A'.repeat(Math.max(0, sent - 10))}`);
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('error', () => undefined);
    // The test never sends the rest: only an answer given before the body ends can arrive.
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer before the body was complete; got: ${answer.slice(0, 200)}`));
    }, 20_000);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ head: answer, closedByServer: true });
    });
  });
}

describe('image intake and request bodies (gateway process)', () => {
  let s: Scratch;
  const engine = new FakeEngine();
  let gw: GatewayProcess;
  let customer: Customer;
  const servers: Server[] = [];
  let port: Record<string, number>;

  beforeAll(async () => {
    s = await createScratch('intake');
    await engine.start();
    const upstreams = {
      // Headers that never end.
      slowHeaders: (socket: Socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n');
        drip(socket, 'X', 100);
      },
      // A small declared length, a body that trickles forever.
      slowBody: (socket: Socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 2048\r\n\r\n\x89PNG');
        drip(socket, '\x00', 100);
      },
      // No length, an endless fast body.
      endless: (socket: Socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n');
        const chunk = Buffer.alloc(256 * 1024, 7);
        const pump = () => {
          while (
            !socket.destroyed &&
            socket.write(`${chunk.length.toString(16)}\r\n`) &&
            socket.write(chunk)
          ) {
            socket.write('\r\n');
          }
          if (!socket.destroyed) socket.once('drain', pump);
        };
        pump();
      },
      // An error whose status text and body carry internals.
      leaky: (socket: Socket) => {
        socket.end(
          'HTTP/1.1 500 SECRET-STATUS-db01.internal\r\nContent-Type: text/plain\r\nContent-Length: 18\r\n\r\nSECRET-BODY-secret',
        );
      },
    };
    port = {};
    for (const [name, handle] of Object.entries(upstreams)) {
      const { server, port: p } = await rawServer(handle);
      servers.push(server);
      port[name] = p;
    }
    gw = await startGateway(
      'gateway',
      {
        DATABASE_URL: s.mysqlUrl(),
        ENGINE_ADDRESS: engine.address,
        IMAGE_FETCH_ALLOW_HOSTS: 'localhost:*',
        IMAGE_FETCH_TIMEOUT_MS: String(FETCH_TIMEOUT_MS),
        IMAGE_MAX_BYTES: String(MiB),
        BODY_LIMIT_BYTES: String(2 * MiB),
        RATE_LIMIT_POINTS: '100000',
        // The fairness defaults have their own suite (fairness.test.ts).
        ACCOUNT_RATE_LIMIT_POINTS: '100000',
        ACCOUNT_MAX_CONCURRENT: '0',
      },
      `${s.dir}/gateway.log`,
    );
    customer = await createCustomer({ DATABASE_URL: s.mysqlUrl() }, '10');
  });
  afterAll(async () => {
    await gw?.kill();
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    await engine.stop();
    await s?.close();
  });

  // The client gets one answer for every download failure (no port-scan oracle); the gateway logs the cause.
  const DOWNLOAD_FAILED =
    /^Image image could not be downloaded\. It must be a publicly reachable http\(s\) URL/;
  // The log line may reach us a moment after the answer: wait for it (the whole output is searched).
  const loggedFailure = async (where: string) =>
    (
      await gw.waitFor(
        new RegExp(`^.*"url":"http://${where}/[^"]*".*"msg":"image download failed".*$`, 'm'),
        10_000,
      )
    )[0];

  const fromUrl = (name: string) =>
    call(gw.url, '/v1/analyze', {
      key: customer.key,
      body: { image: `http://localhost:${port[name]}/img.png` },
    });

  it.each([
    ['headers that never end', 'slowHeaders'],
    ['a body dripping under a small Content-Length', 'slowBody'],
  ])('item 13: %s → cut at the download time cap, 400 invalid_image', async (_what, name) => {
    const res = await fromUrl(name);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 'failed', result: 'invalid_image' });
    expect(res.body.message).toMatch(DOWNLOAD_FAILED);
    expect(await loggedFailure(`localhost:${port[name]}`)).toMatch(/"reason":"timeout"/);
    expect(res.ms).toBeGreaterThanOrEqual(FETCH_TIMEOUT_MS * 0.9);
    expect(res.ms).toBeLessThan(FETCH_TIMEOUT_MS + 2_000);
  });

  it('item 13: an endless body is cut at the size cap', async () => {
    const res = await fromUrl('endless');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(DOWNLOAD_FAILED);
    expect(await loggedFailure(`localhost:${port.endless}`)).toMatch(/"reason":"too_large"/);
  });

  it('item 13: upstream status texts and bodies never reach the client', async () => {
    const res = await fromUrl('leaky');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(DOWNLOAD_FAILED);
    expect(await loggedFailure(`localhost:${port.leaky}`)).toMatch(/"http_status":500/);
    expect(res.text).not.toMatch(/SECRET|db01|internal/);
    expect(engine.totalCalls()).toBe(0);
    expect(await moneyOf(s.db, customer.accountId)).toMatchObject({ balance: 10_000_000, reserved: 0 });
  });

  it('item 14: an authenticated body over the limit → 413 in the error envelope', async () => {
    const res = await call(gw.url, '/v1/verify', {
      key: customer.key,
      body: { img1: 'A'.repeat(2 * MiB + 10), img2: 'x' },
    });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      status: 'failed',
      result: 'payload_too_large',
      message: expect.stringMatching(/too large/),
      hint: expect.stringMatching(/^Send smaller images/),
      request_id: res.headers.get('x-request-id'),
    });
  });

  it('item 14: without a valid key, a large body is answered 401 before it is read, and the connection closed', async () => {
    const gatewayPort = Number(new URL(gw.url).port);
    for (const headers of [{}, { 'X-API-KEY': 'df_live_notARealKey' }] as Array<Record<string, string>>) {
      const res = await partialPost(gatewayPort, '/v1/verify', headers, 64 * MiB, 64 * 1024);
      expect(res.head).toMatch(/^HTTP\/1\.1 401 /);
      expect(res.head).toMatch(/connection: close/i);
      expect(res.closedByServer).toBe(true);
    }
  });
});
