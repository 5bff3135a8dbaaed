import type { LookupAddress } from 'node:dns';
import request from 'supertest';
import type { LookupFn } from '../../src/platform/fetch/image-fetcher';
import { startJobWorkers, type JobWorkers } from '../../src/features/jobs/job-worker';
import { LoopbackServer } from '../fakes/image-server';
import { asBase64 } from '../factories/images';
import { createCustomer } from '../helpers/app';
import { FACE, jobsServiceOf, jobWhenDone, type JobsStack, startJobsStack } from './support';

/**
 * Batch jobs must not amplify what an account may do (issue 18, item 5): a $0 account's URL job used to make
 * 205 downloads (each failing item retried with the job, up to 10 times). Now the balance is checked at
 * submission and before each download, a failed download is retried at most JOBS_DOWNLOAD_RETRIES times and only
 * for network accidents, and every URL item run takes a point of the account's rate limit.
 */
const dns: LookupFn = (hostname, options, callback) => {
  if (hostname !== 'localhost') {
    const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
    error.code = 'ENOTFOUND';
    return callback(error, []);
  }
  const list: LookupAddress[] = [{ address: '127.0.0.1', family: 4 }];
  if (options.all) return callback(null, list);
  return callback(null, '127.0.0.1', 4);
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('batch jobs do not amplify requests (MariaDB, Redis, BullMQ worker in process)', () => {
  let stack: JobsStack;
  let workers: JobWorkers;
  const images = new LoopbackServer();
  const hits = (path: string) => images.hits.filter((h) => h.split('?')[0] === path).length;

  async function start(env: Record<string, string>) {
    stack = await startJobsStack(
      // Today's defaults for retries: 10 attempts; a short backoff so that the test sees them.
      { JOBS_ATTEMPTS: '10', JOBS_BACKOFF_MS: '100', ...env },
      { lookup: dns },
    );
    workers = startJobWorkers({
      config: stack.gw.config,
      logger: stack.gw.logger,
      jobs: jobsServiceOf(stack),
    });
  }
  async function stop() {
    await workers.close();
    await stack.close();
  }

  beforeAll(async () => {
    images
      .route('/face.png', (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(FACE))
      .route('/flaky.png', (_req, res) => res.writeHead(503).end())
      .route('/gone.png', (_req, res) => res.writeHead(404).end())
      .route('/reset.png', (req) => req.socket.destroy());
    await images.start();
  });
  afterAll(() => images.stop());

  describe('with default limits', () => {
    beforeAll(() => start({}));
    afterAll(() => stop());

    it("a $0 account's 25-URL job: 402 at submission, at most 25 downloads (0)", async () => {
      const { key } = await createCustomer(stack.gw, { balanceMicros: 0 });
      const before = hits('/flaky.png');
      const items = Array.from({ length: 25 }, (_, i) => ({
        type: 'analyze',
        image: images.url(`/flaky.png?i=${i}`),
      }));
      const res = await request(stack.app).post('/v1/jobs').set('X-API-KEY', key).send({ items });
      // Give a worker every chance to run whatever was accepted.
      for (let t = 0; t < 30 && hits('/flaky.png') - before <= 25; t++) await sleep(100);
      expect(hits('/flaky.png') - before).toBeLessThanOrEqual(25);
      expect(res.status).toBe(402);
      expect(res.body).toMatchObject({ error: 'Payment Required', current_balance: 0, required_amount: 0.3 });
      expect(hits('/flaky.png') - before).toBe(0);
    });

    it('a failed download is retried at most once, and only for a network accident or a 5xx', async () => {
      const { key } = await createCustomer(stack.gw, { balanceMicros: 100_000_000 });
      const before = {
        flaky: hits('/flaky.png'),
        reset: hits('/reset.png'),
        gone: hits('/gone.png'),
      };
      const urls = [
        ...Array.from({ length: 6 }, (_, i) => images.url(`/flaky.png?i=${i}`)), // 503: retried once
        ...Array.from({ length: 3 }, (_, i) => images.url(`/reset.png?i=${i}`)), // connection reset: once
        ...Array.from({ length: 4 }, (_, i) => images.url(`/gone.png?i=${i}`)), // 404: never
        'http://nx.test/a.png', // unknown name: never
        'http://10.0.0.1/a.png', // refused by policy: never (and never fetched)
      ];
      const res = await request(stack.app)
        .post('/v1/jobs')
        .set('X-API-KEY', key)
        .send({ items: urls.map((image) => ({ type: 'analyze', image })) });
      expect(res.status).toBe(202);
      const job = await jobWhenDone(stack.app, key, res.body.id as string);
      expect(job.progress).toMatchObject({ total: urls.length, failed: urls.length });
      expect(new Set(job.items.map((i) => i.result.message)).size).toBe(1);
      expect(job.billing.charged).toBe(0);
      expect({
        flaky: hits('/flaky.png') - before.flaky,
        reset: hits('/reset.png') - before.reset,
        gone: hits('/gone.png') - before.gone,
      }).toEqual({ flaky: 12, reset: 6, gone: 4 });
    });

    it('when the balance runs out mid-job, the remaining items get 402 without downloading', async () => {
      // Funds for two analyses; item concurrency 4 may have a few checks pass before the holds land.
      const { key } = await createCustomer(stack.gw, { balanceMicros: 600_000 });
      const before = hits('/face.png');
      const items = Array.from({ length: 12 }, (_, i) => ({
        type: 'analyze',
        image: images.url(`/face.png?i=${i}`),
      }));
      const res = await request(stack.app).post('/v1/jobs').set('X-API-KEY', key).send({ items });
      expect(res.status).toBe(202);
      const job = await jobWhenDone(stack.app, key, res.body.id as string);
      expect(job.billing.charged).toBe(0.6);
      expect(job.items.filter((i) => i.http_status === 402)).toHaveLength(10);
      expect(hits('/face.png') - before).toBeLessThanOrEqual(2 + stack.gw.config.jobs.itemConcurrency);
    });
  });

  describe('with a small account rate limit', () => {
    beforeAll(() => start({ ACCOUNT_RATE_LIMIT_POINTS: '6', RATE_LIMIT_WINDOW_S: '4' }));
    afterAll(() => stop());

    it("URL items take points of the account's rate limit: the job waits for the window, the account's calls too", async () => {
      const { key } = await createCustomer(stack.gw, { balanceMicros: 100_000_000 });
      const before = hits('/face.png');
      const items = Array.from({ length: 10 }, (_, i) => ({
        type: 'analyze',
        image: images.url(`/face.png?i=${i}`),
      }));
      const res = await request(stack.app).post('/v1/jobs').set('X-API-KEY', key).send({ items });
      expect(res.status).toBe(202); // 1 point; 5 left for items
      for (let t = 0; t < 50 && hits('/face.png') - before < 5; t++) await sleep(50);
      await sleep(800);
      expect(hits('/face.png') - before).toBe(5);
      const meanwhile = await request(stack.app).get('/v1/account').set('X-API-KEY', key);
      expect(meanwhile.status).toBe(429);
      expect(meanwhile.body.message).toMatch(/for this account/);
      const progress = await request(stack.app).get(`/v1/jobs/${res.body.id}`).set('X-API-KEY', key);
      expect(progress.body.status).not.toBe('completed');

      const job = await jobWhenDone(stack.app, key, res.body.id as string);
      expect(job.progress).toMatchObject({ total: 10, succeeded: 10 });
      expect(hits('/face.png') - before).toBe(10);
    });

    it('inline items that download count too: without a point left they fail with 429 instead of fetching', async () => {
      await sleep(4_100); // a fresh window
      const { key } = await createCustomer(stack.gw, { balanceMicros: 100_000_000 });
      const before = hits('/face.png');
      // Each item has a URL beside its inline image, so it runs during the submission.
      const items = Array.from({ length: 10 }, (_, i) => ({
        type: 'lookalike',
        img1: images.url(`/face.png?inline=${i}`),
        img2: asBase64(FACE),
      }));
      const res = await request(stack.app).post('/v1/jobs').set('X-API-KEY', key).send({ items });
      expect(res.status).toBe(202); // 1 point; 5 left for items
      const job = await jobWhenDone(stack.app, key, res.body.id as string);
      expect(job.items.filter((i) => i.http_status === 200)).toHaveLength(5);
      const limited = job.items.filter((i) => i.http_status === 429);
      expect(limited).toHaveLength(5);
      expect(limited[0]!.result).toMatchObject({ result: 'rate_limited' });
      expect(hits('/face.png') - before).toBe(5);
    });
  });
});
