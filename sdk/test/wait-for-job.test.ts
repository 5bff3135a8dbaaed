import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeepFace } from '../src';

/**
 * waitForJob sleeps between polls on the caller's AbortSignal: each sleep must take its abort listener back, or a
 * long wait piles one listener per poll onto a signal the caller may share with other work.
 */
describe('DeepFace SDK: waitForJob and the caller’s AbortSignal', () => {
  const POLLS = 40;
  let server: Server;
  let baseUrl: string;
  let polls = 0;

  beforeAll(async () => {
    // A stand-in for GET /v1/jobs/:id: running for POLLS - 1 answers, then completed.
    server = createServer((_req, res) => {
      polls += 1;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ id: 'job_1', status: polls < POLLS ? 'running' : 'completed' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('leaves no abort listener on the signal after many polls', async () => {
    const controller = new AbortController();
    const client = new DeepFace({ apiKey: 'df_test_x', baseUrl });
    const job = await client.waitForJob('job_1', { intervalMs: 1, signal: controller.signal });
    expect(job.status).toBe('completed');
    expect(polls).toBe(POLLS);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('still stops waiting when the signal aborts during a sleep', async () => {
    polls = 0;
    const controller = new AbortController();
    const client = new DeepFace({ apiKey: 'df_test_x', baseUrl });
    const waiting = client.waitForJob('job_1', { intervalMs: 60_000, signal: controller.signal });
    // The first poll answers "running"; the client then sleeps a minute unless the signal aborts.
    while (polls === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
