import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AccountSuspendedError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  DeepFace,
  InsufficientBalanceError,
  RateLimitError,
  ServiceUnavailableError,
  image,
} from '../src';
import { createCustomer, sampleFiles, startStack } from './helpers';

// gRPC status codes the fake engine answers with.
const RESOURCE_EXHAUSTED = 8;

describe('DeepFace SDK against the gateway (fake engine)', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  const samples = sampleFiles();

  beforeAll(async () => {
    stack = await startStack({ ENGINE_MAX_ATTEMPTS: '1', ENGINE_TIMEOUT_MS: '800' });
  });
  afterAll(async () => {
    await stack?.close();
  });
  let behaviour: typeof stack.gw.engine.behaviour;
  beforeEach(() => {
    behaviour = { ...stack.gw.engine.behaviour };
  });
  afterEach(() => {
    stack.gw.engine.behaviour = behaviour;
  });

  const client = async (
    balanceMicros = 10_000_000,
    options: ConstructorParameters<typeof DeepFace>[0] = {},
  ) => {
    const { key, account } = await createCustomer(stack.gw, { balanceMicros });
    return {
      sdk: new DeepFace({ apiKey: key, baseUrl: stack.url, maxRetryDelayMs: 50, ...options }),
      account,
      key,
    };
  };

  /** A fetch that records every request's headers. */
  const recording = () => {
    const seen: Array<{ url: string; headers: Record<string, string> }> = [];
    const impl: typeof fetch = async (input, init) => {
      seen.push({
        url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
        headers: { ...(init?.headers as Record<string, string>) },
      });
      return fetch(input, init);
    };
    return { seen, impl };
  };

  it('verifies from file paths, Buffers, base64 and data URIs, with typed results and response metadata', async () => {
    const { sdk } = await client();
    const fromFiles = await sdk.verify(image.file(samples.files.idCard), image.file(samples.files.selfie));
    expect(fromFiles.engine_response.verified).toBe(true);
    expect(fromFiles.billing).toEqual({ charged: 0.25, currency: 'USD' });
    expect(fromFiles.lastResponse).toMatchObject({
      status: 200,
      billing: { charged: 0.25, balanceRemaining: 9.75, currency: 'USD' },
      rateLimit: { limit: 100000, windowS: 60 },
      replayed: false,
      attempts: 1,
    });
    expect(fromFiles.lastResponse.requestId).toMatch(/^req_/);
    expect(JSON.stringify(fromFiles)).not.toContain('lastResponse');

    const fromBuffers = await sdk.verify(samples.buffers.idCard, image.buffer(samples.buffers.selfie));
    expect(fromBuffers.result).toBe('verified');
    const b64 = samples.buffers.selfie.toString('base64');
    const fromStrings = await sdk.lookalike(image.base64(b64), `data:image/jpeg;base64,${b64}`);
    expect(fromStrings.result).toBe('comparison_complete');
    const received = stack.gw.engine.received.at(-1)!.request as { img1: Buffer; img2: Buffer };
    expect(Buffer.compare(received.img1, samples.buffers.selfie)).toBe(0);
  });

  it('fetches images from URLs (the gateway downloads them)', async () => {
    const images = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(samples.buffers.face),
    );
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
    const local = await startStack({ IMAGE_FETCH_ALLOW_HOSTS: '127.0.0.1:*' });
    try {
      const { key } = await createCustomer(local.gw);
      const sdk = new DeepFace({ apiKey: key, baseUrl: local.url });
      const url = `http://127.0.0.1:${(images.address() as AddressInfo).port}/face.jpg`;
      const result = await sdk.analyze(image.url(url), { actions: ['age', 'emotion'] });
      expect(result.results.map((r) => Object.keys(r)[0])).toEqual(['age', 'emotion']);
      expect(() => image.url('file:///etc/passwd')).toThrow(TypeError);
    } finally {
      await local.close();
      images.close();
    }
  });

  it('sends an Idempotency-Key on every POST, and reuses it on retries (one engine call, one charge)', async () => {
    const { seen, impl } = recording();
    const { sdk, account, key } = await client();
    const verified = stack.gw.engine.behaviour.Verify;
    stack.gw.engine.behaviour.Verify = {
      kind: 'error',
      code: RESOURCE_EXHAUSTED,
      detail: { reason: 'OVERLOADED', message: '', retryable: true, retry_after_ms: 100 },
    };
    const calls = stack.gw.engine.calls.Verify;
    // The engine recovers right after the first answer.
    const flip: typeof fetch = async (input, init) => {
      const res = await impl(input, init);
      stack.gw.engine.behaviour.Verify = verified;
      return res;
    };
    const retrying = new DeepFace({ apiKey: key, baseUrl: stack.url, fetch: flip, maxRetryDelayMs: 50 });
    const result = await retrying.verify(samples.buffers.idCard, samples.buffers.selfie);
    expect(result.lastResponse.attempts).toBe(2);
    expect(seen).toHaveLength(2);
    expect(seen[0]!.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[1]!.headers['Idempotency-Key']).toBe(seen[0]!.headers['Idempotency-Key']);
    expect(result.lastResponse.idempotencyKey).toBe(seen[0]!.headers['Idempotency-Key']);
    expect(stack.gw.engine.calls.Verify - calls).toBe(2);
    const usage = await sdk.usage({ type: 'capture' });
    expect(usage.data).toHaveLength(1);
    expect((await stack.gw.services.accounts.getAccount(account.id)).balance_micros).toBe(9_750_000);

    const again = await sdk.verify(samples.buffers.idCard, samples.buffers.selfie, {
      idempotencyKey: seen[0]!.headers['Idempotency-Key'],
    });
    expect(again.lastResponse.replayed).toBe(true);
    expect((await sdk.usage({ type: 'capture' })).data).toHaveLength(1);
  });

  it('retries 504 with backoff, then gives up with a typed error', async () => {
    const { sdk } = await client(10_000_000, { maxRetries: 1 });
    stack.gw.engine.behaviour.Verify = { kind: 'stall' };
    const before = stack.gw.engine.calls.Verify;
    await expect(sdk.verify(samples.buffers.idCard, samples.buffers.selfie)).rejects.toMatchObject({
      name: 'EngineTimeoutError',
      status: 504,
      code: 'engine_timeout',
    });
    expect(stack.gw.engine.calls.Verify - before).toBe(2);
  });

  it('maps every error answer to its class', async () => {
    const bad = new DeepFace({ apiKey: 'df_live_notavalidkey', baseUrl: stack.url });
    await expect(bad.account()).rejects.toBeInstanceOf(AuthenticationError);

    const { sdk: poor } = await client(0);
    const short = await poor.verify(samples.buffers.idCard, samples.buffers.selfie).catch((e: unknown) => e);
    expect(short).toBeInstanceOf(InsufficientBalanceError);
    expect((short as InsufficientBalanceError).currentBalance).toBe(0);
    expect((short as InsufficientBalanceError).requiredAmount).toBe(0.25);
    expect((short as InsufficientBalanceError).requestId).toMatch(/^req_/);

    const { sdk, account } = await client();
    const invalid = await sdk.verify('bm90IGFuIGltYWdl', samples.buffers.selfie).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(BadRequestError);
    expect((invalid as BadRequestError).code).toBe('invalid_image');
    // The API's hint, naming the image by its role on verify.
    expect((invalid as BadRequestError).hint).toMatch(/^ID document: /);

    await stack.gw.services.accounts.setStatus(account.id, 'suspended');
    await expect(sdk.account()).rejects.toBeInstanceOf(AccountSuspendedError);

    stack.gw.engine.behaviour.Verify = {
      kind: 'error',
      code: RESOURCE_EXHAUSTED,
      detail: { reason: 'OVERLOADED', message: '', retryable: true, retry_after_ms: 2000 },
    };
    const { sdk: busy } = await client(10_000_000, { maxRetries: 0 });
    const unavailable = await busy
      .verify(samples.buffers.idCard, samples.buffers.selfie)
      .catch((e: unknown) => e);
    expect(unavailable).toBeInstanceOf(ServiceUnavailableError);
    expect((unavailable as ServiceUnavailableError).retryAfterS).toBe(2);
  });

  it('honours Retry-After on 429', async () => {
    const limited = await startStack({ RATE_LIMIT_POINTS: '2', RATE_LIMIT_WINDOW_S: '3' });
    try {
      const { key } = await createCustomer(limited.gw);
      const eager = new DeepFace({ apiKey: key, baseUrl: limited.url, maxRetries: 0 });
      await eager.account();
      await eager.account();
      const refused = await eager.account().catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(RateLimitError);
      expect((refused as RateLimitError).retryAfterS).toBeGreaterThanOrEqual(1);

      const patient = new DeepFace({ apiKey: key, baseUrl: limited.url, maxRetries: 3 });
      const started = Date.now();
      const result = await patient.account();
      expect(result.result).toBe('account');
      expect(result.lastResponse.attempts).toBeGreaterThan(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    } finally {
      await limited.close();
    }
  });

  it('reports an unreachable server as ConnectionError after its retries', async () => {
    const sdk = new DeepFace({
      apiKey: 'df_live_x',
      baseUrl: 'http://127.0.0.1:1',
      maxRetries: 1,
      maxRetryDelayMs: 10,
    });
    await expect(sdk.account()).rejects.toBeInstanceOf(ConnectionError);
  });

  it('pages through usage', async () => {
    const { sdk } = await client();
    for (let i = 0; i < 3; i++) await sdk.verify(samples.buffers.idCard, samples.buffers.selfie);
    const entries: string[] = [];
    for await (const entry of sdk.usageEntries({ limit: 2 })) entries.push(entry.type);
    expect(entries).toEqual(['capture', 'reserve', 'capture', 'reserve', 'capture', 'reserve', 'credit']);
  });

  it('needs an API key', () => {
    const saved = process.env.DEEPFACE_API_KEY;
    delete process.env.DEEPFACE_API_KEY;
    try {
      expect(() => new DeepFace()).toThrow(/API key/);
    } finally {
      if (saved !== undefined) process.env.DEEPFACE_API_KEY = saved;
    }
  });
});
