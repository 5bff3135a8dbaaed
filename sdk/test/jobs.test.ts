import type { Server } from 'node:http';
import { startJobWorkers, type JobWorkers } from '../../services/gateway/src/features/jobs/job-worker';
import { createCustomer, listen } from '../../services/gateway/test/helpers/app';
import { jobsServiceOf, type JobsStack, startJobsStack } from '../../services/gateway/test/jobs/support';
import { DeepFace, NotFoundError, image } from '../src';
import { sampleFiles } from './helpers';

/** Batch jobs through the SDK: the gateway with Redis and MariaDB, its BullMQ worker in process, a fake engine. */
describe('DeepFace SDK: batch jobs', () => {
  let stack: JobsStack;
  let workers: JobWorkers;
  let server: Server;
  let url: string;
  const samples = sampleFiles();

  beforeAll(async () => {
    stack = await startJobsStack();
    workers = startJobWorkers({
      config: stack.gw.config,
      logger: stack.gw.logger,
      jobs: jobsServiceOf(stack),
    });
    ({ server, url } = await listen(stack.app));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await workers?.close();
    await stack?.close();
  });

  it('submits items from files and Buffers, waits for the job, reads every result', async () => {
    const { key } = await createCustomer(stack.gw);
    const client = new DeepFace({ apiKey: key, baseUrl: url });
    const job = await client.submitJob([
      { type: 'verify', img1: image.file(samples.files.idCard), img2: samples.buffers.selfie },
      { type: 'analyze', image: image.file(samples.files.face), actions: ['age'] },
    ]);
    expect(job.lastResponse.status).toBe(202);
    expect(job.progress.total).toBe(2);
    const done = await client.waitForJob(job.id, { intervalMs: 100, timeoutMs: 20_000 });
    expect(done.status).toBe('completed');
    expect(done.items?.map((i) => [i.status, i.http_status, i.charged])).toEqual([
      ['succeeded', 200, 0.25],
      ['succeeded', 200, 0.3],
    ]);
    expect(done.billing.charged).toBe(0.55);
    await expect(client.getJob('job_unknown')).rejects.toBeInstanceOf(NotFoundError);
  });
});
