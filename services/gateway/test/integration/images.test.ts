import type { LookupAddress } from 'node:dns';
import request from 'supertest';
import { LoopbackServer } from '../fakes/image-server';
import { hostile } from '@deepface/fixtures';
import { asBase64, asDataUri, pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';
import type { LookupFn } from '../../src/platform/fetch/image-fetcher';

const PNG = pngImage(16, 16);
const IMG = asBase64(PNG);
// Every download failure has this one answer (url-oracle.test.ts); these tests check what cut the download short.
const DOWNLOAD_FAILED =
  /^Image img1 could not be downloaded\. It must be a publicly reachable http\(s\) URL answering within 2 s with an image under 2 MiB\.$/;

/**
 * Test DNS: `public.test` resolves to a public-looking address the test can never reach... except that we map it
 * to loopback only through `rebind.test`, to prove the check runs on the address actually connected to.
 */
const fakeDns: LookupFn = (hostname, options, callback) => {
  const answers: Record<string, LookupAddress[]> = {
    localhost: [{ address: '127.0.0.1', family: 4 }],
    'rebind.test': [{ address: '127.0.0.1', family: 4 }],
    'mixed.test': [
      { address: '93.184.216.34', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ],
    'metadata.test': [{ address: '169.254.169.254', family: 4 }],
    'mapped.test': [{ address: '::ffff:127.0.0.1', family: 6 }],
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

describe('image intake: base64, URLs, SSRF, bombs (MariaDB)', () => {
  let gw: TestGateway;
  let key: string;
  let accountId: string;
  const images = new LoopbackServer();
  const canary = new LoopbackServer();

  beforeAll(async () => {
    await canary.start();
    images
      .route('/face.png', (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG))
      .route('/redirect-to-canary', (_req, res) =>
        res.writeHead(302, { location: canary.url('/from-redirect', '127.0.0.1') }).end(),
      )
      .route('/redirect-to-face', (_req, res) => res.writeHead(301, { location: '/face.png' }).end())
      .route('/loop', (_req, res) => res.writeHead(302, { location: '/loop' }).end())
      .route('/missing', (_req, res) =>
        res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>secret body</h1>'),
      )
      .route('/huge', (_req, res) => {
        // No Content-Length, keeps sending: must be cut at the byte cap.
        res.writeHead(200, { 'content-type': 'image/png' });
        const chunk = Buffer.alloc(64 * 1024, 1);
        const pump = () => {
          while (res.write(chunk)) {
            if (res.writableLength > 64 * 1024 * 1024) return;
          }
          res.once('drain', pump);
        };
        res.on('close', () => undefined);
        pump();
      })
      .route('/lying-length', (_req, res) => {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(12 * 1024 * 1024) });
        res.end(Buffer.alloc(1024));
      })
      .route('/slow-drip', (_req, res) => {
        res.writeHead(200, { 'content-type': 'image/png' });
        const timer = setInterval(() => res.write(Buffer.from([0])), 100);
        res.on('close', () => clearInterval(timer));
      })
      .route('/html', (_req, res) =>
        res.writeHead(200, { 'content-type': 'image/png' }).end('<html>not an image</html>'),
      );
    await images.start();
    gw = await startGateway({
      lookup: fakeDns,
      env: {
        IMAGE_FETCH_ALLOW_HOSTS: 'localhost:*',
        IMAGE_FETCH_TIMEOUT_MS: '1500',
        IMAGE_MAX_BYTES: String(2 * 1024 * 1024),
      },
    });
  });
  afterAll(async () => {
    await gw.close();
    await images.stop();
    await canary.stop();
  });
  beforeEach(async () => {
    gw.engine.resetCalls();
    const c = await createCustomer(gw);
    key = c.key;
    accountId = c.account.id;
  });

  const verify = (img1: string, img2: string = IMG) =>
    request(gw.app).post('/v1/verify').set('X-API-KEY', key).send({ img1, img2 });

  async function expectInvalidImage(img1: string, message: RegExp) {
    const res = await verify(img1);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 'failed', result: 'invalid_image' });
    expect(res.body.message).toMatch(message);
    expect(gw.engine.totalCalls()).toBe(0);
    const account = await gw.services.accounts.getAccount(accountId);
    expect(account.balance_micros).toBe(10_000_000);
    expect(account.reserved_micros).toBe(0);
    return res;
  }

  it('accepts plain base64, data URIs and allow-listed URLs, forwarding the same bytes', async () => {
    for (const input of [IMG, asDataUri(PNG), images.url('/face.png'), images.url('/redirect-to-face')]) {
      gw.engine.resetCalls();
      const res = await verify(input);
      expect(res.status).toBe(200);
      expect(Buffer.from(gw.engine.received[0]!.request.img1 as Buffer).equals(PNG)).toBe(true);
    }
  });

  // The character check runs once on a clean string and again only after stripping whitespace (image.service.ts).
  it('accepts base64 wrapped in lines and URL-safe base64 (padded or not), forwarding the same bytes', async () => {
    // Bytes whose base64 has + and /, so the URL-safe form differs from the plain one.
    const bytes = Buffer.concat([PNG, Buffer.from([0xfb, 0xff, 0xbf, 0xfe])]);
    const plain = bytes.toString('base64');
    expect(plain).toMatch(/[+/]/);
    const urlSafe = plain.replace(/\+/g, '-').replace(/\//g, '_');
    const wrapped = ` ${plain.replace(/.{1,76}/g, '$&\r\n')}\t`;
    for (const input of [wrapped, urlSafe, urlSafe.replace(/=+$/, ''), `data:image/png;base64,${urlSafe}`]) {
      gw.engine.resetCalls();
      const res = await verify(input);
      expect(res.status).toBe(200);
      expect(Buffer.from(gw.engine.received[0]!.request.img1 as Buffer).equals(bytes)).toBe(true);
    }
  });

  it.each([
    ['a bad character and no whitespace', `${IMG.slice(0, 40)}*${IMG.slice(40)}`],
    ['a bad character and whitespace', `${IMG.slice(0, 40)}\n*${IMG.slice(40)}`],
    ['padding in the middle', `${IMG.slice(0, 40)}=${IMG.slice(40)}`],
  ])('base64 with %s is refused', async (_name, input) => {
    await expectInvalidImage(input, /must be a public http\(s\) URL or a base64-encoded image/);
  });

  describe('SSRF: the loopback canary records 0 hits', () => {
    it.each([
      ['loopback literal', () => canary.url('/a', '127.0.0.1')],
      ['loopback ::1', () => canary.url('/a', '[::1]')],
      ['IPv4-mapped IPv6', () => canary.url('/a', '[::ffff:127.0.0.1]')],
      ['decimal IP', () => canary.url('/a', '2130706433')],
      ['hex IP', () => canary.url('/a', '0x7f000001')],
      ['octal IP', () => canary.url('/a', '0177.0.0.1')],
      ['short IP', () => canary.url('/a', '127.1')],
      ['0.0.0.0', () => canary.url('/a', '0.0.0.0')],
      ['metadata IP', () => 'http://169.254.169.254/latest/meta-data/'],
      ['metadata by name', () => canary.url('/a', 'metadata.test')],
      ['name resolving to loopback (rebinding)', () => canary.url('/a', 'rebind.test')],
      ['name with one private answer', () => canary.url('/a', 'mixed.test')],
      ['name resolving to a mapped address', () => canary.url('/a', 'mapped.test')],
      ['userinfo trick', () => `http://localhost@127.0.0.1:${canary.port}/a`],
      ['userinfo on an allowed host', () => `http://user:pass@localhost:${canary.port}/a`],
      ['private range', () => 'http://10.0.0.1/a'],
      ['CGNAT', () => 'http://100.64.0.1/a'],
      ['IPv6 ULA (AWS metadata)', () => 'http://[fd00:ec2::254]/a'],
      ['redirect from an allowed host to loopback', () => images.url('/redirect-to-canary')],
    ])('%s is refused', async (_name, url) => {
      const res = await expectInvalidImage(
        url(),
        /^Image img1 could not be downloaded\. It must be a publicly reachable/,
      );
      expect(res.text).not.toMatch(/127\.0\.0\.1|secret|ECONN|getaddrinfo/);
    });

    it.each([
      ['ftp://example.com/a.png'],
      ['file:///etc/passwd'],
      ['gopher://127.0.0.1:70/'],
      ['javascript:alert(1)'],
    ])('non-http scheme %s is refused', async (input) => {
      await expectInvalidImage(input, /must be a public http\(s\) URL or a base64-encoded image/);
    });

    it('(runs last) the canary was never reached', () => {
      expect(canary.hits).toEqual([]);
    });
  });

  it('a 404 is reported by status only, never with the upstream body', async () => {
    const res = await expectInvalidImage(images.url('/missing'), DOWNLOAD_FAILED);
    expect(res.text).not.toContain('secret body');
  });

  it('redirect loops stop after 3 redirects', async () => {
    const before = images.hits.filter((h) => h === '/loop').length;
    await expectInvalidImage(images.url('/loop'), DOWNLOAD_FAILED);
    expect(images.hits.filter((h) => h === '/loop').length - before).toBe(4);
  });

  it('an endless body is cut at the byte cap', async () => {
    await expectInvalidImage(images.url('/huge'), DOWNLOAD_FAILED);
  });

  it('a Content-Length above the cap is refused before reading', async () => {
    await expectInvalidImage(images.url('/lying-length'), DOWNLOAD_FAILED);
  });

  it('a slow-drip server is cut off at the download deadline', async () => {
    // The drip never ends and stays far below the byte cap: only the deadline can end this download.
    await expectInvalidImage(images.url('/slow-drip'), DOWNLOAD_FAILED);
  });

  it('content is judged by magic bytes, not by Content-Type', async () => {
    await expectInvalidImage(images.url('/html'), /not a supported image/);
  });

  it('a decompression bomb (PNG declaring 20000×20000) is refused fast, before the engine', async () => {
    const bomb = hostile.decompressionBomb();
    expect(bomb.length).toBeLessThan(100 * 1024);
    // Refused from the header (the message quotes its dimensions) and before the engine (expectInvalidImage).
    await expectInvalidImage(asBase64(bomb), /20000×20000 pixels exceeds the 40-megapixel limit/);
  });

  const hostileInputs: Array<[string, () => Buffer | Promise<Buffer>, RegExp]> = [
    ['random bytes', () => hostile.randomBytes(), /not a supported image/],
    ['SVG', () => hostile.svg(), /not a supported image/],
    ['HTML', () => hostile.html(), /not a supported image/],
    ['PDF', () => hostile.pdf(), /not a supported image/],
    ['a JPEG cut after its header', () => hostile.truncatedJpeg(0.01), /could not be read/],
  ];
  it.each(hostileInputs)('%s → 400 invalid_image', async (_name, make, message) => {
    await expectInvalidImage(asBase64(await make()), message);
  });

  it.each([
    ['not base64', 'this is not base64!', /must be a public http\(s\) URL or a base64-encoded image/],
    ['a data URI without base64', 'data:image/png,abc', /data URI of the form/],
    ['an empty data URI', 'data:image/png;base64,', /is empty/],
  ])('%s → 400 invalid_image', async (_name, input, message) => {
    await expectInvalidImage(input, message);
  });

  const accepted: Array<[string, () => Promise<Buffer>]> = [
    ['WebP', () => hostile.webp()],
    ['AVIF', () => hostile.avif()],
    ['animated GIF', () => hostile.animatedGif()],
    ['EXIF-rotated JPEG', () => hostile.exifRotatedJpeg()],
  ];
  it.each(accepted)('%s is accepted and forwarded as sent (the engine decodes it)', async (_name, make) => {
    const bytes = await make();
    const res = await verify(asBase64(bytes));
    expect(res.status).toBe(200);
    expect(Buffer.from(gw.engine.received[0]!.request.img1 as Buffer).equals(bytes)).toBe(true);
  });

  it('an oversized base64 image is refused by size', async () => {
    await expectInvalidImage(asBase64(Buffer.alloc(3 * 1024 * 1024, 7)), /larger than the 2 MiB limit/);
  });

  it('a JSON body over the limit → 413 in the error envelope', async () => {
    const small = await startGateway({ env: { BODY_LIMIT_BYTES: String(64 * 1024) } });
    try {
      const c = await createCustomer(small);
      const res = await request(small.app)
        .post('/v1/verify')
        .set('X-API-KEY', c.key)
        .send({ img1: 'A'.repeat(70 * 1024), img2: IMG });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({
        status: 'failed',
        result: 'payload_too_large',
        message: 'Request body is too large (limit 64 KiB).',
        hint: 'Send smaller images: resize or compress them, or send them as URLs.',
        request_id: res.headers['x-request-id'],
      });
    } finally {
      await small.close();
    }
  });
});
