import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { TestGateway } from '../../gateway/test/helpers/app';
import { startStripeStandin, type StripeStandin } from '../../gateway/test/helpers/stripe-standin';
import {
  ARTIFACTS,
  BrowserSuite,
  expectText,
  NO_BACKGROUND_TRAFFIC,
  seriousViolations,
  signUpInPage,
} from './support/browser';

/**
 * The money path in a real headless Chromium (Debian's): a new account's low balance is flagged on the overview
 * and in the playground, the warning leads to the billing page (trial credit labelled, ledger explained), "Add
 * credit" goes through Stripe Checkout — the real `stripe` SDK against a local stand-in for Stripe's API, whose
 * checkout page redirects back like Stripe's — and the signed webhook (posted by the test, as Stripe would) credits
 * the balance, which the page shows. At 1280 and 390 px; screenshots in artifacts/browser/. The fake engine is
 * enough: no inference runs here.
 */
const PASSWORD = 'correct horse battery';
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'mobile', width: 390, height: 844 },
];

describe.each(WIDTHS)(
  'the money path in Chromium at $width px (Stripe stand-in)',
  ({ name: size, width, height }) => {
    const suite = new BrowserSuite();
    const { problems } = suite;
    let gw: TestGateway;
    let stripe: StripeStandin;
    let base: string;
    let page: Page;

    beforeAll(async () => {
      stripe = await startStripeStandin();
      ({ gw, base, page } = await suite.start({
        viewport: { width, height },
        env: {
          // The $1.00 trial credit is "low" against a $2.00 threshold: the warning shows from the start.
          LOW_BALANCE_WARNING_USD: '2',
          STRIPE_SECRET_KEY: stripe.secretKey,
          STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
          STRIPE_API_BASE: stripe.base,
          STRIPE_TOPUP_AMOUNTS_USD: '10,25,100',
        },
        args: NO_BACKGROUND_TRAFFIC,
        // The playground's call without credit is answered 402 on purpose, which Chromium logs.
        ignore: (message) =>
          /\/playground\/verify$/.test(message.location().url) && message.text().includes('402'),
      }));
    }, 120_000);

    afterAll(() => suite.stop({ closers: [() => stripe?.close()] }));

    /** A full-page screenshot from the top; nothing may stick out sideways; axe-core checks the screen too. */
    const shots = async (name: string) => {
      const serious = (await seriousViolations(page)).map(
        (v) => `${v.id} (${v.impact}): ${v.targets.join(', ')}`,
      );
      expect({ name, size, serious }).toEqual({ name, size, serious: [] });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(ARTIFACTS, `billing-${name}-${size}.png`), fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect({ name, size, overflow }).toEqual({ name, size, overflow: 0 });
    };
    /** The nav; on a phone it sits behind the Menu disclosure, which is opened first. */
    const nav = async () => {
      if (width < 640) await page.getByRole('button', { name: 'Menu' }).click();
      return page.getByRole('navigation', { name: 'Dashboard' });
    };

    it('signs up and sees the low-balance warning on the overview and in the playground', async () => {
      // Signed up through the dashboard's own API (the sign-up form has its own browser test).
      const status = await signUpInPage(page, base, {
        email: `bea.${Date.now()}@example.test`,
        name: 'Bea Costa',
        password: PASSWORD,
      });
      expect(status).toBe(201);
      await page.goto(`${base}/dashboard#/overview`);
      await page.reload();
      await page.getByRole('heading', { name: 'Welcome, Bea Costa' }).waitFor();
      const warning = page.getByTestId('low-balance');
      await expectText(warning).toContainTextAsync('Your balance is low: $1.00 left');
      await shots('01-overview-low-balance');

      await (await nav()).getByRole('link', { name: 'Playground' }).click();
      await page.getByRole('heading', { name: 'Playground' }).waitFor();
      await expectText(page.getByTestId('low-balance')).toContainTextAsync('$1.00 left');
      await shots('02-playground-low-balance');
    });

    it('follows the warning to the billing page: trial credit labelled, ledger explained', async () => {
      await page.getByTestId('low-balance').getByRole('link', { name: 'Add credit' }).click();
      await page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
      expect(page.url()).toMatch(/#\/billing$/);
      await expectText(page.getByTestId('billing-balance')).toContainTextAsync('$1.00');
      await expectText(page.locator('.trial-note')).toContainTextAsync(
        'Trial credit $1.00 of free credit given when you signed up',
      );
      await expectText(page.locator('table')).toContainTextAsync('Trial credit');
      const guide = page.locator('.ledger-guide');
      await expectText(guide).toContainTextAsync('Released (release)');
      await expectText(guide).toContainTextAsync('Charge (capture)');
      expect(await page.getByRole('radio').count()).toBe(3);
      await shots('03-billing');
    });

    it('out of credit: the playground says so and its 402 links to the billing page', async () => {
      const { account } = await page.evaluate(() =>
        fetch('/dashboard/api/account').then((r) => r.json() as Promise<{ account: { id: string } }>),
      );
      // The operator takes $0.90 back: $0.10 left, less than any call costs.
      await gw.services.billing.adjust(account.id, 'debit', 900_000, 'browser test: spend the trial');
      await (await nav()).getByRole('link', { name: 'Playground' }).click();
      await page.getByRole('heading', { name: 'Playground' }).waitFor();
      await expectText(page.getByTestId('low-balance')).toContainTextAsync('not enough for another call');
      await page.getByRole('button', { name: 'Use sample images' }).click();
      await page.locator('[data-field=img2] img:not([hidden])').waitFor();
      await page.getByRole('button', { name: 'Run verification' }).click();
      const error = page.locator('.form-error');
      await expectText(error).toContainTextAsync('Insufficient balance');
      await shots('04-playground-402');
      await error.getByRole('link', { name: 'Add credit on the billing page' }).click();
      await page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
      await expectText(page.getByTestId('billing-balance')).toContainTextAsync('$0.10');
      await expectText(page.locator('table')).toContainTextAsync(
        'Taken by the operator: browser test: spend the trial',
      );
    });

    it('adds credit through Stripe Checkout; the signed webhook credits it and the page shows it', async () => {
      await page.getByRole('radio', { name: '$25.00' }).check();
      await page.getByRole('button', { name: 'Add credit' }).click();
      // Stripe's (stand-in's) hosted checkout page.
      await page.waitForURL(`${stripe.base}/pay/*`);
      const sessionId = page.url().split('/pay/')[1]!;
      await expectText(page.locator('body')).toContainTextAsync('$25.00');
      await page.screenshot({ path: path.join(ARTIFACTS, `billing-05-stripe-checkout-${size}.png`) });
      await page.getByRole('button', { name: 'Pay $25.00' }).click();

      // Back on the billing page, which waits for the webhook: the return itself credits nothing.
      await page.waitForURL(`${base}/dashboard#/billing?checkout=success&session_id=${sessionId}`);
      await expectText(page.locator('[aria-live]').first()).toContainTextAsync(
        'Waiting for Stripe to confirm',
      );
      await expectText(page.getByTestId('billing-balance')).toContainTextAsync('$0.10');
      await shots('06-billing-waiting');

      // Stripe's webhook delivery, signed with the endpoint's secret.
      const payload = JSON.stringify(stripe.paidEvent(sessionId));
      const res = await fetch(`${base}/webhooks/stripe`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Stripe-Signature': stripe.sign(payload) },
        body: payload,
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ received: true, outcome: 'credited', replayed: false });

      await expectText(page.getByTestId('payment-received')).toContainTextAsync(
        '$25.00 added to your balance',
      );
      await expectText(page.getByTestId('billing-balance')).toContainTextAsync('$25.10');
      await expectText(page.locator('table')).toContainTextAsync('Top-up');
      expect(await page.getByTestId('low-balance').count()).toBe(0);
      await shots('07-billing-paid');

      // The overview no longer warns.
      await (await nav()).getByRole('link', { name: 'Overview' }).click();
      await page.getByRole('heading', { name: 'Welcome, Bea Costa' }).waitFor();
      await expectText(page.locator('.stat').first()).toContainTextAsync('$25.10');
      expect(await page.getByTestId('low-balance').count()).toBe(0);
    });

    it('pages the balance history past its first 50 rows ("Load more"), focus on the first new row', async () => {
      const me = (await (await page.request.get(`${base}/dashboard/api/account`)).json()) as {
        account: { id: string };
      };
      for (let i = 1; i <= 60; i++) {
        await gw.services.billing.adjust(me.account.id, 'credit', 10_000, `browser test: row ${i}`);
      }
      await (await nav()).getByRole('link', { name: 'Billing' }).click();
      await page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
      const rows = page.locator('table.billing-ledger tbody tr');
      await rows.nth(49).waitFor();
      expect(await rows.count()).toBe(50);
      // 60 credits, the top-up, the operator's debit and the trial credit: 63 rows in all.
      await page.getByRole('button', { name: 'Load more' }).click();
      await rows.nth(62).waitFor();
      expect(await rows.count()).toBe(63);
      await expectText(rows.last()).toContainTextAsync('Trial credit');
      expect(await page.getByRole('button', { name: 'Load more' }).isHidden()).toBe(true);
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TD');
      await shots('08-billing-history-paged');
    });

    it('explains test keys where keys are created', async () => {
      await (await nav()).getByRole('link', { name: 'API keys' }).click();
      await page.getByLabel('Mode').selectOption('test');
      const help = page.locator('#key-mode-help');
      await expectText(help).toContainTextAsync('free sandbox');
      await expectText(help).toContainTextAsync('never spend your balance');
      expect(await page.getByLabel('Mode').getAttribute('aria-describedby')).toBe('key-mode-help');
      await shots('key-modes');
      await page.getByLabel('Mode').selectOption('live');
      await expectText(help).toContainTextAsync('spend your balance');
    });

    it('raised no page errors and no CSP violations', () => {
      expect(problems).toEqual([]);
    });
  },
);
