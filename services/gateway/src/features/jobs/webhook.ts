import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Agent, request } from 'undici';
import { checkPublicUrl, safeConnector } from '../../platform/fetch/safe-connector';
import type { Config } from '../../platform/config';
import { AllowList } from '../../platform/lib/allow-list';

/**
 * Webhook signatures, Stripe's scheme: header `X-DeepFace-Signature: t=<unix seconds>,v1=<hex>` where
 * v1 = HMAC-SHA256(secret, `${t}.${raw body}`). A receiver recomputes v1 over the raw body, compares in constant
 * time and refuses timestamps older than a few minutes (replays).
 */
export const SIGNATURE_HEADER = 'X-DeepFace-Signature';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

export function signWebhook(secret: string, body: string, timestampS: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex');
  return `t=${timestampS},v1=${v1}`;
}

/** What a client does with the header (exported for the README's example and the tests). */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string,
  options: { nowS?: number; toleranceS?: number } = {},
): boolean {
  const parts = new Map<string, string>();
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) parts.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return false;
  const nowS = options.nowS ?? Math.floor(Date.now() / 1000);
  if (Math.abs(nowS - t) > (options.toleranceS ?? 300)) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

/** Refuses webhook URLs that could reach internal hosts before anything is stored (checked again at delivery). */
export function checkWebhookUrl(raw: string, config: Pick<Config, 'webhooks'>): URL | undefined {
  return checkPublicUrl(raw, new AllowList(config.webhooks.allowHosts));
}

export type DeliveryResult = { ok: true; status: number } | { ok: false; reason: string };

/**
 * POSTs signed JSON to a customer's URL through the SSRF-safe connector: public addresses only (DNS answers and
 * the connected socket), no redirects followed, one deadline, the response body discarded unread.
 */
export class WebhookSender {
  private readonly agent: Agent;
  private readonly allowList: AllowList;

  constructor(private readonly config: Pick<Config, 'webhooks'>) {
    this.allowList = new AllowList(config.webhooks.allowHosts);
    this.agent = new Agent({
      connect: safeConnector({ timeoutMs: config.webhooks.timeoutMs, allowList: this.allowList }),
      headersTimeout: config.webhooks.timeoutMs,
      bodyTimeout: config.webhooks.timeoutMs,
    });
  }

  async deliver(
    rawUrl: string,
    secret: string,
    payload: Record<string, unknown>,
    headers: Record<string, string>,
  ): Promise<DeliveryResult> {
    const url = checkPublicUrl(rawUrl, this.allowList);
    if (!url) return { ok: false, reason: 'blocked' };
    const body = JSON.stringify(payload);
    const signature = signWebhook(secret, body, Math.floor(Date.now() / 1000));
    try {
      const res = await request(url, {
        dispatcher: this.agent,
        method: 'POST',
        body,
        signal: AbortSignal.timeout(this.config.webhooks.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'DeepFaceAPI-Webhooks/1',
          [SIGNATURE_HEADER.toLowerCase()]: signature,
          ...headers,
        },
      });
      res.body.on('error', () => undefined);
      res.body.destroy();
      return res.statusCode >= 200 && res.statusCode < 300
        ? { ok: true, status: res.statusCode }
        : { ok: false, reason: `HTTP ${res.statusCode}` };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.name : 'error' };
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
