import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Config } from '../../platform/config';
import { requireCsrf, requireSession } from '../dashboard/session.middleware';
import type { TopupService } from './topup.service';
import { parseBody } from '../../platform/validation';

const checkoutSchema = z.strictObject({
  amount: z
    .number({ error: 'amount is required: one of the offered dollar amounts.' })
    .positive()
    .max(1_000_000),
});

const historyQuery = z.strictObject({
  cursor: z.string().min(1).max(100),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/**
 * The billing page's JSON API, mounted by the dashboard's API router under /dashboard/api/billing, after its
 * same-origin, session, CSRF and JSON checks. Those are asserted again here, so that this router is never served
 * without them.
 */
export function billingDashboardRoutes(deps: { config: Config; topup: TopupService }): Router {
  const { config, topup } = deps;
  const router = Router();
  router.use(requireSession());
  router.use((req, res, next) => (req.method === 'GET' ? next() : requireCsrf()(req, res, next)));
  const me = (res: Response) => res.locals.dashboard!.user;

  router.get('/', async (_req, res) => {
    res.json({ status: 'success', billing: await topup.summary(me(res)) });
  });
  // The balance history past the summary's first page ("Load more").
  router.get('/history', async (req, res) => {
    const { cursor, limit } = parseBody(historyQuery, { ...req.query });
    res.json({ status: 'success', ...(await topup.history(me(res), cursor, limit)) });
  });
  router.post('/checkout', async (req, res) => {
    const { amount } = parseBody(checkoutSchema, req.body);
    const checkout = await topup.createCheckout(me(res), amount, publicOrigin(req, config));
    res.status(201).json({ status: 'success', checkout });
  });
  router.get('/checkout/:id', async (req, res) => {
    res.json({ status: 'success', checkout: await topup.checkoutStatus(me(res), String(req.params.id)) });
  });
  return router;
}

/** Where Checkout sends the browser back: the public origin it came from (Host is one of them: sameOrigin). */
function publicOrigin(req: Request, config: Config): string {
  const host = req.get('host')?.toLowerCase();
  return config.publicOrigins.find((o) => new URL(o).host === host) ?? config.publicOrigins[0]!;
}

/**
 * Stripe's webhook endpoint (POST /webhooks/stripe, no API key or session: the Stripe-Signature header is the
 * authentication). The body is read raw, as the signature covers the exact bytes. Answers 200 for every verified
 * event (handled, replayed or not ours, so Stripe stops redelivering it), 400 for a bad signature, 404 when Stripe
 * is not configured, and 5xx when the database failed (Stripe then retries).
 */
export function stripeWebhookRoutes(topup: TopupService): Router {
  const router = Router();
  router.post('/webhooks/stripe', express.raw({ type: () => true, limit: 512 * 1024 }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const result = await topup.handleWebhook(body, req.get('stripe-signature'));
    res.json({ received: true, ...result });
  });
  return router;
}
