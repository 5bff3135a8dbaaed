/** A 1×1 PNG: a real image header, enough for the gateway's checks (the fake engine never decodes it). */
export const TINY_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body ({} when the body is not JSON). */
  body: Record<string, unknown>;
  /** Wall time from sending to the end of the body. */
  ms: number;
}

/** One HTTP call to a gateway process (JSON in, JSON out), timed. */
export async function call(
  base: string,
  path: string,
  opts: { key?: string; body?: unknown; method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers['x-api-key'] = opts.key;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  const res = await fetch(base + path, {
    method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, text, body, ms };
}

export const verify = (base: string, key: string, img = TINY_PNG, headers?: Record<string, string>) =>
  call(base, '/v1/verify', { key, body: { img1: img, img2: img }, headers });

export async function waitUntil(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
