import * as grpc from '@grpc/grpc-js';
import { type DetectResponse__Output, TENANT_METADATA_KEY } from '@deepface/proto';
import { command, settle, startEngine, type TestEngine } from '../support/harness';

// The gateway names the account behind each call with an opaque key in the `deepface-tenant` metadata; the pool
// serves waiting calls fairly between those keys (test/pool/fairness.test.ts holds the rule itself).

function detectAs(engine: TestEngine, tenant: string | undefined, delayMs: number) {
  const metadata = new grpc.Metadata();
  if (tenant !== undefined) metadata.set(TENANT_METADATA_KEY, tenant);
  return settle<DetectResponse__Output>((cb) =>
    engine.client.Detect({ image: command({ delayMs }) }, metadata, {}, cb),
  );
}

describe('tenants over gRPC (deepface-tenant metadata)', () => {
  let engine: TestEngine;

  beforeAll(async () => {
    engine = await startEngine({ env: { ENGINE_WORKERS: '1', ENGINE_QUEUE_SIZE: '10' } });
  });
  afterAll(() => engine.stop());

  it("one tenant's backlog does not hold another tenant's call behind it", async () => {
    const order: string[] = [];
    const call = (tenant: string | undefined, label: string, delayMs: number) =>
      detectAs(engine, tenant, delayMs).then((r) => {
        order.push(label);
        return r.ok;
      });
    // Each of A's calls runs 400 ms, so B's call, sent 100 ms after the flood, reaches the server while a1 still runs
    // even on a loaded machine (with 120 ms calls, a late arrival after a1 had ended put b1 behind a2: a flake).
    const flood = ['a1', 'a2', 'a3', 'a4'].map((label) => call('acct-A-key', label, 400));
    // Let the flood reach the server's queue first.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const other = call('acct-B-key', 'b1', 5);
    expect(await Promise.all([...flood, other])).toEqual([true, true, true, true, true]);
    expect(order.indexOf('b1')).toBeLessThanOrEqual(1);
  });

  it('a missing or malformed tenant is served as the shared anonymous tenant, not refused', async () => {
    for (const tenant of [undefined, '', 'x'.repeat(200), 'spaces are not allowed', 'semi;colon']) {
      const result = await detectAs(engine, tenant, 0);
      expect(result.ok).toBe(true);
    }
  });
});
