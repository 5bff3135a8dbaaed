import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import * as path from 'node:path';
import newman, { type NewmanRunSummary } from 'newman';
import { createCustomer, listen, type TestGateway } from '../helpers/app';
import { type JobsStack, startJobsStack } from '../jobs/support';

/**
 * Runs the committed Postman collection with newman against a live gateway (fake engine): every request's tests
 * (status, X-Request-Id, body against the OpenAPI schema, billing) must pass.
 */
const dir = path.join(__dirname, '../../postman');
const readJson = (file: string): object => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as object;

describe('the Postman collection (newman)', () => {
  let stack: JobsStack;
  let gw: TestGateway;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    // MariaDB and Redis (batch jobs need the BullMQ producer).
    stack = await startJobsStack();
    gw = stack.gw;
    ({ server, url } = await listen(stack.app));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await stack?.close();
  });

  const run = (apiKey: string) =>
    new Promise<NewmanRunSummary>((resolve, reject) => {
      newman.run(
        {
          collection: readJson('deepface.postman_collection.json'),
          environment: readJson('deepface.postman_environment.json'),
          envVar: [
            { key: 'base_url', value: url },
            { key: 'api_key', value: apiKey },
          ],
          reporters: [],
          timeoutRequest: 20_000,
        },
        (error, summary) => (error ? reject(error) : resolve(summary)),
      );
    });

  it('passes every check of every request', async () => {
    const { key, account } = await createCustomer(gw);
    const summary = await run(key);
    const failures = summary.run.failures.map((f) => `${f.source?.name ?? '?'}: ${f.error.message}`);
    expect(failures).toEqual([]);
    const executions = summary.run.executions;
    expect(executions.map((e) => `${e.item.name} → ${e.response?.code}`)).toEqual([
      'Verify an ID document against a selfie → 200',
      "Verify, with the document's personal fields → 200",
      "Verify, with the selfie's liveness signal → 200",
      'Analyse a face → 200',
      'Score the resemblance of two faces → 200',
      'Submit a batch job → 202',
      'Get the batch job → 200',
      'Get the account → 200',
      'List usage → 200',
      'Missing API key → 401 → 401',
      'Missing field → 400 invalid_input → 400',
      'Date that does not exist → 400 invalid_input → 400',
    ]);
    const assertions = executions.flatMap((e) => e.assertions ?? []);
    expect(assertions.length).toBeGreaterThanOrEqual(9 * 3);
    expect(assertions.every((a) => !a.error)).toBe(true);
    // The collection really drove the API: three verifies, analyze, look-alike, then the job's verify and analyze.
    expect((await gw.services.accounts.getAccount(account.id)).balance_micros).toBe(10_000_000 - 1_800_000);
  });

  it('fails when a response breaks the contract (the checks are real)', async () => {
    const { key } = await createCustomer(gw);
    const original = gw.engine.behaviour.Verify;
    gw.engine.behaviour.Verify = { kind: 'stall' };
    try {
      const summary = await run(key);
      const failed = new Set(summary.run.failures.map((f) => f.source?.name));
      expect(failed.has('Verify an ID document against a selfie')).toBe(true);
    } finally {
      gw.engine.behaviour.Verify = original;
    }
  });
});
