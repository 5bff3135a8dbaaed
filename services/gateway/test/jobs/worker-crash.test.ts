import request from 'supertest';
import { BillingService } from '../../src/features/billing/billing.service';
import { VERIFIED } from '@deepface/fake-engine';
import { LoopbackServer } from '../fakes/image-server';
import { createCustomer } from '../helpers/app';
import { childEnv, startChild } from './processes';
import { FACE, jobWhenDone, type JobsStack, startJobsStack, waitFor } from './support';

const ITEMS = 24;
const PRICE = 250_000;

/**
 * Real worker processes (dist/worker.js) on the test's MariaDB, Redis and fake engine. One is SIGKILLed in the
 * middle of a batch (BullMQ redelivers the job to the next worker once its lock expires); one gets SIGTERM and
 * must finish its in-flight items and exit 0. Either way every item ends charged exactly once.
 */
describe('batch jobs across worker crashes and shutdowns', () => {
  let stack: JobsStack;
  const images = new LoopbackServer();

  beforeAll(async () => {
    stack = await startJobsStack();
    // Slow enough that items are in flight when the worker dies.
    stack.gw.engine.behaviour.Verify = { kind: 'ok', response: VERIFIED, delayMs: 150 };
    images.route('/face.png', (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(FACE));
    await images.start();
  });
  afterAll(async () => {
    await images.stop();
    await stack.close();
  });

  const env = () => childEnv(stack.gw.config, { JOBS_ITEM_CONCURRENCY: '3', LOG_LEVEL: 'info' });
  const startWorker = () => startChild('worker.js', env(), /worker started/);
  const finished = async (jobId: string) =>
    Number(
      (
        (await stack.gw
          .db('batch_job_items')
          .where({ job_id: jobId })
          .whereIn('status', ['succeeded', 'failed'])
          .count({ n: '*' })
          .first()) as { n: number }
      ).n,
    );

  async function submit(key: string): Promise<string> {
    const face = images.url('/face.png');
    const items = Array.from({ length: ITEMS }, () => ({ type: 'verify', img1: face, img2: face }));
    const res = await request(stack.app).post('/v1/jobs').set('X-API-KEY', key).send({ items });
    expect(res.status).toBe(202);
    return res.body.id as string;
  }

  async function expectChargedOnce(jobId: string, accountId: string, startMicros: number) {
    const { db, services } = stack.gw;
    const job = await jobWhenDone(stack.app, (await keyOf(accountId))!, jobId);
    expect(job.progress).toEqual({ total: ITEMS, completed: ITEMS, succeeded: ITEMS, failed: 0 });
    expect(job.items.every((i) => i.charged === 0.25)).toBe(true);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- knex rows are untyped
    const captures = (await db('ledger_entries')
      .where({ account_id: accountId, type: 'capture' })
      .select('request_id')) as Array<{ request_id: string }>;
    expect(captures).toHaveLength(ITEMS);
    expect(new Set(captures.map((c) => c.request_id)).size).toBe(ITEMS);
    expect((await services.accounts.getAccount(accountId)).balance_micros).toBe(startMicros - ITEMS * PRICE);
    // A dead worker's holds are released by the reaper once they are older than any request can run.
    const later = new BillingService({
      ...services.repos,
      db,
      config: stack.gw.config,
      now: () => Date.now() + 3_600_000,
    });
    await later.reapStale();
    expect(await services.repos.reservations.countHeld(db, accountId)).toBe(0);
    expect((await services.accounts.getAccount(accountId)).balance_micros).toBe(startMicros - ITEMS * PRICE);
    expect(await services.repos.ledger.reconcile(db, accountId)).toEqual([]);
  }

  const keys = new Map<string, string>();
  const keyOf = async (accountId: string) => keys.get(accountId);

  it('a worker SIGKILLed mid-batch: the next worker finishes the job, every item charged exactly once', async () => {
    const { key, account } = await createCustomer(stack.gw, { balanceMicros: 20_000_000 });
    keys.set(account.id, key);
    const jobId = await submit(key);
    const first = await startWorker();
    await waitFor(async () => ((await finished(jobId)) >= 5 ? true : undefined), 'five items done');
    first.process.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const done = await finished(jobId);
    expect(done).toBeLessThan(ITEMS); // the kill really was mid-batch

    const second = await startWorker();
    try {
      await expectChargedOnce(jobId, account.id, 20_000_000);
    } finally {
      second.process.kill('SIGTERM');
      await second.exited;
    }
  });

  it('SIGTERM: the worker finishes its in-flight items, leaves none claimed, exits 0; the job completes once', async () => {
    const { key, account } = await createCustomer(stack.gw, { balanceMicros: 20_000_000 });
    keys.set(account.id, key);
    const jobId = await submit(key);
    const worker = await startWorker();
    await waitFor(async () => ((await finished(jobId)) >= 3 ? true : undefined), 'three items done');
    worker.process.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const running = await stack.gw
      .db('batch_job_items')
      .where({ job_id: jobId, status: 'running' })
      .count({ n: '*' })
      .first();
    expect(Number((running as { n: number }).n)).toBe(0);
    expect(await finished(jobId)).toBeLessThan(ITEMS);
    expect(await stack.gw.services.repos.reservations.countHeld(stack.gw.db, account.id)).toBe(0);

    const next = await startWorker();
    try {
      await expectChargedOnce(jobId, account.id, 20_000_000);
    } finally {
      next.process.kill('SIGTERM');
      await next.exited;
    }
  });
});
