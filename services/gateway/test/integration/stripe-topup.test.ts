import request from 'supertest';
import type { DbKind } from '../helpers/database';
import { StripeRepository } from '../../src/features/billing/stripe.repository';
import { startGateway, type TestGateway } from '../helpers/app';
import { dashboardClient, type Browser } from '../helpers/dashboard';
import { startStripeStandin, type StripeStandin } from '../helpers/stripe-standin';

/**
 * The money path's "Add credit": Stripe Checkout through the real `stripe` SDK, pointed (STRIPE_API_BASE) at a
 * local stand-in for Stripe's API, and the signed webhook that credits the ledger exactly once. On MariaDB and
 * SQLite, with the real app.
 */
const balanceOf = async (gw: TestGateway, accountId: string) => {
  const account = await gw.services.accounts.getAccount(accountId);
  return account.balance_micros - account.reserved_micros;
};
const creditsOf = async (gw: TestGateway, accountId: string) =>
  (await gw.services.accounts.usage(accountId, { limit: 100, types: ['credit'] })).entries;

describe.each<DbKind>(['mysql', 'sqlite'])('Stripe top-ups (%s)', (db) => {
  let gw: TestGateway;
  let stripe: StripeStandin;
  let client: ReturnType<typeof dashboardClient>;

  beforeAll(async () => {
    stripe = await startStripeStandin();
    gw = await startGateway({
      db,
      env: {
        PASSWORD_SCRYPT_LOG2N: '12',
        SIGNUPS_PER_IP_PER_HOUR: '1000',
        STRIPE_SECRET_KEY: stripe.secretKey,
        STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
        STRIPE_API_BASE: stripe.base,
        STRIPE_TOPUP_AMOUNTS_USD: '10,25',
      },
    });
    client = dashboardClient(gw.app);
  });
  afterAll(async () => {
    await gw?.close();
    await stripe?.close();
  });

  const accountOf = async (b: Browser) => {
    const res = await client.get('/account', b);
    return res.body.account.id as string;
  };
  const checkout = async (b: Browser, amount = 10) => {
    const res = await client.post('/billing/checkout', { amount }, b);
    expect(res.status).toBe(201);
    return res.body.checkout as { id: string; url: string; amount: number };
  };
  const deliver = (payload: string, signature?: string) => {
    const req = request(gw.app).post('/webhooks/stripe').set('Content-Type', 'application/json');
    return (signature === undefined ? req : req.set('Stripe-Signature', signature)).send(payload);
  };

  it('shows the billing summary: balance, trial credit, low-balance state, Stripe amounts', async () => {
    const b = await client.signUp();
    const res = await client.get('/billing', b);
    expect(res.status).toBe(200);
    expect(res.body.billing).toMatchObject({
      currency: 'USD',
      balance: 1,
      low_balance_threshold: 0.5,
      low_balance: false,
      out_of_credit: false,
      trial_credit: { amount: 1 },
      topup: { method: 'stripe', amounts: [10, 25], url: null },
    });
    expect(res.body.billing.entries).toEqual([
      expect.objectContaining({ type: 'credit', reason: 'sign-up trial credit', amount: 1 }),
    ]);
    expect((await client.get('/billing')).status).toBe(401);
  });

  it('pages the balance history past its first 50 entries, newest first, only the account’s own', async () => {
    const b = await client.signUp();
    const account = await accountOf(b);
    for (let i = 1; i <= 120; i++) await gw.services.billing.adjust(account, 'credit', 10_000, `row ${i}`);
    const first = (await client.get('/billing', b)).body.billing as {
      entries: { id: string; reason: string }[];
      next_cursor: string | null;
    };
    expect(first.entries).toHaveLength(50);
    expect(first.entries[0]!.reason).toBe('row 120');
    const seen = [...first.entries];
    let cursor = first.next_cursor;
    let pages = 1;
    while (cursor && pages < 10) {
      const res = await client.get(`/billing/history?cursor=${encodeURIComponent(cursor)}`, b);
      expect(res.status).toBe(200);
      seen.push(...(res.body.entries as typeof seen));
      cursor = res.body.next_cursor as string | null;
      pages++;
    }
    expect(pages).toBe(3);
    // 120 adjustments and the trial credit, each once, newest first.
    expect(seen).toHaveLength(121);
    expect(new Set(seen.map((e) => e.id)).size).toBe(121);
    expect(seen.map((e) => e.reason)).toEqual([
      ...Array.from({ length: 120 }, (_, i) => `row ${120 - i}`),
      'sign-up trial credit',
    ]);
    // Someone else holding this cursor sees only their own (older) entries; bad input is a 400.
    const other = await client.signUp();
    const theirs = await client.get(
      `/billing/history?cursor=${encodeURIComponent(first.next_cursor!)}`,
      other,
    );
    expect((theirs.body.entries as { reason: string }[]).map((e) => e.reason)).not.toContain('row 70');
    for (const q of [
      '',
      '?cursor=bm9wZQ',
      `?cursor=${encodeURIComponent(first.next_cursor!)}&limit=1000`,
      '?x=1',
    ]) {
      expect((await client.get(`/billing/history${q}`, b)).status).toBe(400);
    }
    expect(
      (await client.get(`/billing/history?cursor=${encodeURIComponent(first.next_cursor!)}`)).status,
    ).toBe(401);
  });

  it('creates a Checkout Session with the SDK for the signed-in account, and refuses other amounts', async () => {
    const b = await client.signUp();
    const accountId = await accountOf(b);
    const before = stripe.requests.length;
    const session = await checkout(b, 25);
    expect(session.url).toBe(`${stripe.base}/pay/${session.id}`);
    expect(session.amount).toBe(25);
    const sent = stripe.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      method: 'POST',
      path: '/v1/checkout/sessions',
      bearer: stripe.secretKey,
    });
    expect(sent[0]!.form).toMatchObject({
      mode: 'payment',
      'line_items[0][price_data][unit_amount]': '2500',
      'line_items[0][price_data][currency]': 'usd',
      'line_items[0][quantity]': '1',
      client_reference_id: accountId,
      'metadata[account_id]': accountId,
      customer_email: b.email,
      success_url:
        'http://127.0.0.1:8080/dashboard#/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://127.0.0.1:8080/dashboard#/billing?checkout=cancelled',
    });
    expect((await client.get(`/billing/checkout/${session.id}`, b)).body.checkout).toMatchObject({
      id: session.id,
      status: 'open',
      amount: 25,
    });

    // Not an offered amount, not a number, no CSRF token: refused before Stripe is asked.
    for (const body of [{ amount: 12 }, { amount: '10' }, {}, { amount: 10, extra: 1 }]) {
      const res = await client.post('/billing/checkout', body, b);
      expect(res.status).toBe(400);
      expect(res.body.result).toBe('invalid_input');
    }
    const noCsrf = await client.post(
      '/billing/checkout',
      { amount: 10 },
      { cookie: b.cookie, csrf: 'x'.repeat(43) },
    );
    expect(noCsrf.status).toBe(403);
    expect(stripe.requests.length).toBe(before + 1);
  });

  it('credits a paid session once: a valid webhook credits, replays and a second event for it credit nothing', async () => {
    const b = await client.signUp();
    const accountId = await accountOf(b);
    const session = await checkout(b, 10);
    const start = await balanceOf(gw, accountId);

    const event = JSON.stringify(stripe.paidEvent(session.id));
    const first = await deliver(event, stripe.sign(event));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: true, outcome: 'credited', replayed: false });
    expect(await balanceOf(gw, accountId)).toBe(start + 10_000_000);

    // The same event again (Stripe redelivers; an attacker replays a captured one), freshly signed or not.
    for (const signature of [stripe.sign(event), stripe.sign(event)]) {
      const again = await deliver(event, signature);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ received: true, outcome: 'credited', replayed: true });
    }
    // Another event for the same session (async_payment_succeeded after completed): still one credit.
    const second = JSON.stringify({
      ...stripe.paidEvent(session.id),
      type: 'checkout.session.async_payment_succeeded',
    });
    const other = await deliver(second, stripe.sign(second));
    expect(other.body).toMatchObject({ outcome: 'duplicate_payment', replayed: false });

    expect(await balanceOf(gw, accountId)).toBe(start + 10_000_000);
    const credits = (await creditsOf(gw, accountId)).filter((e) => e.reason?.startsWith('stripe top-up'));
    expect(credits).toHaveLength(1);
    expect(credits[0]).toMatchObject({ amount_micros: 10_000_000, reason: `stripe top-up ${session.id}` });
    expect((await client.get(`/billing/checkout/${session.id}`, b)).body.checkout.status).toBe('paid');
    expect(await gw.services.accounts.reconcile()).toEqual([]);
  });

  it('credits once when the same event arrives many times at once', async () => {
    const b = await client.signUp();
    const accountId = await accountOf(b);
    const session = await checkout(b, 10);
    const start = await balanceOf(gw, accountId);
    const event = JSON.stringify(stripe.paidEvent(session.id));
    const answers = await Promise.all(Array.from({ length: 6 }, () => deliver(event, stripe.sign(event))));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(answers.filter((a) => a.body.replayed === false)).toHaveLength(1);
    expect(await balanceOf(gw, accountId)).toBe(start + 10_000_000);
    expect(await gw.services.accounts.reconcile()).toEqual([]);
  });

  it('refuses a bad, missing or foreign signature and a tampered body with 400, crediting nothing', async () => {
    const b = await client.signUp();
    const accountId = await accountOf(b);
    const session = await checkout(b, 10);
    const start = await balanceOf(gw, accountId);
    const event = JSON.stringify(stripe.paidEvent(session.id));
    const tampered = event.replace('"amount_total":1000', '"amount_total":100000');
    expect(tampered).not.toBe(event);
    const cases: Array<[string, string | undefined]> = [
      [event, undefined],
      [event, 'nonsense'],
      [event, stripe.sign(event, 'whsec_someoneelsessecret0000')],
      [tampered, stripe.sign(event)],
      // Signed an hour ago: a captured delivery replayed later (Stripe's tolerance is 5 minutes).
      [event, stripe.sign(event, undefined, Math.floor(Date.now() / 1000) - 3600)],
      [event, stripe.sign(event).replace(/v1=([0-9a-f])/, (_m, c: string) => `v1=${c === '0' ? '1' : '0'}`)],
    ];
    for (const [payload, signature] of cases) {
      const res = await deliver(payload, signature);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 'failed', result: 'invalid_signature' });
    }
    expect(await balanceOf(gw, accountId)).toBe(start);
    expect((await client.get(`/billing/checkout/${session.id}`, b)).body.checkout.status).toBe('open');
    // The same event, properly signed, still credits afterwards: the refusals recorded nothing.
    expect((await deliver(event, stripe.sign(event))).body.outcome).toBe('credited');
  });

  it('never credits one account with another account’s session', async () => {
    const alice = await client.signUp();
    const bob = await client.signUp();
    const [aliceId, bobId] = [await accountOf(alice), await accountOf(bob)];
    const session = await checkout(alice, 10);
    const [aliceStart, bobStart] = [await balanceOf(gw, aliceId), await balanceOf(gw, bobId)];

    // Bob cannot see Alice's payment (404, as for a missing one), e.g. by pasting her return URL.
    expect((await client.get(`/billing/checkout/${session.id}`, bob)).status).toBe(404);
    expect((await client.get('/billing/checkout/cs_test_doesnotexist', bob)).status).toBe(404);

    // An event for Alice's session that names Bob's account (in metadata or client_reference_id) is refused.
    for (const changes of [
      { metadata: { account_id: bobId } },
      { client_reference_id: bobId },
      { metadata: { account_id: bobId }, client_reference_id: bobId },
    ]) {
      const event = JSON.stringify(stripe.paidEvent(session.id, changes));
      const res = await deliver(event, stripe.sign(event));
      expect(res.status).toBe(200);
      expect(res.body.outcome).toBe('refused');
    }
    // An amount other than the one the session was created for is refused too.
    const more = JSON.stringify(stripe.paidEvent(session.id, { amount_total: 1_000_000 }));
    expect((await deliver(more, stripe.sign(more))).body.outcome).toBe('refused');
    expect(await balanceOf(gw, bobId)).toBe(bobStart);
    expect(await balanceOf(gw, aliceId)).toBe(aliceStart);

    // A session this gateway never created (another product on the same Stripe account) is ignored.
    const foreign = JSON.stringify({
      ...stripe.paidEvent(session.id),
      data: { object: { ...stripe.sessions.get(session.id), id: 'cs_test_notours', payment_status: 'paid' } },
    });
    expect((await deliver(foreign, stripe.sign(foreign))).body.outcome).toBe('ignored');

    // The genuine event credits Alice, and only Alice.
    const genuine = JSON.stringify(stripe.paidEvent(session.id));
    expect((await deliver(genuine, stripe.sign(genuine))).body.outcome).toBe('credited');
    expect(await balanceOf(gw, aliceId)).toBe(aliceStart + 10_000_000);
    expect(await balanceOf(gw, bobId)).toBe(bobStart);
    expect(await gw.services.accounts.reconcile()).toEqual([]);
  });

  it('does not credit a completed session whose payment is still pending', async () => {
    const b = await client.signUp();
    const accountId = await accountOf(b);
    const session = await checkout(b, 10);
    const start = await balanceOf(gw, accountId);
    const event = JSON.stringify(stripe.paidEvent(session.id, { payment_status: 'unpaid' }));
    expect((await deliver(event, stripe.sign(event))).body.outcome).toBe('ignored');
    expect(await balanceOf(gw, accountId)).toBe(start);
  });

  it('answers 503 and records nothing when Stripe cannot create the session', async () => {
    const b = await client.signUp();
    stripe.failWith = 500;
    try {
      const res = await client.post('/billing/checkout', { amount: 10 }, b);
      expect(res.status).toBe(503);
      expect(res.body.result).toBe('payment_provider_unavailable');
    } finally {
      stripe.failWith = undefined;
    }
  });

  it('expires a session it could not record, so that nobody pays for an uncreditable session', async () => {
    const b = await client.signUp();
    const before = new Set(stripe.sessions.keys());
    const insert = jest
      .spyOn(StripeRepository.prototype, 'insertCheckout')
      .mockRejectedValueOnce(new Error('database went away'));
    try {
      const res = await client.post('/billing/checkout', { amount: 10 }, b);
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      insert.mockRestore();
    }
    const created = [...stripe.sessions.values()].filter((s) => !before.has(s.id));
    expect(created).toHaveLength(1);
    expect(created[0]!.status).toBe('expired');
  });

  it('never logs the Stripe secrets', () => {
    const logs = gw.logs.join('\n');
    expect(logs).toContain('stripe webhook');
    expect(logs).not.toContain(stripe.secretKey);
    expect(logs).not.toContain(stripe.webhookSecret);
  });
});

describe('adding credit without Stripe (SQLite)', () => {
  const start = (env: Record<string, string>) =>
    startGateway({
      db: 'sqlite',
      env: { PASSWORD_SCRYPT_LOG2N: '12', SIGNUPS_PER_IP_PER_HOUR: '1000', ...env },
    });

  it('offers the operator’s link, else instructions, else the admin CLI; no checkout, no webhook', async () => {
    const cases: Array<[Record<string, string>, object]> = [
      [
        { TOPUP_URL: 'https://pay.example.test/deepface' },
        { method: 'link', url: 'https://pay.example.test/deepface' },
      ],
      [
        { TOPUP_INSTRUCTIONS: 'Write to billing@example.test.' },
        { method: 'instructions', instructions: 'Write to billing@example.test.' },
      ],
      [{}, { method: 'admin', url: null, instructions: null, amounts: [] }],
    ];
    for (const [env, topup] of cases) {
      const gw = await start({ ...env, LOW_BALANCE_WARNING_USD: '2' });
      try {
        const client = dashboardClient(gw.app);
        const b = await client.signUp();
        const billing = (await client.get('/billing', b)).body.billing;
        expect(billing.topup).toMatchObject(topup);
        expect(billing).toMatchObject({ low_balance: true, low_balance_threshold: 2 });
        const res = await client.post('/billing/checkout', { amount: 10 }, b);
        expect(res.status).toBe(409);
        expect(res.body.result).toBe('payments_not_configured');
        const hook = await request(gw.app)
          .post('/webhooks/stripe')
          .set('Content-Type', 'application/json')
          .set('Stripe-Signature', 't=1,v1=00')
          .send('{}');
        expect(hook.status).toBe(404);
      } finally {
        await gw.close();
      }
    }
  });
});
