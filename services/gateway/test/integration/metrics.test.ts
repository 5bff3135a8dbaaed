import request from 'supertest';
import { createApp } from '../../src/http/app';
import { createGatewayMetrics } from '../../src/platform/metrics/gateway-metrics';
import { metricsRoutes } from '../../src/platform/metrics/metrics.routes';
import { asBase64, pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';
import express from 'express';

const IMG = asBase64(pngImage(16, 16));

/** Reads one sample's value from the Prometheus text format (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.indexOf('}'));
    if (wanted.every((w) => inside.split(',').includes(w)))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

describe('Prometheus metrics (gateway)', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('exposes request, billing, engine stage, breaker and backend metrics that move with traffic', async () => {
    const metrics = createGatewayMetrics();
    const app = createApp({ ...gw.deps, metrics });
    const scraper = express().use(metricsRoutes(metrics.registry));
    const scrape = async () => {
      const res = await request(scraper).get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/plain/);
      return res.text;
    };
    const before = await scrape();
    expect(sample(before, 'deepface_engine_circuit_breaker_state', { state: 'closed' })).toBe(1);
    expect(sample(before, 'deepface_http_requests_total', { route: '/v1/verify', status: '200' })).toBe(0);

    const { key } = await createCustomer(gw, { balanceMicros: 600_000 });
    for (let i = 0; i < 2; i++) {
      const ok = await request(app).post('/v1/verify').set('X-API-KEY', key).send({ img1: IMG, img2: IMG });
      expect(ok.status).toBe(200);
    }
    const short = await request(app).post('/v1/verify').set('X-API-KEY', key).send({ img1: IMG, img2: IMG });
    expect(short.status).toBe(402);
    await request(app).get('/v1/jobs/job_abc').set('X-API-KEY', key);

    const after = await scrape();
    expect(sample(after, 'deepface_http_requests_total', { route: '/v1/verify', status: '200' })).toBe(2);
    expect(sample(after, 'deepface_http_requests_total', { route: '/v1/verify', status: '402' })).toBe(1);
    // Ids never become labels: the route template does.
    expect(sample(after, 'deepface_http_requests_total', { route: '/v1/jobs/:id', status: '404' })).toBe(1);
    expect(after).not.toContain('job_abc');
    expect(
      sample(after, 'deepface_http_request_duration_seconds_count', { route: '/v1/verify', status: '200' }),
    ).toBe(2);
    expect(
      sample(after, 'deepface_billing_charged_micros_total', { endpoint: 'verify', source: 'api' }),
    ).toBe(500_000);
    expect(sample(after, 'deepface_billing_charges_total', { endpoint: 'verify', source: 'api' })).toBe(2);
    expect(
      sample(after, 'deepface_billing_insufficient_balance_total', { endpoint: 'verify', source: 'api' }),
    ).toBe(1);
    expect(
      sample(after, 'deepface_engine_call_duration_seconds_count', { method: 'Verify', outcome: 'ok' }),
    ).toBe(2);
    expect(sample(after, 'deepface_engine_stage_seconds_count', { method: 'Verify', stage: 'total' })).toBe(
      2,
    );
    expect(sample(after, 'deepface_engine_backend_info', { backend: 'wasm' })).toBe(1);

    // Engine gone: calls fail, the breaker opens, and the scrape says so.
    await gw.engine.stop();
    const funded = await createCustomer(gw);
    for (let i = 0; i < 6; i++) {
      const res = await request(app).post('/v1/analyze').set('X-API-KEY', funded.key).send({ image: IMG });
      expect(res.status).toBe(503);
    }
    const down = await scrape();
    expect(sample(down, 'deepface_engine_circuit_breaker_state', { state: 'open' })).toBe(1);
    expect(sample(down, 'deepface_engine_circuit_breaker_state', { state: 'closed' })).toBe(0);
    expect(
      sample(down, 'deepface_engine_call_duration_seconds_count', {
        method: 'Analyze',
        outcome: 'engine_unavailable',
      }),
    ).toBeGreaterThan(0);
  });
});
