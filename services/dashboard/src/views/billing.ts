import { ApiError, api, type LedgerEntry } from '../api.js';
import { h, mount } from '../dom.js';
import { dateTime, usd } from '../format.js';
import type { AppContext } from '../main.js';

/** GET /dashboard/api/billing: the balance, the low-balance state, the trial credit, how to add credit, the ledger. */
export interface Billing {
  currency: 'USD';
  balance: number;
  reserved: number;
  low_balance_threshold: number;
  low_balance: boolean;
  cheapest_price: number;
  out_of_credit: boolean;
  trial_credit: { amount: number; granted_at: string } | null;
  topup: {
    method: 'stripe' | 'link' | 'instructions' | 'admin';
    amounts: number[];
    url: string | null;
    instructions: string | null;
  };
  entries: LedgerEntry[];
  /** More history beyond these entries: GET /billing/history?cursor=… ("Load more"). */
  next_cursor?: string | null;
}

interface Checkout {
  id: string;
  status: 'open' | 'paid';
  amount: number;
}

const TRIAL_REASON = 'sign-up trial credit';
const STRIPE_REASON = 'stripe top-up';

export const loadBilling = () => api<{ billing: Billing }>('/billing').then((r) => r.billing);

/**
 * The low-balance warning shown on the overview and in the playground (null while the balance is fine): what is
 * left, why it matters, and a link to the billing page.
 */
export function lowBalanceNotice(billing: Billing): HTMLElement | null {
  if (!billing.low_balance && !billing.out_of_credit) return null;
  const text = billing.out_of_credit
    ? `Your balance is ${usd(billing.balance)}: not enough for another call (from ${usd(billing.cheapest_price)}). API calls are refused with 402 until you add credit.`
    : `Your balance is low: ${usd(billing.balance)} left (the warning shows below ${usd(billing.low_balance_threshold)}).`;
  return h(
    'div',
    { class: 'notice warning low-balance', role: 'status', 'data-testid': 'low-balance' },
    h('p', {}, text),
    h('a', { class: 'btn primary small', href: '#/billing' }, 'Add credit'),
  );
}

/** A ledger row in plain words. */
function describe(entry: LedgerEntry): { label: string; detail: string } {
  const endpoint = entry.endpoint ? `/v1/${entry.endpoint}` : '';
  switch (entry.type) {
    case 'capture':
      return { label: 'Charge', detail: `A successful ${endpoint} call was billed.` };
    case 'release':
      return {
        label: 'Released, not charged',
        detail: `A ${endpoint} call failed or was refused: the price held while it ran was given back.`,
      };
    case 'credit':
      if (entry.reason === TRIAL_REASON)
        return { label: 'Trial credit', detail: 'Free credit given at sign-up.' };
      if (entry.reason?.startsWith(STRIPE_REASON))
        return { label: 'Top-up', detail: 'Card payment (Stripe).' };
      return { label: 'Credit', detail: entry.reason ? `Added by the operator: ${entry.reason}` : 'Added.' };
    case 'debit':
      return { label: 'Debit', detail: entry.reason ? `Taken by the operator: ${entry.reason}` : 'Taken.' };
    default:
      return { label: entry.type, detail: entry.reason ?? '' };
  }
}

function ledgerGuide(): HTMLElement {
  const item = (term: string, text: string) => [h('dt', {}, term), h('dd', {}, text)];
  return h(
    'dl',
    { class: 'ledger-guide' },
    ...item(
      'Charge (capture)',
      'A call succeeded and was billed: its price was taken from your balance. Only successful results are charged.',
    ),
    ...item(
      'Released (release)',
      'While a call runs its price is held (shown as “held by running requests”). When the call fails, is refused or finds no match, the hold is released: nothing is charged.',
    ),
    ...item('Trial credit', 'The free credit every new account gets, to try the API.'),
    ...item('Top-up', 'Credit you bought with a card through Stripe.'),
    ...item('Credit / Debit', 'A correction made by the operator of this server, with its reason.'),
    ...item(
      'Test keys',
      'Calls with a df_test_ key are a free sandbox on the sample images: they never appear here and never touch the balance.',
    ),
  );
}

function ledgerRow(entry: LedgerEntry): HTMLTableRowElement {
  const { label, detail } = describe(entry);
  const change = entry.balance_change;
  return h(
    'tr',
    {},
    h('td', {}, dateTime(entry.created_at)),
    h('td', {}, h('span', { class: `badge ${entry.type}` }, label)),
    h('td', {}, detail),
    h('td', { class: 'num' }, change === 0 ? usd(0) : `${change > 0 ? '+' : '−'}${usd(Math.abs(change))}`),
  );
}

/**
 * The balance history: the summary's first page, then "Load more" (cursor paging) for the rest of the ledger.
 * After loading, focus moves to the first new row's first cell, never lost with the button.
 */
function ledgerHistory(entries: LedgerEntry[], nextCursor: string | null): HTMLElement {
  if (entries.length === 0) return h('p', { class: 'empty' }, 'Nothing yet.');
  const tbody = h('tbody', {}, ...entries.map(ledgerRow));
  const status = h('p', { class: 'visually-hidden', role: 'status' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const more = h(
    'button',
    { type: 'button', class: 'btn secondary small', hidden: nextCursor === null },
    'Load more',
  );
  let next = nextCursor;
  more.addEventListener('click', () => {
    if (!next) return;
    more.disabled = true;
    error.hidden = true;
    api<{ entries: LedgerEntry[]; next_cursor: string | null }>(
      `/billing/history?cursor=${encodeURIComponent(next)}`,
    )
      .then((page) => {
        const added = page.entries.map(ledgerRow);
        tbody.append(...added);
        next = page.next_cursor;
        more.hidden = next === null;
        const count = tbody.rows.length;
        status.textContent = `${count} rows shown${next ? ', more available' : ''}.`;
        const cell = added[0]?.firstElementChild as HTMLElement | undefined;
        if (cell) {
          cell.tabIndex = -1;
          cell.focus();
        }
      })
      .catch((e: unknown) => {
        error.textContent = e instanceof ApiError ? e.message : String(e);
        error.hidden = false;
      })
      .finally(() => (more.disabled = false));
  });
  return h('div', {}, error, ledgerTable(tbody), status, h('div', { class: 'table-tools end' }, more));
}

function ledgerTable(tbody: HTMLTableSectionElement): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Balance history' },
    h(
      'table',
      { class: 'table billing-ledger' },
      h('caption', { class: 'visually-hidden' }, 'Balance history, newest first'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['When', 'What', 'Details', 'Balance change'].map((c, i) =>
            h('th', { scope: 'col', class: i === 3 ? 'num' : null }, c),
          ),
        ),
      ),
      tbody,
    ),
  );
}

/** The "Add credit" card: Stripe Checkout, the operator's link or instructions, or how the operator adds credit. */
function addCreditCard(billing: Billing, accountId: string): HTMLElement {
  const { topup } = billing;
  const title = h('h2', { id: 'add-credit-title' }, 'Add credit');
  const card = (...children: (Node | null)[]) =>
    h('section', { class: 'card add-credit', 'aria-labelledby': 'add-credit-title' }, title, ...children);
  const operatorText = topup.instructions
    ? h('p', { class: 'topup-instructions' }, topup.instructions)
    : null;

  if (topup.method === 'stripe') {
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'btn primary' }, 'Add credit');
    const choices = h(
      'fieldset',
      { class: 'segmented-radio amounts' },
      h('legend', { class: 'visually-hidden' }, 'Amount'),
      ...topup.amounts.map((amount, i) =>
        h(
          'label',
          {},
          h('input', { type: 'radio', name: 'amount', value: String(amount), checked: i === 0 }),
          h('span', {}, usd(amount)),
        ),
      ),
    );
    const form = h('form', { class: 'topup-form', 'aria-label': 'Add credit' }, choices, submit);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const picked = form.querySelector<HTMLInputElement>('input[name=amount]:checked');
      if (!picked) return;
      submit.disabled = true;
      submit.setAttribute('aria-busy', 'true');
      error.hidden = true;
      api<{ checkout: { url: string } }>('/billing/checkout', { amount: Number(picked.value) })
        .then(({ checkout }) => location.assign(checkout.url))
        .catch((e: unknown) => {
          error.textContent = e instanceof ApiError ? e.message : String(e);
          error.hidden = false;
          submit.disabled = false;
          submit.removeAttribute('aria-busy');
        });
    });
    return card(
      h(
        'p',
        { class: 'muted' },
        'Choose an amount. You pay by card on Stripe’s secure checkout page, then come back here.',
      ),
      form,
      error,
      h(
        'p',
        { class: 'muted small' },
        'The credit is added once Stripe confirms the payment, usually within seconds. It never expires and pays for live API calls.',
      ),
    );
  }
  if (topup.method === 'link') {
    return card(
      h(
        'p',
        {},
        'Credit is bought from the operator of this server. Quote your account id: ',
        h('code', {}, accountId),
        '.',
      ),
      operatorText,
      h(
        'a',
        { class: 'btn primary', href: topup.url!, rel: 'noopener noreferrer', target: '_blank' },
        'Add credit',
      ),
    );
  }
  if (topup.method === 'instructions') {
    return card(
      h('p', {}, 'How to add credit on this server (your account id is ', h('code', {}, accountId), '):'),
      operatorText,
    );
  }
  const command = `pnpm admin account:credit ${accountId} 25 --reason "top-up"`;
  return card(
    h(
      'p',
      {},
      'Card payments are not set up on this server. Ask its operator to add credit; they do it with the admin CLI:',
    ),
    h('pre', { class: 'code', tabindex: '0' }, h('code', {}, command)),
    h(
      'p',
      { class: 'muted small' },
      'Operators: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET to take card payments here, or TOPUP_URL / TOPUP_INSTRUCTIONS to show your own way to pay (see the README).',
    ),
  );
}

/** After Stripe Checkout: wait for the webhook to credit the payment (the return itself credits nothing). */
async function followCheckout(slot: HTMLElement, id: string, refresh: () => Promise<void>): Promise<void> {
  mount(
    slot,
    h('p', { class: 'notice', role: 'status' }, 'Payment submitted. Waiting for Stripe to confirm it…'),
  );
  for (let attempt = 0; attempt < 60; attempt++) {
    let checkout: Checkout;
    try {
      checkout = (await api<{ checkout: Checkout }>(`/billing/checkout/${encodeURIComponent(id)}`)).checkout;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        mount(
          slot,
          h('p', { class: 'notice error', role: 'alert' }, 'This payment was not found for your account.'),
        );
        return;
      }
      throw error;
    }
    if (checkout.status === 'paid') {
      mount(
        slot,
        h(
          'p',
          { class: 'notice ok', role: 'status', 'data-testid': 'payment-received' },
          `Payment received: ${usd(checkout.amount)} added to your balance.`,
        ),
      );
      await refresh();
      return;
    }
    if (!slot.isConnected) return;
    await new Promise((resolve) => setTimeout(resolve, attempt < 10 ? 1000 : 3000));
  }
  mount(
    slot,
    h(
      'p',
      { class: 'notice', role: 'status' },
      'Stripe has not confirmed the payment yet. It will appear in your balance as soon as it does; reload this page later.',
    ),
  );
}

export async function renderBilling(main: HTMLElement, _ctx: AppContext): Promise<void> {
  mount(main, h('h1', {}, 'Billing'), h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  const [billing, { account }] = await Promise.all([
    loadBilling(),
    api<{ account: { id: string } }>('/account'),
  ]);
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const checkoutSlot = h('div', { 'aria-live': 'polite' });
  const balanceCard = h('section', { class: 'card balance-card', 'aria-labelledby': 'balance-title' });
  const ledger = h('div', {});

  const paint = (b: Billing) => {
    mount(
      balanceCard,
      h('h2', { id: 'balance-title', class: 'stat-label' }, 'Available balance'),
      h('p', { class: 'stat-value', 'data-testid': 'billing-balance' }, usd(b.balance)),
      b.reserved > 0 ? h('p', { class: 'muted small' }, `${usd(b.reserved)} held by running requests`) : null,
      b.trial_credit
        ? h(
            'p',
            { class: 'trial-note' },
            h('span', { class: 'badge credit' }, 'Trial credit'),
            ` ${usd(b.trial_credit.amount)} of free credit given when you signed up (${dateTime(b.trial_credit.granted_at)}), to try the API.`,
          )
        : null,
      lowBalanceNotice(b),
    );
    mount(ledger, ledgerHistory(b.entries, b.next_cursor ?? null));
  };
  const refresh = async () => paint(await loadBilling());
  paint(billing);

  mount(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Billing'),
      h(
        'p',
        { class: 'muted' },
        'Prepaid balance in US dollars. Only successful results are charged; invalid requests, errors and negative results are free.',
      ),
    ),
    checkoutSlot,
    h('div', { class: 'grid two' }, balanceCard, addCreditCard(billing, account.id)),
    h(
      'section',
      { class: 'card flush', 'aria-labelledby': 'ledger-title' },
      h('h2', { id: 'ledger-title', class: 'card-title' }, 'Balance history'),
      ledger,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'guide-title' },
      h('h2', { id: 'guide-title' }, 'What the rows mean'),
      ledgerGuide(),
    ),
  );

  const sessionId = params.get('session_id');
  if (params.get('checkout') === 'success' && sessionId) {
    followCheckout(checkoutSlot, sessionId, refresh).catch((error: unknown) =>
      mount(checkoutSlot, h('p', { class: 'notice error', role: 'alert' }, (error as Error).message)),
    );
  } else if (params.get('checkout') === 'cancelled') {
    mount(
      checkoutSlot,
      h('p', { class: 'notice', role: 'status' }, 'Payment cancelled: nothing was charged.'),
    );
  }
}
