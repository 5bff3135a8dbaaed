// bench:backends over HTTP: a real gateway (its own database and Redis prefix, as bench:load does; needs the gateway
// built) in front of an engine, POST /v1/verify and /v1/lookalike with the document and the selfie.
// The client is http-post.ts' (node:http, keep-alive, the body encoded once).
import { type Inputs } from './engine-process';
import { jsonPoster } from './http-post';
import { createBacking, createCustomer, startGateway } from './load-stack';
import { percentile } from './metrics';
import { callsPerSecond } from './rate';

export interface HttpFigures {
  /** p50 ms, one call at a time. */
  verifyP50: number;
  lookalikeP50: number;
  /** POST /v1/verify per second, 4 in flight. */
  verifyPerSecond: number;
}

export interface HttpPlan {
  latencyCalls: number;
  /** Seconds of the 4-in-flight run; 0 skips it. */
  seconds: number;
}

export async function gatewayFigures(enginePort: number, i: Inputs, plan: HttpPlan): Promise<HttpFigures> {
  const backing = await createBacking();
  try {
    const customer = await createCustomer(backing, 'bench-backends', 100_000);
    const gateway = await startGateway(backing, {
      ENGINE_ADDRESS: `127.0.0.1:${enginePort}`,
      RATE_LIMIT_POINTS: '1000000',
      RATE_LIMIT_WINDOW_S: '60',
    });
    const poster = jsonPoster(
      gateway.url,
      customer.apiKey,
      Buffer.from(JSON.stringify({ img1: i.document.toString('base64'), img2: i.selfie.toString('base64') })),
    );
    try {
      const post = (endpoint: 'verify' | 'lookalike'): Promise<void> => poster.post(`/v1/${endpoint}`);
      const p50 = async (endpoint: 'verify' | 'lookalike'): Promise<number> => {
        const wall: number[] = [];
        for (let k = 0; k < plan.latencyCalls + 3; k++) {
          const t0 = performance.now();
          await post(endpoint);
          if (k >= 3) wall.push(performance.now() - t0);
        }
        return percentile(wall, 50);
      };
      const verifyP50 = await p50('verify');
      const lookalikeP50 = await p50('lookalike');
      let verifyPerSecond = NaN;
      if (plan.seconds > 0) {
        await callsPerSecond(() => post('verify'), Math.min(2, plan.seconds));
        verifyPerSecond = await callsPerSecond(() => post('verify'), plan.seconds);
      }
      return { verifyP50, lookalikeP50, verifyPerSecond };
    } finally {
      poster.close();
      await gateway.stop();
    }
  } finally {
    await backing.drop();
  }
}
