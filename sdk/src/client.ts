import { randomUUID } from 'node:crypto';
import { ConnectionError, TimeoutError, errorFromResponse, type DeepFaceError } from './errors';
import type { components, operations } from './generated/openapi';
import { encodeImage, type ImageInput } from './images';

type Schemas = components['schemas'];
export type VerifyResponse = Schemas['VerifyResponse'];
export type AnalyzeResponse = Schemas['AnalyzeResponse'];
export type LookalikeResponse = Schemas['LookalikeResponse'];
export type AccountResponse = Schemas['AccountResponse'];
export type UsageResponse = Schemas['UsageResponse'];
export type UsageEntry = Schemas['UsageEntry'];
export type AnalyzeAction = NonNullable<Schemas['AnalyzeRequest']['actions']>[number];
export type LivenessOption = NonNullable<Schemas['VerifyRequest']['liveness']>;
export type UsageQuery = NonNullable<operations['getUsage']['parameters']['query']>;
export type Job = Schemas['Job'];
export type JobItemResult = Schemas['JobItemResult'];
/** A batch item: like the synchronous request, with any ImageInput for its images. */
export type JobItemInput =
  | { type: 'verify' | 'lookalike'; img1: ImageInput; img2: ImageInput }
  | { type: 'analyze'; image: ImageInput; actions?: AnalyzeAction[] };

export interface ClientOptions {
  /** An API key (`df_live_…` / `df_test_…`). Default: the DEEPFACE_API_KEY environment variable. */
  apiKey?: string;
  /** Default: DEEPFACE_BASE_URL, else http://localhost:8080. */
  baseUrl?: string;
  /** Per attempt. Default 60 s (an engine call has a 20 s deadline; downloads 10 s). */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 503, 504, 409 (same key in flight) and network errors. Default 2. */
  maxRetries?: number;
  /** Cap on one wait between attempts, Retry-After included. Default 30 s. */
  maxRetryDelayMs?: number;
  /** A fetch implementation (tests, proxies). Default: the global fetch. */
  fetch?: typeof fetch;
}

export interface RequestOptions {
  /** Default: a new UUID per call, reused by its retries (so a retried charge is never charged twice). */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** What came with a response besides its body. */
export interface ResponseMeta {
  status: number;
  requestId: string | undefined;
  /** On metered answers: amount charged and the available balance after it, in dollars. */
  billing?: { charged: number; balanceRemaining: number; currency: string };
  /** The key's rate limit (IETF RateLimit headers). */
  rateLimit?: { limit: number; windowS: number; remaining: number; resetS: number };
  idempotencyKey?: string;
  /** True when this is the stored answer of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
  attempts: number;
}

/** Every result also carries `lastResponse` (non-enumerable: JSON.stringify shows the API's body only). */
export type WithMeta<T> = T & { readonly lastResponse: ResponseMeta };

const RETRYABLE_STATUS = new Set([409, 429, 503, 504]);

/**
 * The DeepFace API client: typed requests and responses (generated from the OpenAPI document), image helpers,
 * an automatic Idempotency-Key on every POST, retries with exponential backoff and jitter (honouring
 * Retry-After), and typed errors (errors.ts).
 */
export class DeepFace {
  private readonly apiKey: string;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryDelayMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ClientOptions = {}) {
    const apiKey = options.apiKey ?? process.env.DEEPFACE_API_KEY;
    if (!apiKey) throw new TypeError('an API key is required: pass { apiKey } or set DEEPFACE_API_KEY');
    this.apiKey = apiKey;
    this.baseUrl = (options.baseUrl ?? process.env.DEEPFACE_BASE_URL ?? 'http://localhost:8080').replace(
      /\/+$/,
      '',
    );
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /**
   * KYC: an identity document against a selfie. Charged only when verified. `liveness: 'require'` refuses a
   * selfie the presentation-attack signal decides is a spoof (`liveness_failed`, not charged). `details.document`
   * says what the document's MRZ reads; `documentFields` also asks for its personal fields, `asOf` (YYYY-MM-DD)
   * the day expiry and age are judged on.
   */
  async verify(
    idDocument: ImageInput,
    selfie: ImageInput,
    options: RequestOptions & { liveness?: LivenessOption; documentFields?: boolean; asOf?: string } = {},
  ): Promise<WithMeta<VerifyResponse>> {
    const { liveness, documentFields, asOf, ...rest } = options;
    const body = {
      img1: await encodeImage(idDocument),
      img2: await encodeImage(selfie),
      ...(liveness ? { liveness } : {}),
      ...(documentFields ? { document_fields: true } : {}),
      ...(asOf ? { as_of: asOf } : {}),
    };
    return this.request<VerifyResponse>('POST', '/v1/verify', body, rest);
  }

  /** Resemblance of two faces, 0–100 with a label. Charged only when `verified`. */
  async lookalike(
    img1: ImageInput,
    img2: ImageInput,
    options?: RequestOptions,
  ): Promise<WithMeta<LookalikeResponse>> {
    const body = { img1: await encodeImage(img1), img2: await encodeImage(img2) };
    return this.request<LookalikeResponse>('POST', '/v1/lookalike', body, options);
  }

  /** Age, gender, race and emotion of every face (all four unless `actions` says otherwise). */
  async analyze(
    image: ImageInput,
    options: RequestOptions & { actions?: AnalyzeAction[] } = {},
  ): Promise<WithMeta<AnalyzeResponse>> {
    const { actions, ...rest } = options;
    const body = { image: await encodeImage(image), ...(actions ? { actions } : {}) };
    return this.request<AnalyzeResponse>('POST', '/v1/analyze', body, rest);
  }

  /**
   * Submits a batch (202 at once). Items whose images are URLs are queued for a worker; inline images (files,
   * Buffers, base64) run during the submission. Poll with getJob / waitForJob, or pass a webhookUrl.
   */
  async submitJob(
    items: JobItemInput[],
    options: RequestOptions & { webhookUrl?: string } = {},
  ): Promise<WithMeta<Job>> {
    const { webhookUrl, ...rest } = options;
    const encoded = await Promise.all(
      items.map(async (item) =>
        item.type === 'analyze'
          ? {
              type: item.type,
              image: await encodeImage(item.image),
              ...(item.actions ? { actions: item.actions } : {}),
            }
          : { type: item.type, img1: await encodeImage(item.img1), img2: await encodeImage(item.img2) },
      ),
    );
    const body = { items: encoded, ...(webhookUrl ? { webhook_url: webhookUrl } : {}) };
    return this.request<Job>('POST', '/v1/jobs', body, rest);
  }

  /** A batch job with every item's result (404 → NotFoundError for another account's, unknown or expired). */
  getJob(id: string, options?: RequestOptions): Promise<WithMeta<Job>> {
    return this.request<Job>('GET', `/v1/jobs/${encodeURIComponent(id)}`, undefined, options);
  }

  /** Polls a job until it is completed (default every second, for up to 10 minutes). */
  async waitForJob(
    id: string,
    options: RequestOptions & { intervalMs?: number; timeoutMs?: number } = {},
  ): Promise<WithMeta<Job>> {
    const { intervalMs = 1000, timeoutMs = 600_000, ...rest } = options;
    const until = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.getJob(id, rest);
      if (job.status === 'completed') return job;
      if (Date.now() + intervalMs > until) throw new TimeoutError(timeoutMs);
      await this.sleep(intervalMs, rest.signal);
    }
  }

  /** The key's account: balance and prices. */
  account(options?: RequestOptions): Promise<WithMeta<AccountResponse>> {
    return this.request<AccountResponse>('GET', '/v1/account', undefined, options);
  }

  /** One page of the usage ledger, newest first. */
  usage(query: UsageQuery = {}, options?: RequestOptions): Promise<WithMeta<UsageResponse>> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.size ? `?${params.toString()}` : '';
    return this.request<UsageResponse>('GET', `/v1/usage${qs}`, undefined, options);
  }

  /** Every usage entry, newest first, fetching pages as needed. */
  async *usageEntries(query: Omit<UsageQuery, 'cursor'> = {}): AsyncGenerator<UsageEntry> {
    let cursor: string | undefined;
    do {
      const page = await this.usage({ ...query, ...(cursor ? { cursor } : {}) });
      yield* page.data;
      cursor = page.has_more && page.next_cursor ? page.next_cursor : undefined;
    } while (cursor);
  }

  private async request<T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    options: RequestOptions = {},
  ): Promise<WithMeta<T>> {
    const idempotencyKey = method === 'POST' ? (options.idempotencyKey ?? randomUUID()) : undefined;
    const headers: Record<string, string> = { 'X-API-KEY': this.apiKey, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    const payload = body === undefined ? undefined : JSON.stringify(body);

    for (let attempt = 1; ; attempt++) {
      const last = attempt > this.maxRetries;
      const timeout = AbortSignal.timeout(this.timeoutMs);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      let res: Response;
      try {
        res = await this.fetchImpl(`${this.baseUrl}${path}`, { method, headers, body: payload, signal });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        const failure: DeepFaceError = timeout.aborted
          ? new TimeoutError(this.timeoutMs)
          : new ConnectionError(`Cannot reach ${this.baseUrl}: ${(error as Error).message}`, {
              cause: error,
            });
        if (last) throw failure;
        await this.sleep(this.backoff(attempt), options.signal);
        continue;
      }
      const text = await res.text();
      let data: unknown;
      try {
        data = text ? JSON.parse(text) : undefined;
      } catch {
        data = text;
      }
      const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
      if (res.ok) return withMeta(data as T, meta(res, attempt, idempotencyKey));
      if (RETRYABLE_STATUS.has(res.status) && !last) {
        await this.sleep(
          Math.min(
            this.maxRetryDelayMs,
            retryAfter !== undefined ? retryAfter * 1000 : this.backoff(attempt),
          ),
          options.signal,
        );
        continue;
      }
      throw errorFromResponse(res.status, data, res.headers.get('x-request-id') ?? undefined, retryAfter);
    }
  }

  /** Exponential backoff with full jitter: up to 0.5 s, 1 s, 2 s … capped. */
  private backoff(attempt: number): number {
    return Math.random() * Math.min(this.maxRetryDelayMs, 500 * 2 ** (attempt - 1));
  }

  /** Waits `ms`, or rejects with the signal's reason; the abort listener is removed either way (one per poll). */
  private sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason as Error);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

function meta(res: Response, attempts: number, idempotencyKey: string | undefined): ResponseMeta {
  const h = res.headers;
  const charged = h.get('x-billing-charged');
  const policy = /q=(\d+);w=(\d+)/.exec(h.get('ratelimit-policy') ?? '');
  const state = /r=(\d+);t=(\d+)/.exec(h.get('ratelimit') ?? '');
  return {
    status: res.status,
    requestId: h.get('x-request-id') ?? undefined,
    ...(charged !== null
      ? {
          billing: {
            charged: Number(charged),
            balanceRemaining: Number(h.get('x-balance-remaining')),
            currency: h.get('x-billing-currency') ?? 'USD',
          },
        }
      : {}),
    ...(policy && state
      ? {
          rateLimit: {
            limit: Number(policy[1]),
            windowS: Number(policy[2]),
            remaining: Number(state[1]),
            resetS: Number(state[2]),
          },
        }
      : {}),
    ...(idempotencyKey ? { idempotencyKey } : {}),
    replayed: h.get('idempotent-replayed') === 'true',
    attempts,
  };
}

function withMeta<T>(body: T, lastResponse: ResponseMeta): WithMeta<T> {
  Object.defineProperty(body, 'lastResponse', { value: lastResponse, enumerable: false });
  return body as WithMeta<T>;
}
