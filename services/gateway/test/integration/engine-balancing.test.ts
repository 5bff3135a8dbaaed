import { GrpcEngineClient } from '../../src/clients/engine.client';
import { loadConfig } from '../../src/platform/config';
import { createLogger } from '../../src/platform/logger';
import { FakeEngine } from '@deepface/fake-engine';

const IMG = Buffer.from('image bytes');

/**
 * Client-side round-robin: one channel to a name resolving to several engines (in Kubernetes, a headless Service
 * through `dns:///engine-headless:50051`; here an ipv4: target naming two real gRPC fakes) spreads calls over
 * every engine instead of pinning one HTTP/2 connection, and routes around an engine that goes away.
 */
describe('engine load balancing (two engines, one channel)', () => {
  const engines = [new FakeEngine(), new FakeEngine()];
  let client: GrpcEngineClient;

  beforeAll(async () => {
    for (const e of engines) await e.start();
    const config = loadConfig({
      NODE_ENV: 'test',
      ENGINE_ADDRESS: `ipv4:${engines.map((e) => e.address).join(',')}`,
      ENGINE_TIMEOUT_MS: '2000',
    });
    client = new GrpcEngineClient(config, createLogger('silent'));
  });
  afterAll(async () => {
    client.close();
    for (const e of engines) await e.stop();
  });

  it('spreads calls across both engines', async () => {
    for (let i = 0; i < 20; i++) await client.verify({ img1: IMG, img2: IMG }, { requestId: `req_${i}` });
    const [a, b] = engines.map((e) => e.calls.Verify);
    expect(a! + b!).toBe(20);
    // Round-robin over two ready subchannels alternates; allow for the first calls racing the second connection.
    expect(a).toBeGreaterThanOrEqual(7);
    expect(b).toBeGreaterThanOrEqual(7);
  });

  it('keeps serving from the remaining engine when one goes away', async () => {
    await engines[1]!.stop();
    engines[0]!.resetCalls();
    for (let i = 0; i < 10; i++) await client.compare({ img1: IMG, img2: IMG }, { requestId: `req_c${i}` });
    expect(engines[0]!.calls.Compare).toBe(10);
  });
});
