import Stripe from 'stripe';
import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/connection';
import { withTransaction } from '../../platform/db/transaction';
import { AccountSuspendedError, InvalidInputError, NotFoundError } from '../../platform/errors/app-error';
import type { Logger } from '../../platform/logger';
import { microsToDollars } from '../../platform/lib/money';
import type { AccountsRepository } from '../accounts/accounts.repository';
import type { LedgerRepository } from './ledger.repository';
import type { CheckoutRow, EventOutcome, StripeRepository } from './stripe.repository';
import type { UserRow } from '../dashboard/users.repository';
import { type AccountsService, decodeCursor, ledgerView } from '../accounts/accounts.service';
import type { BillingService } from './billing.service';
import { InvalidSignatureError, PaymentProviderError, TopupNotConfiguredError } from './topup-errors';
import { TRIAL_CREDIT_REASON } from '../dashboard/users.service';

/** The ledger reason of a Stripe top-up: the Checkout Session it paid. */
export const STRIPE_CREDIT_REASON = 'stripe top-up';
const MICROS_PER_CENT = 10_000;
/** The events that mean "this Checkout Session is paid". */
const PAID_EVENTS = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);

export type TopupMethod = 'stripe' | 'link' | 'instructions' | 'admin';
/** The entry types of the balance history (a reserve is the hold behind a capture or release: not shown). */
const HISTORY_TYPES = ['capture', 'release', 'credit', 'debit'] as const;
/** Rows of the balance history per page (the billing page's first page, then "Load more"). */
export const HISTORY_PAGE = 50;

/** What a webhook delivery did; `replayed`: the event id was handled before, and nothing changed now. */
export interface WebhookResult {
  outcome: EventOutcome;
  replayed: boolean;
}

/** The official Stripe client, pointed at STRIPE_API_BASE when set (stripe-mock, tests' stand-in). */
export function createStripeClient(settings: NonNullable<Config['topup']['stripe']>): Stripe {
  const base = settings.apiBase ? new URL(settings.apiBase) : undefined;
  return new Stripe(settings.secretKey, {
    maxNetworkRetries: 1,
    timeout: 15_000,
    telemetry: false,
    appInfo: { name: 'DeepFace API' },
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === 'http:' ? 80 : 443),
          protocol: base.protocol === 'http:' ? 'http' : 'https',
        }
      : {}),
  });
}

/**
 * Adding credit. With Stripe configured: a Checkout Session per top-up (recorded with the account it is for), and
 * a signed webhook that credits the ledger once per paid session and once per event id, in one transaction with
 * the records that make it so. Without Stripe: what the operator configured (a link or instructions), or how an
 * operator credits an account with the admin CLI. Nothing here runs without a signed-in user or a verified
 * signature, and a browser coming back from Checkout credits nothing: only the webhook does.
 */
export class TopupService {
  private readonly now: () => number;

  constructor(
    private readonly deps: {
      db: Db;
      config: Pick<Config, 'topup' | 'dashboard' | 'billing'>;
      accounts: AccountsService;
      accountsRepo: AccountsRepository;
      ledger: LedgerRepository;
      billing: BillingService;
      stripeRepo: StripeRepository;
      stripe?: Stripe;
      logger: Logger;
      now?: () => number;
    },
  ) {
    this.now = deps.now ?? Date.now;
  }

  get method(): TopupMethod {
    const { topup } = this.deps.config;
    if (this.deps.stripe && topup.stripe) return 'stripe';
    if (topup.url) return 'link';
    if (topup.instructions) return 'instructions';
    return 'admin';
  }

  /** How this server takes money, for the billing page. */
  options() {
    const { topup } = this.deps.config;
    const method = this.method;
    return {
      method,
      amounts: method === 'stripe' ? topup.amountsMicros.map(microsToDollars) : [],
      url: method === 'link' ? topup.url! : null,
      instructions: topup.instructions ?? null,
    };
  }

  /** The billing page: balance, the low-balance state, the trial credit, how to add credit, the ledger. */
  async summary(user: UserRow) {
    const { accounts, billing, config } = this.deps;
    const account = await accounts.getAccount(user.account_id);
    const available = account.balance_micros - account.reserved_micros;
    const cheapest = Math.min(
      billing.priceOf(account, 'verify'),
      billing.priceOf(account, 'analyze'),
      billing.priceOf(account, 'lookalike'),
    );
    const trial = await accounts.usage(account.id, { limit: 1000, types: ['credit'] });
    const trialEntry = trial.entries.find((e) => e.reason === TRIAL_CREDIT_REASON);
    const ledger = await accounts.usage(account.id, { limit: HISTORY_PAGE, types: [...HISTORY_TYPES] });
    return {
      currency: 'USD',
      balance: microsToDollars(available),
      reserved: microsToDollars(account.reserved_micros),
      low_balance_threshold: microsToDollars(config.dashboard.lowBalanceMicros),
      low_balance: available < config.dashboard.lowBalanceMicros,
      cheapest_price: microsToDollars(cheapest),
      out_of_credit: available < cheapest,
      trial_credit: trialEntry
        ? {
            amount: microsToDollars(trialEntry.amount_micros),
            granted_at: new Date(trialEntry.created_at).toISOString(),
          }
        : null,
      topup: this.options(),
      entries: ledger.entries.map(ledgerView),
      next_cursor: ledger.nextCursor,
    };
  }

  /** The balance history after `cursor` (the previous page's next_cursor), newest first: the whole ledger pages. */
  async history(user: UserRow, cursor: string, limit = HISTORY_PAGE) {
    const beforeId = decodeCursor(cursor);
    if (beforeId === undefined) throw new InvalidInputError('cursor is not valid.');
    const page = await this.deps.accounts.usage(user.account_id, {
      beforeId,
      limit,
      types: [...HISTORY_TYPES],
    });
    return { entries: page.entries.map(ledgerView), next_cursor: page.nextCursor };
  }

  /** A Stripe Checkout Session for one of the configured amounts; the browser is sent to its `url`. */
  async createCheckout(user: UserRow, amountDollars: number, origin: string) {
    const { stripe, config, stripeRepo, db, logger } = this.deps;
    if (this.method !== 'stripe' || !stripe) throw new TopupNotConfiguredError();
    const amountMicros = config.topup.amountsMicros.find((m) => microsToDollars(m) === amountDollars);
    if (amountMicros === undefined) {
      throw new InvalidInputError(
        `Choose one of the offered amounts: ${config.topup.amountsMicros.map((m) => `$${microsToDollars(m)}`).join(', ')}.`,
      );
    }
    const account = await this.deps.accounts.getAccount(user.account_id);
    if (account.status !== 'active') throw new AccountSuspendedError();
    let session: Stripe.Checkout.Session;
    try {
      session = await stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: 'usd',
              unit_amount: amountMicros / MICROS_PER_CENT,
              product_data: {
                name: 'DeepFace API credit',
                description: `Prepaid balance for account ${account.id}`,
              },
            },
          },
        ],
        client_reference_id: account.id,
        metadata: { account_id: account.id, user_id: user.id },
        payment_intent_data: { metadata: { account_id: account.id } },
        customer_email: user.email,
        success_url: `${origin}/dashboard#/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${origin}/dashboard#/billing?checkout=cancelled`,
      });
    } catch (error) {
      // The SDK's error type and code only: never the request (it carries the key in its headers).
      const e = error as { type?: unknown; code?: unknown; statusCode?: unknown };
      logger.error(
        { stripe_error: { type: e.type, code: e.code, status: e.statusCode } },
        'stripe checkout session not created',
      );
      throw new PaymentProviderError();
    }
    if (!session.url || !session.id) throw new PaymentProviderError();
    const row: CheckoutRow = {
      id: session.id,
      account_id: account.id,
      user_id: user.id,
      amount_micros: amountMicros,
      currency: 'usd',
      status: 'open',
      created_at: this.now(),
      paid_at: null,
      event_id: null,
    };
    try {
      await stripeRepo.insertCheckout(db, row);
    } catch (error) {
      // Unrecorded, a payment for it could not be credited: it must not stay payable.
      await stripe.checkout.sessions.expire(session.id).catch(() => {
        logger.error({ checkout_id: session.id }, 'unrecorded checkout session could not be expired');
      });
      throw error;
    }
    logger.info(
      { account_id: account.id, checkout_id: session.id, amount: microsToDollars(amountMicros) },
      'checkout created',
    );
    return { id: session.id, url: session.url, amount: microsToDollars(amountMicros) };
  }

  /** A Checkout Session of the user's own account (404 for anyone else's, as for keys). */
  async checkoutStatus(user: UserRow, id: string) {
    const row = id.length <= 255 ? await this.deps.stripeRepo.findCheckout(this.deps.db, id) : undefined;
    if (!row || row.account_id !== user.account_id) throw new NotFoundError('No such payment.');
    return {
      id: row.id,
      status: row.status,
      amount: microsToDollars(row.amount_micros),
      created_at: new Date(row.created_at).toISOString(),
      paid_at: row.paid_at === null ? null : new Date(row.paid_at).toISOString(),
    };
  }

  /**
   * A webhook delivery: verified with the endpoint's signing secret on the raw bytes (Stripe's constructEvent,
   * which also refuses timestamps older than 5 minutes), then handled once per event id.
   */
  async handleWebhook(rawBody: Buffer, signature: string | undefined): Promise<WebhookResult> {
    const { stripe, config } = this.deps;
    if (this.method !== 'stripe' || !stripe || !config.topup.stripe) throw new NotFoundError('Not found.');
    let event: Stripe.Event;
    try {
      if (!signature) throw new Error('no signature');
      event = stripe.webhooks.constructEvent(rawBody, signature, config.topup.stripe.webhookSecret);
    } catch {
      throw new InvalidSignatureError();
    }
    if (!PAID_EVENTS.has(event.type)) return { outcome: 'ignored', replayed: false };
    return this.creditPaidSession(event.id, event.type, event.data.object as Stripe.Checkout.Session);
  }

  private async creditPaidSession(
    eventId: string,
    eventType: string,
    session: Stripe.Checkout.Session,
  ): Promise<WebhookResult> {
    const { db, stripeRepo, accountsRepo, ledger, logger } = this.deps;
    const result = await withTransaction(db, async (trx): Promise<WebhookResult & { note?: string }> => {
      const now = this.now();
      const claimed = await stripeRepo.tryInsertEvent(trx, {
        id: eventId,
        type: eventType,
        checkout_id: typeof session.id === 'string' ? session.id.slice(0, 255) : null,
        created_at: now,
      });
      // Handled before: a redelivery or a replay changes nothing.
      if (!claimed)
        return { outcome: (await stripeRepo.eventOutcome(trx, eventId)) ?? 'received', replayed: true };
      const finish = async (outcome: EventOutcome, note?: string) => {
        await stripeRepo.setEventOutcome(trx, eventId, outcome);
        return { outcome, replayed: false, note };
      };
      const checkout =
        typeof session.id === 'string' ? await stripeRepo.findCheckout(trx, session.id) : undefined;
      // Not one of ours (another product on the same Stripe account).
      if (!checkout) return finish('ignored', 'unknown session');
      // Still waiting for an asynchronous payment method: its own event comes when it succeeds.
      if (session.payment_status !== 'paid')
        return finish('ignored', `payment_status ${session.payment_status}`);
      // The account is the one the session was created for; the event must agree on it and on the amount.
      if (
        session.metadata?.account_id !== checkout.account_id ||
        session.client_reference_id !== checkout.account_id
      ) {
        return finish('refused', 'account mismatch');
      }
      if (
        session.amount_total !== checkout.amount_micros / MICROS_PER_CENT ||
        session.currency !== checkout.currency
      ) {
        return finish('refused', 'amount mismatch');
      }
      // One credit per session, whichever of its events arrives first.
      if (!(await stripeRepo.markPaid(trx, checkout.id, eventId, now))) return finish('duplicate_payment');
      if (!(await accountsRepo.credit(trx, checkout.account_id, checkout.amount_micros, now))) {
        throw new Error(`account ${checkout.account_id} vanished while crediting a payment`);
      }
      await ledger.append(trx, {
        account_id: checkout.account_id,
        type: 'credit',
        amount_micros: checkout.amount_micros,
        balance_delta_micros: checkout.amount_micros,
        reserved_delta_micros: 0,
        endpoint: null,
        reservation_id: null,
        request_id: null,
        reason: `${STRIPE_CREDIT_REASON} ${checkout.id}`.slice(0, 500),
        key_id: null,
        created_at: now,
      });
      return finish('credited', `account ${checkout.account_id} +${microsToDollars(checkout.amount_micros)}`);
    });
    const log = result.outcome === 'refused' ? logger.warn.bind(logger) : logger.info.bind(logger);
    log(
      {
        event_id: eventId,
        event_type: eventType,
        outcome: result.outcome,
        replayed: result.replayed,
        note: result.note,
      },
      'stripe webhook',
    );
    return { outcome: result.outcome, replayed: result.replayed };
  }
}
