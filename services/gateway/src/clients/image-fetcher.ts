import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent, request } from 'undici';
import type { Config } from '../config';
import { checkPublicUrl, isBlocked, safeConnector } from './safe-connector';

export type FetchFailure = 'blocked' | 'unreachable' | 'status' | 'timeout' | 'too_large' | 'redirects';

/** Why a download failed, without anything the upstream server said (bodies and status texts never leave here). */
export class ImageFetchError extends Error {
  constructor(
    readonly kind: FetchFailure,
    readonly httpStatus?: number,
  ) {
    super(`image fetch failed: ${kind}${httpStatus ? ` (HTTP ${httpStatus})` : ''}`);
    this.name = 'ImageFetchError';
  }
}

export type LookupFn = (
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * SSRF-safe download of a public image (OWASP SSRF cheat sheet):
 * - http(s) only, no userinfo; hosts on the allow-list (IMAGE_FETCH_ALLOW_HOSTS) skip the address checks.
 * - The address is checked where it is used: the DNS lookup that feeds the socket refuses any private answer
 *   (so DNS rebinding between a check and the connect is impossible), and the connected socket's remote address
 *   is checked again (covers IP literals, which skip DNS).
 * - Redirects are followed by hand, at most IMAGE_FETCH_MAX_REDIRECTS, each hop validated like the first.
 * - One deadline for everything (all hops, slow-drip bodies included) and a byte cap whatever Content-Length says.
 */
export class ImageFetcher {
  private readonly agent: Agent;
  private readonly allowHosts: Set<string>;

  constructor(
    private readonly config: Pick<Config, 'images'>,
    lookup: LookupFn = dnsLookup,
  ) {
    this.allowHosts = new Set(config.images.allowHosts);
    const connect = safeConnector({
      timeoutMs: config.images.fetchTimeoutMs,
      allowHosts: this.allowHosts,
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
      throw new ImageFetchError('unreachable');
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Scheme, userinfo and literal-address checks before any socket is opened. */
  private validate(raw: string): URL {
    const url = checkPublicUrl(raw, this.allowHosts);
    if (!url) throw new ImageFetchError('blocked');
    return url;
  }
}

/** Drops a body we will not read (undici reports an abort as an 'error' event: expected here). */
function discard(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on('error', () => undefined);
  body.destroy();
}
