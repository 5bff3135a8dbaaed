import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import Stripe from 'stripe';

/**
 * A local HTTP stand-in for the parts of Stripe's API that the gateway uses, so that the real `stripe` SDK can be
 * tested without a network: `POST /v1/checkout/sessions` (form-encoded, as the SDK sends it; Bearer secret key
 * required), `GET /v1/checkout/sessions/:id`, and a tiny hosted checkout page (`/pay/:id`) whose "Pay" button
 * marks the session paid and redirects to its success_url, as Stripe Checkout does. Webhook events are built and
 * signed by the test (`paidEvent`, `sign`) with the SDK's own test-header helper.
 */
export interface StandinSession {
  id: string;
  object: 'checkout.session';
  mode: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  customer_email: string | null;
  metadata: Record<string, string>;
  success_url: string;
  cancel_url: string;
  url: string;
  line_items: Array<{ name: string; unit_amount: number; quantity: number }>;
}

export interface StripeStandin {
  /** http://127.0.0.1:<port>: STRIPE_API_BASE for the gateway. */
  base: string;
  secretKey: string;
  webhookSecret: string;
  sessions: Map<string, StandinSession>;
  /** Every API request received: method, path and the Authorization header's key (for assertions). */
  requests: Array<{ method: string; path: string; bearer: string | null; form: Record<string, string> }>;
  /** Answer every API call with this status (e.g. 500: Stripe is down); undefined: normal. */
  failWith?: number;
  /** A `checkout.session.completed` event for a session (paid), with optional changes to the session object. */
  paidEvent(sessionId: string, changes?: Partial<StandinSession>, eventId?: string): Record<string, unknown>;
  /** The Stripe-Signature header for a payload, signed with `secret` (the webhook secret by default). */
  sign(payload: string, secret?: string, timestamp?: number): string;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export async function startStripeStandin(): Promise<StripeStandin> {
  const sessions = new Map<string, StandinSession>();
  const requests: StripeStandin['requests'] = [];
  const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
  const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
  const sdk = new Stripe(secretKey);
  let base = '';

  const stripeError = (status: number, message: string, type = 'invalid_request_error') =>
    JSON.stringify({ error: { type, message } });

  const standin: StripeStandin = {
    base: '',
    secretKey,
    webhookSecret,
    sessions,
    requests,
    paidEvent(sessionId, changes = {}, eventId = `evt_${randomBytes(12).toString('hex')}`) {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`no session ${sessionId}`);
      return {
        id: eventId,
        object: 'event',
        api_version: '2025-01-01',
        created: Math.floor(Date.now() / 1000),
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type: 'checkout.session.completed',
        data: { object: { ...session, status: 'complete', payment_status: 'paid', ...changes } },
      };
    },
    sign(payload, secret = webhookSecret, timestamp?: number) {
      return sdk.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp ? { timestamp } : {}) });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', base);
      const raw = await readBody(req);
      if (url.pathname.startsWith('/v1/')) {
        const auth = req.headers.authorization ?? '';
        const form = Object.fromEntries(new URLSearchParams(raw));
        requests.push({
          method: req.method ?? '',
          path: url.pathname,
          bearer: auth.startsWith('Bearer ') ? auth.slice(7) : null,
          form,
        });
        res.setHeader('Content-Type', 'application/json');
        res.setHeader('Request-Id', `req_${randomBytes(6).toString('hex')}`);
        if (standin.failWith) {
          res.statusCode = standin.failWith;
          return res.end(stripeError(standin.failWith, 'stand-in told to fail', 'api_error'));
        }
        if (auth !== `Bearer ${secretKey}`) {
          res.statusCode = 401;
          return res.end(stripeError(401, 'Invalid API Key provided.'));
        }
        if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
          const unitAmount = Number(form['line_items[0][price_data][unit_amount]']);
          const quantity = Number(form['line_items[0][quantity]'] ?? '1');
          if (
            form.mode !== 'payment' ||
            !Number.isInteger(unitAmount) ||
            unitAmount < 50 ||
            !form.success_url
          ) {
            res.statusCode = 400;
            return res.end(stripeError(400, 'Missing or invalid parameters.'));
          }
          const id = `cs_test_${randomBytes(16).toString('hex')}`;
          const metadata: Record<string, string> = {};
          for (const [k, v] of Object.entries(form)) {
            const m = /^metadata\[(.+)\]$/.exec(k);
            if (m) metadata[m[1]!] = v;
          }
          const session: StandinSession = {
            id,
            object: 'checkout.session',
            mode: 'payment',
            status: 'open',
            payment_status: 'unpaid',
            amount_total: unitAmount * quantity,
            currency: form['line_items[0][price_data][currency]'] ?? 'usd',
            client_reference_id: form.client_reference_id ?? null,
            customer_email: form.customer_email ?? null,
            metadata,
            success_url: form.success_url,
            cancel_url: form.cancel_url ?? '',
            url: `${base}/pay/${id}`,
            line_items: [
              {
                name: form['line_items[0][price_data][product_data][name]'] ?? '',
                unit_amount: unitAmount,
                quantity,
              },
            ],
          };
          sessions.set(id, session);
          return res.end(JSON.stringify(session));
        }
        const expire = /^\/v1\/checkout\/sessions\/([A-Za-z0-9_]+)\/expire$/.exec(url.pathname);
        const expiring = expire ? sessions.get(expire[1]!) : undefined;
        if (req.method === 'POST' && expiring && expiring.status === 'open') {
          expiring.status = 'expired';
          return res.end(JSON.stringify(expiring));
        }
        const get = /^\/v1\/checkout\/sessions\/([A-Za-z0-9_]+)$/.exec(url.pathname);
        if (req.method === 'GET' && get && sessions.has(get[1]!)) {
          return res.end(JSON.stringify(sessions.get(get[1]!)));
        }
        res.statusCode = 404;
        return res.end(stripeError(404, 'No such resource.'));
      }
      if (url.pathname === '/favicon.ico') {
        res.statusCode = 204;
        return res.end();
      }
      // The hosted checkout page.
      const pay = /^\/pay\/([A-Za-z0-9_]+)$/.exec(url.pathname);
      const session = pay ? sessions.get(pay[1]!) : undefined;
      if (!session) {
        res.statusCode = 404;
        return res.end('not found');
      }
      if (session.status === 'expired') {
        res.statusCode = 410;
        return res.end('This checkout session has expired.');
      }
      if (req.method === 'POST') {
        session.status = 'complete';
        session.payment_status = 'paid';
        res.statusCode = 303;
        res.setHeader('Location', session.success_url.replace('{CHECKOUT_SESSION_ID}', session.id));
        return res.end();
      }
      const amount = `$${(session.amount_total / 100).toFixed(2)}`;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Checkout (Stripe stand-in)</title>
<style>body{font:16px system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1a1f36}button{font:inherit;padding:.7rem 1.2rem;background:#635bff;color:#fff;border:0;border-radius:6px;width:100%}</style></head>
<body><p>Stripe stand-in (tests only)</p><h1>Pay ${escapeHtml(session.line_items[0]?.name ?? '')}</h1><p>${escapeHtml(session.customer_email ?? '')}</p>
<p>Total <strong>${amount}</strong></p><form method="post" action="/pay/${session.id}"><button type="submit">Pay ${amount}</button></form></body></html>`);
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  base = standin.base = `http://127.0.0.1:${address.port}`;
  return standin;
}
