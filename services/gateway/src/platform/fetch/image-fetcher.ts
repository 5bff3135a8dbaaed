import { lookup as dnsLookup } from 'node:dns';
import { Agent, request } from 'undici';
import type { Config } from '../config';
import { AllowList } from '../lib/allow-list';
import { checkPublicUrl, isBlocked, type LookupFn, safeConnector } from './safe-connector';

export type { LookupFn };

export type FetchFailure = 'blocked' | 'unreachable' | 'status' | 'timeout' | 'too_large' | 'redirects';

// Network errors that may pass on their own: the connection broke or timed out, or DNS could not answer now.
// A refused connection, an unknown name (NXDOMAIN), TLS and protocol errors are answers, not accidents.
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Why a download failed, for the logs and the retry decision: never shown to clients (one message for every
 * failure, see ImageService), and without anything the upstream server said.
 */
export class ImageFetchError extends Error {
  constructor(
    readonly kind: FetchFailure,
    readonly httpStatus?: number,
    /** The network error's code (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET, …) for `unreachable`. */
    readonly code?: string,
  ) {
    super(
      `image fetch failed: ${kind}${httpStatus ? ` (HTTP ${httpStatus})` : ''}${code ? ` (${code})` : ''}`,
    );
    this.name = 'ImageFetchError';
  }

  /** Whether trying again soon may succeed: timeouts, broken connections, 5xx. Never 4xx, NXDOMAIN or policy. */
  get retryable(): boolean {
    switch (this.kind) {
      case 'timeout':
        return true;
      case 'status':
        return (this.httpStatus ?? 0) >= 500;
      case 'unreachable':
        return this.code !== undefined && TRANSIENT_CODES.has(this.code);
      case 'blocked':
      case 'redirects':
      case 'too_large':
        return false;
    }
  }
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * SSRF-safe download of a public image (OWASP SSRF cheat sheet):
 * - http(s) only, no userinfo; host:port pairs on the allow-list (IMAGE_FETCH_ALLOW_HOSTS) skip the address checks.
 * - The address is checked where it is used: the DNS lookup that feeds the socket refuses any private answer
 *   (so DNS rebinding between a check and the connect is impossible), and the connected socket's remote address
 *   is checked again (covers IP literals, which skip DNS).
 * - Redirects are followed by hand, at most IMAGE_FETCH_MAX_REDIRECTS, each hop validated like the first.
 * - One deadline for everything (all hops, slow-drip bodies included) and a byte cap whatever Content-Length says.
 */
export class ImageFetcher {
  private readonly agent: Agent;
  private readonly allowList: AllowList;

  constructor(
    private readonly config: Pick<Config, 'images'>,
    lookup: LookupFn = dnsLookup,
  ) {
    this.allowList = new AllowList(config.images.allowHosts);
    const connect = safeConnector({
      timeoutMs: config.images.fetchTimeoutMs,
      allowList: this.allowList,
      lookup,
    });
    this.agent = new Agent({
      connect,
      headersTimeout: config.images.fetchTimeoutMs,
      bodyTimeout: config.images.fetchTimeoutMs,
      connections: 64,
      keepAliveTimeout: 4_000,
    });
  }

  async fetch(rawUrl: string): Promise<Buffer> {
    const { fetchTimeoutMs, maxRedirects, maxBytes } = this.config.images;
    const signal = AbortSignal.timeout(fetchTimeoutMs);
    let url = this.validate(rawUrl);
    try {
      for (let hop = 0; ; hop++) {
        const res = await request(url, {
          dispatcher: this.agent,
          method: 'GET',
          signal,
          headers: {
            accept: 'image/*',
            'accept-encoding': 'identity',
            'user-agent': 'DeepFaceAPI-ImageFetcher/1',
          },
        });
        if (REDIRECT_STATUSES.has(res.statusCode)) {
          discard(res.body);
          const location = res.headers.location;
          if (hop >= maxRedirects) throw new ImageFetchError('redirects');
          if (typeof location !== 'string') throw new ImageFetchError('status', res.statusCode);
          url = this.validate(new URL(location, url).toString());
          continue;
        }
        if (res.statusCode < 200 || res.statusCode >= 300) {
          discard(res.body);
          throw new ImageFetchError('status', res.statusCode);
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          discard(res.body);
          throw new ImageFetchError('too_large');
        }
        const chunks: Buffer[] = [];
        let total = 0;
        for await (const chunk of res.body) {
          const buf = chunk as Buffer;
          total += buf.length;
          if (total > maxBytes) {
            discard(res.body);
            throw new ImageFetchError('too_large');
          }
          chunks.push(buf);
        }
        return Buffer.concat(chunks, total);
      }
    } catch (error) {
      if (error instanceof ImageFetchError) throw error;
      if (signal.aborted) throw new ImageFetchError('timeout');
      if (isBlocked(error)) throw new ImageFetchError('blocked');
      throw new ImageFetchError('unreachable', undefined, errorCode(error));
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Scheme, userinfo and literal-address checks before any socket is opened. */
  private validate(raw: string): URL {
    const url = checkPublicUrl(raw, this.allowList);
    if (!url) throw new ImageFetchError('blocked');
    return url;
  }
}

/** The first string `code` along the error's cause chain (undici wraps the socket's error). */
function errorCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (typeof e.code === 'string') return e.code.slice(0, 64);
  }
  return undefined;
}

/** Drops a body we will not read (undici reports an abort as an 'error' event: expected here). */
function discard(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on('error', () => undefined);
  body.destroy();
}
