import * as grpc from '@grpc/grpc-js';
import request from 'supertest';
import type { Express } from 'express';
import { JobsRepository } from '../../src/features/jobs/jobs.repository';
import { AccountsRepository } from '../../src/features/accounts/accounts.repository';
import { LedgerRepository } from '../../src/features/billing/ledger.repository';
import { SAMPLE_FACE, SAMPLE_ID_CARD, SAMPLE_SELFIE } from '../../src/openapi/samples';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';
import { ContractValidator } from '../helpers/openapi';
import { type JobsStack, startJobsStack } from '../jobs/support';

/**
 * The OpenAPI document is kept true by real responses: every documented (operation, status) pair is produced by
 * the real app (fake engine; SQLite, and MariaDB + Redis for batch jobs) and validated — status, headers and
 * body — against the document.
 */
const BODY_LIMIT = 1024 * 1024;

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
const RATE_LIMIT = 25;

const bodies = {
  verify: { img1: SAMPLE_ID_CARD, img2: SAMPLE_SELFIE },
  lookalike: { img1: SAMPLE_SELFIE, img2: SAMPLE_ID_CARD },
  analyze: { image: SAMPLE_FACE, actions: ['age', 'gender', 'race', 'emotion'] },
} as const;
type Op = keyof typeof bodies;
const METHOD: Record<Op, 'Verify' | 'Compare' | 'Analyze'> = {
  verify: 'Verify',
  lookalike: 'Compare',
  analyze: 'Analyze',
};

describe('OpenAPI contract: real responses match the document', () => {
  let gw: TestGateway;
  const contract = new ContractValidator();
  const problems: string[] = [];

  beforeAll(async () => {
    gw = await startGateway({
      db: 'sqlite',
      env: {
        BODY_LIMIT_BYTES: String(BODY_LIMIT),
        RATE_LIMIT_POINTS: String(RATE_LIMIT),
        IDEMPOTENCY_WAIT_MS: '200',
        ENGINE_BREAKER_VOLUME: '1000',
        ENGINE_MAX_ATTEMPTS: '1',
        ENGINE_TIMEOUT_MS: '1000',
      },
    });
  });
  afterAll(async () => {
    await gw?.close();
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  const call = (
    method: 'get' | 'post',
    url: string,
    opts: { key?: string; body?: unknown; idem?: string } = {},
  ): Promise<request.Response> => contract.call(gw.app, problems, method, url, opts);
  const customer = (balanceMicros = 10_000_000) => createCustomer(gw, { balanceMicros });

  describe.each(Object.keys(bodies) as Op[])('POST /v1/%s', (op) => {
    const url = `/v1/${op}`;
    const body = bodies[op];
    let saved: (typeof gw.engine.behaviour)[keyof typeof gw.engine.behaviour];
    beforeEach(() => {
      saved = gw.engine.behaviour[METHOD[op]];
    });
    afterEach(() => {
      (gw.engine.behaviour as Record<string, unknown>)[METHOD[op]] = saved;
    });
    const setEngine = (behaviour: unknown) => {
      (gw.engine.behaviour as Record<string, unknown>)[METHOD[op]] = behaviour;
    };

    it('200 (with and without an idempotent replay)', async () => {
      const { key } = await customer();
      expect((await call('post', url, { key, body, idem: `ok-${op}` })).status).toBe(200);
      const replay = await call('post', url, { key, body, idem: `ok-${op}` });
      expect(replay.status).toBe(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
    });

    it('400 invalid_input and invalid_image', async () => {
      const { key } = await customer();
      expect((await call('post', url, { key, body: {} })).status).toBe(400);
      const broken = Object.fromEntries(
        Object.keys(body).map((k) => [k, k === 'actions' ? ['age'] : 'bm90IGFuIGltYWdl']),
      );
      expect((await call('post', url, { key, body: broken })).body.result).toBe('invalid_image');
      if (op === 'verify') {
        setEngine({
          kind: 'error',
          code: grpc.status.INVALID_ARGUMENT,
          detail: { reason: 'ID_REQUIRED', message: '' },
        });
        expect((await call('post', url, { key, body })).body.result).toBe('id_required');
      }
    });

    it('401 without a key', async () => {
      expect((await call('post', url, { body })).status).toBe(401);
    });

    it('402 when the balance is short', async () => {
      const { key } = await customer(0);
      expect((await call('post', url, { key, body })).status).toBe(402);
    });

    it('403 when the account is suspended', async () => {
      const { key, account } = await customer();
      await gw.services.accounts.setStatus(account.id, 'suspended');
      expect((await call('post', url, { key, body })).status).toBe(403);
    });

    it('409 while the same Idempotency-Key is in flight, 422 when reused with another body', async () => {
      const { key } = await customer();
      const response = saved.kind === 'ok' ? saved.response : undefined;
      setEngine({ kind: 'ok', response, delayMs: 600 });
      const calls = gw.engine.calls[METHOD[op]];
      const first = call('post', url, { key, body, idem: `busy-${op}` });
      // Once the engine has the first request, its key is claimed: the duplicate must wait, then get 409.
      await until(() => gw.engine.calls[METHOD[op]] > calls);
      expect((await call('post', url, { key, body, idem: `busy-${op}` })).status).toBe(409);
      expect((await first).status).toBe(200);
      const other = { ...body, [Object.keys(body)[0]!]: 'https://example.com/another.jpg' };
      expect((await call('post', url, { key, body: other, idem: `busy-${op}` })).status).toBe(422);
    });

    it('413 when the body is over the limit', async () => {
      const { key } = await customer();
      const huge = { ...body, [Object.keys(body)[0]!]: 'A'.repeat(BODY_LIMIT + 10) };
      expect((await call('post', url, { key, body: huge })).status).toBe(413);
    });

    it('429 past the rate limit', async () => {
      const { key } = await customer();
      for (let i = 0; i < RATE_LIMIT; i++) await request(gw.app).get('/v1/account').set('X-API-KEY', key);
      expect((await call('post', url, { key, body })).status).toBe(429);
    });

    it('500 on an unexpected error', async () => {
      const { key } = await customer();
      jest.spyOn(AccountsRepository.prototype, 'findById').mockRejectedValueOnce(new TypeError('boom'));
      expect((await call('post', url, { key, body })).status).toBe(500);
    });

    it('503 when the engine is overloaded, 504 when it stalls', async () => {
      const { key } = await customer();
      setEngine({
        kind: 'error',
        code: grpc.status.RESOURCE_EXHAUSTED,
        detail: { reason: 'OVERLOADED', message: '', retryable: true, retry_after_ms: 1500 },
      });
      const busy = await call('post', url, { key, body });
      expect(busy.status).toBe(503);
      expect(busy.headers['retry-after']).toBe('2');
      setEngine({ kind: 'stall' });
      expect((await call('post', url, { key, body })).status).toBe(504);
    });
  });

  describe('GET /v1/account and /v1/usage', () => {
    it('200, 400, 401, 403', async () => {
      const { key, account } = await customer();
      await call('post', '/v1/verify', { key, body: bodies.verify });
      expect((await call('get', '/v1/account', { key })).status).toBe(200);
      expect((await call('get', '/v1/usage?limit=2', { key })).status).toBe(200);
      expect((await call('get', '/v1/usage?limit=0', { key })).status).toBe(400);
      expect((await call('get', '/v1/account')).status).toBe(401);
      expect((await call('get', '/v1/usage')).status).toBe(401);
      await gw.services.accounts.setStatus(account.id, 'suspended');
      expect((await call('get', '/v1/account', { key })).status).toBe(403);
      expect((await call('get', '/v1/usage', { key })).status).toBe(403);
    });

    it('429, 500, 503', async () => {
      for (const url of ['/v1/account', '/v1/usage']) {
        const { key } = await customer();
        for (let i = 0; i < RATE_LIMIT; i++) await request(gw.app).get(url).set('X-API-KEY', key);
        expect((await call('get', url, { key })).status).toBe(429);
      }
      const { key } = await customer();
      jest.spyOn(AccountsRepository.prototype, 'findById').mockRejectedValueOnce(new TypeError('boom'));
      expect((await call('get', '/v1/account', { key })).status).toBe(500);
      jest.spyOn(LedgerRepository.prototype, 'page').mockRejectedValueOnce(new TypeError('boom'));
      expect((await call('get', '/v1/usage', { key })).status).toBe(500);
      const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      jest.spyOn(AccountsRepository.prototype, 'findById').mockRejectedValueOnce(down);
      expect((await call('get', '/v1/account', { key })).status).toBe(503);
      jest.spyOn(LedgerRepository.prototype, 'page').mockRejectedValueOnce(down);
      expect((await call('get', '/v1/usage', { key })).status).toBe(503);
    });
  });

  it('GET /healthz and /readyz (ready and draining)', async () => {
    expect((await call('get', '/healthz')).status).toBe(200);
    expect((await call('get', '/readyz')).status).toBe(200);
    gw.deps.lifecycle!.draining = true;
    try {
      expect((await call('get', '/readyz')).status).toBe(503);
    } finally {
      gw.deps.lifecycle!.draining = false;
    }
  });

  describe('POST /v1/jobs and GET /v1/jobs/{id} (MariaDB, Redis, BullMQ producer)', () => {
    let stack: JobsStack;
    const items = [
      { type: 'verify', img1: SAMPLE_ID_CARD, img2: SAMPLE_SELFIE },
      { type: 'analyze', image: SAMPLE_FACE, actions: ['age'] },
    ];
    beforeAll(async () => {
      stack = await startJobsStack({
        BODY_LIMIT_BYTES: String(BODY_LIMIT),
        RATE_LIMIT_POINTS: String(RATE_LIMIT),
        IDEMPOTENCY_WAIT_MS: '200',
      });
    });
    afterAll(async () => {
      await stack?.close();
    });

    const jobCall = (
      method: 'get' | 'post',
      url: string,
      opts: { key?: string; body?: unknown; idem?: string; app?: Express } = {},
    ): Promise<request.Response> => contract.call(opts.app ?? stack.app, problems, method, url, opts);
    const jobsCustomer = () => createCustomer(stack.gw, { balanceMicros: 10_000_000 });

    it('202 (and its replay), 200 with every item, 404', async () => {
      const { key } = await jobsCustomer();
      const submitted = await jobCall('post', '/v1/jobs', { key, body: { items }, idem: 'job-ok' });
      expect(submitted.status).toBe(202);
      const replay = await jobCall('post', '/v1/jobs', { key, body: { items }, idem: 'job-ok' });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      const job = await jobCall('get', `/v1/jobs/${submitted.body.id as string}`, { key });
      expect(job.status).toBe(200);
      expect(job.body.items).toHaveLength(2);
      expect((await jobCall('get', '/v1/jobs/job_doesnotexist', { key })).status).toBe(404);
    });

    it('400, 401, 402, 403, 413, 429', async () => {
      const { key, account } = await jobsCustomer();
      expect((await jobCall('post', '/v1/jobs', { key, body: { items: [] } })).status).toBe(400);
      const broke = await createCustomer(stack.gw, { balanceMicros: 0 });
      expect((await jobCall('post', '/v1/jobs', { key: broke.key, body: { items } })).status).toBe(402);
      expect((await jobCall('post', '/v1/jobs', { body: { items } })).status).toBe(401);
      expect((await jobCall('get', '/v1/jobs/job_x')).status).toBe(401);
      const huge = { items: [{ type: 'analyze', image: 'A'.repeat(BODY_LIMIT + 10) }] };
      expect((await jobCall('post', '/v1/jobs', { key, body: huge })).status).toBe(413);
      await stack.gw.services.accounts.setStatus(account.id, 'suspended');
      expect((await jobCall('post', '/v1/jobs', { key, body: { items } })).status).toBe(403);
      expect((await jobCall('get', '/v1/jobs/job_x', { key })).status).toBe(403);
      const busy = await jobsCustomer();
      for (let i = 0; i < RATE_LIMIT; i++)
        await request(stack.app).get('/v1/account').set('X-API-KEY', busy.key);
      expect((await jobCall('post', '/v1/jobs', { key: busy.key, body: { items } })).status).toBe(429);
      expect((await jobCall('get', '/v1/jobs/job_x', { key: busy.key })).status).toBe(429);
    });

    it('409 while the same key runs, 422 when reused with another body', async () => {
      const { key } = await jobsCustomer();
      const verify = stack.gw.engine.behaviour.Verify;
      stack.gw.engine.behaviour.Verify = { ...(verify as { kind: 'ok'; response: never }), delayMs: 600 };
      try {
        const calls = stack.gw.engine.calls.Verify;
        const first = jobCall('post', '/v1/jobs', { key, body: { items }, idem: 'job-busy' });
        await until(() => stack.gw.engine.calls.Verify > calls);
        expect((await jobCall('post', '/v1/jobs', { key, body: { items }, idem: 'job-busy' })).status).toBe(
          409,
        );
        expect((await first).status).toBe(202);
      } finally {
        stack.gw.engine.behaviour.Verify = verify;
      }
      const other = { items: [{ type: 'analyze', image: 'https://example.com/other.jpg' }] };
      expect((await jobCall('post', '/v1/jobs', { key, body: other, idem: 'job-busy' })).status).toBe(422);
    });

    it('500 on an unexpected error, 503 without the database, 501 on a server without Redis', async () => {
      const { key } = await jobsCustomer();
      jest.spyOn(JobsRepository.prototype, 'findJob').mockRejectedValueOnce(new TypeError('boom'));
      expect((await jobCall('post', '/v1/jobs', { key, body: { items } })).status).toBe(500);
      jest.spyOn(JobsRepository.prototype, 'findJob').mockRejectedValueOnce(new TypeError('boom'));
      expect((await jobCall('get', '/v1/jobs/job_abc', { key })).status).toBe(500);
      const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      jest.spyOn(JobsRepository.prototype, 'findJob').mockRejectedValueOnce(down);
      expect((await jobCall('get', '/v1/jobs/job_abc', { key })).status).toBe(503);
      jest.spyOn(JobsRepository.prototype, 'findJob').mockRejectedValueOnce(down);
      expect((await jobCall('post', '/v1/jobs', { key, body: { items } })).status).toBe(503);
      // A gateway without Redis has no queue: batch jobs are not enabled there (jobs-disabled.test.ts).
      const noQueue = await jobCall('post', '/v1/jobs', { key, body: { items }, app: stack.gw.app });
      expect(noQueue.status).toBe(501);
    });
  });

  it('every response matched the document, and every documented response was produced', () => {
    expect(problems).toEqual([]);
    const missing = contract.documentedPairs().filter((pair) => !contract.seen.has(pair));
    expect(missing).toEqual([]);
  });

  it('the validator catches a response that drifts from the document', () => {
    const drift = contract.check('post', '/v1/lookalike', {
      status: 200,
      headers: { 'x-request-id': 'req_12345678' },
      body: { status: 'success', similarity: 'high' },
    });
    expect(drift.join('\n')).toMatch(/X-Billing-Charged is missing/);
    expect(drift.join('\n')).toMatch(/body/);
    expect(contract.check('get', '/v1/account', { status: 418, headers: {}, body: {} })).toEqual([
      'getAccount 418: status 418 is not documented',
    ]);
  });
});
