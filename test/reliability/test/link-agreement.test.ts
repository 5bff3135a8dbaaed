import { loadConfig as loadGatewayConfig } from '@deepface/gateway/config';
import { loadConfig as loadEngineConfig } from '@deepface/engine/config';
import { serverOptions } from '@deepface/engine/server';

/**
 * Item 24, statically: the two sides of the gRPC link are configured by different packages, so a change to one can
 * silently break the other. For every keepalive interval the gateway accepts, and with the defaults of both, the
 * engine's ping policy admits the gateway's pings (also between calls) and its receive limit admits the largest
 * request the gateway sends. The behaviour itself is tested with real processes in real-engine.test.ts.
 */
describe('gateway ↔ engine link settings agree (item 24)', () => {
  const MiB = 1024 * 1024;
  const engine = serverOptions(loadEngineConfig({}));
  const gateway = loadGatewayConfig({});
  // The smallest keepalive interval the gateway's configuration accepts.
  const fastestGateway = loadGatewayConfig({ ENGINE_KEEPALIVE_MS: '10000' });

  it('the engine lets the gateway ping at its rate, with and without calls in flight', () => {
    expect(engine['grpc.keepalive_permit_without_calls']).toBe(1);
    const minInterval = engine['grpc.http2.min_ping_interval_without_data_ms'] as number;
    expect(gateway.engine.keepaliveMs).toBeGreaterThanOrEqual(minInterval);
    expect(fastestGateway.engine.keepaliveMs).toBeGreaterThanOrEqual(minInterval);
    expect(() => loadGatewayConfig({ ENGINE_KEEPALIVE_MS: String(minInterval - 1) })).toThrow(
      /ENGINE_KEEPALIVE_MS/,
    );
  });

  it('the engine receives the largest request the gateway sends (two images at the limit)', () => {
    const largest = 2 * gateway.images.maxBytes + MiB;
    expect(engine['grpc.max_receive_message_length']).toBeGreaterThanOrEqual(largest);
  });
});
