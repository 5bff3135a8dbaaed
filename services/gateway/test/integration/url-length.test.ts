import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { buildOpenApiDocument } from '../../src/openapi/document';
import { LoopbackServer } from '../fakes/image-server';
import { asBase64, pngImage } from '../factories/images';
import { createCustomer } from '../helpers/app';
import { type JobsStack, startJobsStack } from '../jobs/support';

/**
 * Issue 18, item 9: an image URL is at most 2,048 characters wherever one is accepted (the three endpoints, batch
 * items, the dashboard playground). A longer one is a 400 invalid_input before anything else happens: it is not
 * downloaded, not stored, not logged. Before, a batch item's 64 KiB URL reached MySQL's TEXT column, failed the
 * INSERT, answered 500 and logged the statement with the URL in it.
 */
const MAX = 2048;
const PNG = pngImage(16, 16);
const IMG = asBase64(PNG);

describe('image URLs are at most 2,048 characters (MariaDB, Redis)', () => {
  let stack: JobsStack;
  let key: string;
  const images = new LoopbackServer();

  beforeAll(async () => {
    images.route('/face.png', (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG));
    await images.start();
    stack = await startJobsStack();
    ({ key } = await createCustomer(stack.gw));
  });
  afterAll(async () => {
    await stack?.close();
    await images.stop();
  });
  beforeEach(() => stack.gw.engine.resetCalls());

  /** An allow-listed URL of exactly `length` characters that carries a unique marker. */
  function urlOfLength(length: number) {
    const marker = `marker${randomBytes(8).toString('hex')}`;
    const base = `${images.url('/face.png')}?m=${marker}&pad=`;
    return { url: base + 'a'.repeat(length - base.length), marker };
  }

  function expectNeverSeen(marker: string) {
    expect(images.hits.filter((h) => h.includes(marker))).toEqual([]);
    expect(stack.gw.engine.totalCalls()).toBe(0);
    expect(stack.gw.logs.filter((line) => line.includes(marker))).toEqual([]);
    expect(stack.gw.logs.filter((line) => line.includes('unexpected error'))).toEqual([]);
  }

  const cases: Array<[string, string, (url: string) => object, string]> = [
    ['/v1/verify', 'img1', (url) => ({ img1: url, img2: IMG }), 'img1'],
    ['/v1/verify', 'img2', (url) => ({ img1: IMG, img2: url }), 'img2'],
    ['/v1/analyze', 'image', (url) => ({ image: url }), 'image'],
    ['/v1/lookalike', 'img2', (url) => ({ img1: IMG, img2: url }), 'img2'],
    [
      '/v1/jobs',
      'items.1.image',
      (url) => ({
        items: [
          { type: 'analyze', image: IMG },
          { type: 'analyze', image: url },
        ],
      }),
      'items.1.image',
    ],
    [
      '/v1/jobs',
      'items.0.img1',
      (url) => ({ items: [{ type: 'verify', img1: url, img2: url }] }),
      'items.0.img1',
    ],
  ];

  it.each(cases)(
    '%s %s: 2,049 characters → 400 invalid_input; not downloaded, no engine call, not logged',
    async (path, _field, body, named) => {
      const { url, marker } = urlOfLength(MAX + 1);
      const res = await request(stack.app).post(path).set('X-API-KEY', key).send(body(url));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 'failed', result: 'invalid_input' });
      expect(res.body.message).toContain(named);
      expect(res.body.message).toContain('2048');
      expect(res.text).not.toContain(marker);
      expectNeverSeen(marker);
    },
  );

  it('a URL of exactly 2,048 characters is downloaded as usual', async () => {
    const { url, marker } = urlOfLength(MAX);
    const res = await request(stack.app).post('/v1/analyze').set('X-API-KEY', key).send({ image: url });
    expect(res.status).toBe(200);
    expect(images.hits.filter((h) => h.includes(marker))).toHaveLength(1);
  });

  it('a batch item with a 64 KiB+ URL never reaches the INSERT and is never logged', async () => {
    const { url, marker } = urlOfLength(70 * 1024);
    const res = await request(stack.app)
      .post('/v1/jobs')
      .set('X-API-KEY', key)
      .send({ items: [{ type: 'analyze', image: url }] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ result: 'invalid_input' });
    expect(await stack.gw.db('batch_jobs').count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await stack.gw.db('batch_job_items').count({ n: '*' })).toEqual([{ n: 0 }]);
    expectNeverSeen(marker);
    // Not even a piece of it: a log line quoting the SQL would hold long runs of the padding.
    expect(stack.gw.logs.filter((line) => line.includes('a'.repeat(256)))).toEqual([]);
  });

  it('the dashboard playground applies the same limit', async () => {
    const host = '127.0.0.1:8080'; // a default public origin (PORT 8080)
    const signUp = await request(stack.app)
      .post('/dashboard/api/signup')
      .set('Host', host)
      .set('Origin', `http://${host}`)
      .send({ email: `url-${Date.now()}@example.test`, name: 'Acme', password: 'correct horse battery' });
    expect(signUp.status).toBe(201);
    const cookie = ([] as string[]).concat(signUp.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
    const { url, marker } = urlOfLength(MAX + 1);
    const res = await request(stack.app)
      .post('/dashboard/api/playground/analyze')
      .set('Host', host)
      .set('Origin', `http://${host}`)
      .set('Cookie', cookie)
      .set('X-CSRF-Token', signUp.body.csrf_token as string)
      .send({ image: url });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ result: 'invalid_input' });
    expectNeverSeen(marker);
  });

  it('the OpenAPI document shows the limit on every image input', () => {
    const schemas = (buildOpenApiDocument() as { components: { schemas: Record<string, unknown> } })
      .components.schemas;
    const image = schemas.ImageInput as { anyOf: Array<{ title?: string; pattern?: string }> };
    const urlBranch = image.anyOf.find((b) => b.title === 'Image URL');
    // The published pattern says what the gateway checks: at most MAX characters once outer spaces are trimmed.
    const pattern = new RegExp(urlBranch?.pattern ?? '^$');
    const url = (length: number) => `https://${'a'.repeat(length - 'https://'.length)}`;
    expect(pattern.test(url(MAX))).toBe(true);
    expect(pattern.test(`  ${url(MAX)} `)).toBe(true);
    expect(pattern.test(url(MAX + 1))).toBe(false);
  });
});
