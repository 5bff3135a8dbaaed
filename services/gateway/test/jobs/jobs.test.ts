import { createServer, type IncomingMessage, type Server } from 'node:http';
import request from 'supertest';
import { startJobWorkers, type JobWorkers } from '../../src/features/jobs/job-worker';
import { verifyWebhookSignature } from '../../src/features/jobs/webhook';
import { createGatewayMetrics } from '../../src/platform/metrics/gateway-metrics';
import { LoopbackServer } from '../fakes/image-server';
import { asBase64, asDataUri } from '../factories/images';
import { createCustomer } from '../helpers/app';
import {
  FACE,
  jobsServiceOf,
  jobWhenDone,
  type JobsStack,
  startJobsStack,
  STRANGER,
  uniqueKey,
  waitFor,
} from './support';

/** A webhook receiver on loopback that keeps raw bodies and headers, failing the first `failFirst` deliveries. */
async function receiver(failFirst: number) {
  const received: Array<{ body: string; headers: IncomingMessage['headers'] }> = [];
  let calls = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls++;
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(calls <= failFirst ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://localhost:${port}/hooks/deepface`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('batch jobs (MariaDB, Redis, BullMQ worker in process)', () => {
  let stack: JobsStack;
  let workers: JobWorkers;
  const images = new LoopbackServer();
  const workerMetrics = createGatewayMetrics();

  beforeAll(async () => {
    stack = await startJobsStack();
    images
      .route('/face.png', (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(FACE))
      .route('/stranger.png', (_req, res) =>
        res.writeHead(200, { 'content-type': 'image/png' }).end(STRANGER),
      );
    await images.start();
    workers = startJobWorkers({
      config: stack.gw.config,
      logger: stack.gw.logger,
      jobs: jobsServiceOf(stack, workerMetrics),
      metrics: workerMetrics,
    });
  });
  afterAll(async () => {
    await workers.close();
    await images.stop();
    await stack.close();
  });

  it('a batch of mixed items finishes with the per-item results and charges of the synchronous endpoints', async () => {
    const { key, keyId, account } = await createCustomer(stack.gw, { balanceMicros: 10_000_000 });
    const hook = await receiver(1);
    const face = images.url('/face.png');
    const items = [
      { type: 'verify', img1: face, img2: face }, // verified: charged 0.25
      { type: 'verify', img1: face, img2: images.url('/stranger.png') }, // not verified: 200, free
      { type: 'lookalike', img1: face, img2: face }, // same person: charged 0.20
      { type: 'analyze', image: face, actions: ['age'] }, // one face: charged 0.30
      { type: 'analyze', image: images.url('/missing.png') }, // download 404: 400, free
      { type: 'verify', img1: 'http://10.0.0.1/internal.png', img2: face }, // SSRF refused: 400, free
      { type: 'verify', img1: asDataUri(FACE), img2: asBase64(FACE) }, // inline, run at submission: charged 0.25
      { type: 'lookalike', img1: 'not base64 !!', img2: asBase64(FACE) }, // inline, invalid: 400, free
    ];
    const submitted = await request(stack.app)
      .post('/v1/jobs')
      .set('X-API-KEY', key)
      .send({ items, webhook_url: hook.url });
    expect(submitted.status).toBe(202);
    expect(submitted.headers.location).toBe(`/v1/jobs/${submitted.body.id}`);
    expect(submitted.body).toMatchObject({ object: 'job', progress: { total: 8 } });
    const secret = submitted.body.webhook.secret as string;
    expect(secret).toMatch(/^whsec_/);

    const job = await jobWhenDone(stack.app, key, submitted.body.id as string);
    const byIndex = job.items.map((i) => [i.status, i.http_status, i.charged, i.result.result]);
    expect(byIndex).toEqual([
      ['succeeded', 200, 0.25, 'verified'],
      ['succeeded', 200, 0, 'not_verified'],
      ['succeeded', 200, 0.2, 'comparison_complete'],
      ['succeeded', 200, 0.3, 'analysis_complete'],
      ['failed', 400, 0, 'invalid_image'],
      ['failed', 400, 0, 'invalid_image'],
      ['succeeded', 200, 0.25, 'verified'],
      ['failed', 400, 0, 'invalid_image'],
    ]);
    // Same bodies as the synchronous endpoints, billing block included.
    expect(job.items[0]!.result).toMatchObject({
      status: 'success',
      billing: { charged: 0.25, currency: 'USD' },
    });
    expect(job.items[3]!.result).toMatchObject({
      faces_detected: 1,
      results: [{ age: [expect.objectContaining({ age: 25 })] }],
    });
    expect(job.progress).toEqual({ total: 8, completed: 8, succeeded: 5, failed: 3 });
    expect(job.billing.charged).toBe(1);

    // Money: exactly the charged items, once each, and the ledger agrees with the balance.
    const { services, db } = stack.gw;
    expect((await services.accounts.getAccount(account.id)).balance_micros).toBe(9_000_000);
    const captures = await db('ledger_entries')
      .where({ account_id: account.id, type: 'capture' })
      .select('request_id', 'key_id');
    expect(captures.map((c: { request_id: string }) => c.request_id).sort()).toEqual(
      [0, 2, 3, 6].map((i) => `${job.id}.${i}`).sort(),
    );
    // Each item's charge names the key that submitted the job (inline and queued items alike).
    expect(captures.map((c: { key_id: string }) => c.key_id)).toEqual([keyId, keyId, keyId, keyId]);
    expect(await services.repos.ledger.reconcile(db, account.id)).toEqual([]);
    expect(await services.repos.reservations.countHeld(db, account.id)).toBe(0);
    // No image and no URL is kept once an item is done.
    const stored = await db('batch_job_items').where({ job_id: job.id }).select('input', 'result');
    expect(stored.every((r: { input: unknown }) => r.input === null)).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(asBase64(FACE).slice(0, 40));
    // Results are stored, so a verify item's document answer keeps no fact about the holder.
    const verifyResult = job.items[0]!.result as { engine_response: { details: { document: unknown } } };
    expect(verifyResult.engine_response.details.document).toMatchObject({
      mrz: 'read',
      document_type: 'passport',
      issuing_country: null,
      nationality: null,
      age: null,
    });
    expect(JSON.stringify(stored)).not.toMatch(/"age":\d|UTO/);

    // The webhook: first delivery refused (500), retried with backoff, signature verifiable by a client.
    const delivered = await waitFor(
      async () => (hook.received.length >= 2 ? hook.received : undefined),
      'two webhook deliveries',
    );
    for (const d of delivered) {
      const header = d.headers['x-deepface-signature'] as string;
      expect(verifyWebhookSignature(secret, d.body, header)).toBe(true);
      expect(verifyWebhookSignature(secret, d.body.replace('completed', 'c0mpleted'), header)).toBe(false);
      expect(verifyWebhookSignature('whsec_wrong', d.body, header)).toBe(false);
    }
    const payload = JSON.parse(delivered[1]!.body) as { type: string; data: { id: string; status: string } };
    expect(payload).toMatchObject({ type: 'job.completed', data: { id: job.id, status: 'completed' } });
    const after = await waitFor(async () => {
      const res = await request(stack.app).get(`/v1/jobs/${job.id}`).set('X-API-KEY', key);
      return res.body.webhook.status === 'delivered'
        ? (res.body as { webhook: { attempts: number } })
        : undefined;
    }, 'webhook delivered');
    expect(after.webhook.attempts).toBe(2);
    await hook.close();

    // Worker metrics moved with the work.
    const text = await workerMetrics.registry.metrics();
    expect(text).toMatch(/deepface_job_items_total\{type="verify",outcome="succeeded"\} [1-9]/);
    expect(text).toMatch(/deepface_billing_charged_micros_total\{endpoint="analyze",source="job"\} 300000/);
  });

  it('another account gets 404 for a job; unknown ids are 404; bad bodies are 400', async () => {
    const owner = await createCustomer(stack.gw);
    const other = await createCustomer(stack.gw);
    const res = await request(stack.app)
      .post('/v1/jobs')
      .set('X-API-KEY', owner.key)
      .send({ items: [{ type: 'analyze', image: asBase64(FACE) }] });
    expect(res.status).toBe(202);
    expect((await request(stack.app).get(`/v1/jobs/${res.body.id}`).set('X-API-KEY', other.key)).status).toBe(
      404,
    );
    expect((await request(stack.app).get('/v1/jobs/job_nope').set('X-API-KEY', owner.key)).status).toBe(404);
    expect((await request(stack.app).get('/v1/jobs/x;drop').set('X-API-KEY', owner.key)).status).toBe(404);
    const bad = [
      { items: [] },
      { items: [{ type: 'detect', image: 'x' }] },
      { items: [{ type: 'verify', img1: 'x' }] },
      // A batch result is stored: document fields are not offered; the options are checked as on /v1/verify.
      { items: [{ type: 'verify', img1: asBase64(FACE), img2: asBase64(FACE), document_fields: true }] },
      { items: [{ type: 'verify', img1: asBase64(FACE), img2: asBase64(FACE), liveness: 'maybe' }] },
      { items: [{ type: 'verify', img1: asBase64(FACE), img2: asBase64(FACE), as_of: '2025-02-29' }] },
      { items: [{ type: 'lookalike', img1: asBase64(FACE), img2: asBase64(FACE), liveness: 'off' }] },
      { items: [{ type: 'analyze', image: asBase64(FACE) }], webhook_url: 'http://169.254.169.254/latest' },
      { items: [{ type: 'analyze', image: asBase64(FACE) }], webhook_url: 'file:///etc/passwd' },
    ];
    for (const body of bad) {
      const r = await request(stack.app).post('/v1/jobs').set('X-API-KEY', owner.key).send(body);
      expect([r.status, r.body.result]).toEqual([400, 'invalid_input']);
    }
  });

  it('verify items take liveness and as_of, queued and inline alike, and forward them to the engine', async () => {
    const { key } = await createCustomer(stack.gw, { balanceMicros: 10_000_000 });
    const face = images.url('/face.png');
    const items = [
      { type: 'verify', img1: face, img2: face, liveness: 'require', as_of: '2024-02-29' }, // queued
      { type: 'verify', img1: asBase64(FACE), img2: asBase64(FACE), liveness: 'off' }, // inline
      { type: 'verify', img1: face, img2: face }, // defaults
    ];
    stack.gw.engine.received.length = 0;
    const submitted = await request(stack.app).post('/v1/jobs').set('X-API-KEY', key).send({ items });
    expect(submitted.status).toBe(202);
    const job = await jobWhenDone(stack.app, key, submitted.body.id as string);
    expect(job.items.map((i) => i.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const forwarded = stack.gw.engine.received
      .filter((r) => r.method === 'Verify')
      .map((r) => [r.request.liveness, r.request.as_of])
      .sort();
    expect(forwarded).toEqual(
      [
        ['LIVENESS_REQUIRE', '2024-02-29'],
        ['LIVENESS_OFF', ''],
        ['LIVENESS_REPORT', ''],
      ].sort(),
    );
  });

  it('the same Idempotency-Key gives the same job, run and charged once', async () => {
    const { key, account } = await createCustomer(stack.gw, { balanceMicros: 1_000_000 });
    const idem = uniqueKey();
    const body = { items: [{ type: 'verify', img1: asBase64(FACE), img2: asBase64(FACE) }] };
    const first = await request(stack.app)
      .post('/v1/jobs')
      .set('X-API-KEY', key)
      .set('Idempotency-Key', idem)
      .send(body);
    const again = await request(stack.app)
      .post('/v1/jobs')
      .set('X-API-KEY', key)
      .set('Idempotency-Key', idem)
      .send(body);
    expect(first.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    await jobWhenDone(stack.app, key, first.body.id as string);
    expect((await stack.gw.services.accounts.getAccount(account.id)).balance_micros).toBe(750_000);
  });
});
