import { connect } from 'node:net';
import request from 'supertest';
import { listen, startGateway, type TestGateway } from '../helpers/app';
import { DASHBOARD_ORIGIN, dashboardClient } from '../helpers/dashboard';

/** One raw HTTP/1.1 request (header bytes exactly as given: HTTP clients re-encode non-ASCII values). */
async function rawRequest(
  port: number,
  head: Buffer,
  body: string,
): Promise<{ status: number; text: string }> {
  const raw = Buffer.concat([head, Buffer.from(`\r\nContent-Length: ${body.length}\r\n\r\n${body}`)]);
  const text = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(raw));
    let out = '';
    socket.on('data', (chunk: Buffer) => (out += chunk.toString('latin1')));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
  });
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]), text };
}

/** Issue 18 item 9 (dashboard part): odd input gets a 4xx, never a 500, and is never logged verbatim. */
describe('dashboard: odd input', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ db: 'sqlite', env: { PASSWORD_SCRYPT_LOG2N: '12' } });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('answers 403 to a non-ASCII X-CSRF-Token of the right length (no RangeError, nothing logged)', async () => {
    const client = dashboardClient(gw.app);
    const b = await client.signUp();
    // As many characters as the real token, but one of them non-ASCII (one latin1 byte on the wire, two bytes once
    // encoded as UTF-8): a compare of byte buffers of different lengths threw a RangeError (500).
    const marker = b.csrf.slice(1, 20);
    const head = Buffer.concat([
      Buffer.from(
        `POST /dashboard/api/keys HTTP/1.1\r\nHost: ${new URL(DASHBOARD_ORIGIN).host}\r\nOrigin: ${DASHBOARD_ORIGIN}` +
          `\r\nCookie: ${b.cookie}\r\nContent-Type: application/json\r\nConnection: close\r\nX-CSRF-Token: `,
        'latin1',
      ),
      Buffer.from([0xe9]),
      Buffer.from(b.csrf.slice(1), 'latin1'),
    ]);
    const { server, url } = await listen(gw.app);
    let res: { status: number; text: string };
    try {
      res = await rawRequest(Number(new URL(url).port), head, JSON.stringify({ name: 'k' }));
    } finally {
      server.close();
    }
    expect(res.status).toBe(403);
    expect(res.text).toContain('"result":"csrf_failed"');
    expect(gw.logs.join('\n')).not.toContain(marker);
    expect(gw.logs.join('\n')).not.toMatch(/RangeError|"level":50/);
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])(
    '/dashboard/samples/%s is 404, not a property of an object',
    async (name) => {
      const res = await request(gw.app).get(`/dashboard/samples/${name}`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).not.toMatch(/image/);
    },
  );

  it('still serves the real samples', async () => {
    const res = await request(gw.app).get('/dashboard/samples/selfie.jpg');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/image\/jpeg/);
  });
});
