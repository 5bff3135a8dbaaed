// The benches' HTTP load client: node:http with a keep-alive agent and the body encoded once, as a load generator
// (autocannon, wrk) sends it. It shares the two cores with the gateway and the engine, and Node's fetch (undici)
// cost 3–7 ms of CPU per call against ~1 ms for this, CPU the figures would otherwise take from the system measured.
import * as http from 'node:http';

export interface JsonPoster {
  /** POST the body to `path` (e.g. /v1/verify); rejects unless the answer is 200. */
  post(path: string): Promise<void>;
  close(): void;
}

export function jsonPoster(baseUrl: string, apiKey: string, body: Buffer): JsonPoster {
  const agent = new http.Agent({ keepAlive: true });
  const url = new URL(baseUrl);
  const post = (path: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': body.length, 'x-api-key': apiKey },
        },
        (res) => {
          res.resume();
          res.on('error', reject);
          res.on('end', () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`POST ${path}: HTTP ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}
