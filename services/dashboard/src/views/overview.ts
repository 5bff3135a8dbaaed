import { api, type Account, type ApiKey, type Usage } from '../api.js';
import { docsHref } from '../docs-links.js';
import { h, mount } from '../dom.js';
import { usd } from '../format.js';
import type { AppContext } from '../main.js';
import { loadBilling, lowBalanceNotice } from './billing.js';
import { copyButton } from './widgets.js';

export async function renderOverview(main: HTMLElement, ctx: AppContext): Promise<void> {
  mount(main, h('h1', {}, 'Overview'), h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  const [{ account }, { keys }, usage, billing] = await Promise.all([
    api<{ account: Account }>('/account'),
    api<{ keys: ApiKey[] }>('/keys'),
    api<Usage>('/usage?days=30'),
    loadBilling(),
  ]);
  const active = keys.filter((k) => k.status === 'active').length;
  const curl = `curl -s ${location.origin}/v1/account -H "X-API-KEY: <your API key>"`;
  const stat = (label: string, value: string, note: string | Node) =>
    h(
      'div',
      { class: 'card stat' },
      h('p', { class: 'stat-label' }, label),
      h('p', { class: 'stat-value' }, value),
      h('p', { class: 'muted small' }, note),
    );

  mount(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, `Welcome, ${ctx.user.name}`),
      h('p', { class: 'muted' }, `Account ${account.id}`),
    ),
    account.status === 'suspended'
      ? h(
          'p',
          { class: 'notice error', role: 'alert' },
          'This account is suspended: API calls are refused. Contact support.',
        )
      : null,
    lowBalanceNotice(billing),
    h(
      'section',
      { class: 'grid stats', 'aria-label': 'Summary' },
      stat(
        'Available balance',
        usd(account.balance),
        h(
          'span',
          {},
          account.reserved > 0
            ? `${usd(account.reserved)} held by running requests. `
            : 'Prepaid, success-only billing. ',
          h('a', { href: '#/billing' }, 'Billing'),
        ),
      ),
      stat('Requests, last 30 days', String(usage.totals.requests), 'Metered calls that reached the engine'),
      stat('Spent, last 30 days', usd(usage.totals.charged), 'Only successful results are charged'),
      stat(
        'Active API keys',
        String(active),
        active ? 'Manage them under API keys' : 'Create one to call the API',
      ),
    ),
    h(
      'section',
      { class: 'grid two' },
      h(
        'div',
        { class: 'card' },
        h('h2', {}, 'Get started'),
        h(
          'ol',
          { class: 'steps' },
          h(
            'li',
            {},
            h('a', { href: '#/keys' }, 'Create an API key'),
            ' and store it safely: it is shown once.',
          ),
          h(
            'li',
            {},
            'Try the API on your photos in the ',
            h('a', { href: '#/playground' }, 'playground'),
            ', or live in the ',
            h('a', { href: docsHref('verify') }, 'API docs'),
            '.',
          ),
          h('li', {}, 'Call it from your code with the ', h('code', {}, 'X-API-KEY'), ' header:'),
        ),
        h(
          'div',
          { class: 'code-row' },
          h('pre', { class: 'code', tabindex: '0' }, h('code', {}, curl)),
          copyButton(() => curl, 'Copy command'),
        ),
      ),
      h(
        'div',
        { class: 'card' },
        h('h2', {}, 'Prices'),
        h(
          'table',
          { class: 'table compact' },
          h('caption', { class: 'visually-hidden' }, 'Price per successful request'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Endpoint'),
              h('th', { scope: 'col' }, 'Charged when'),
              h('th', { scope: 'col', class: 'num' }, 'Price'),
            ),
          ),
          h(
            'tbody',
            {},
            h(
              'tr',
              {},
              h('td', {}, h('a', { href: docsHref('verify') }, h('code', {}, 'POST /v1/verify'))),
              h('td', {}, 'the ID matches the selfie'),
              h('td', { class: 'num' }, usd(account.prices.verify)),
            ),
            h(
              'tr',
              {},
              h('td', {}, h('a', { href: docsHref('analyze') }, h('code', {}, 'POST /v1/analyze'))),
              h('td', {}, 'a face was analysed'),
              h('td', { class: 'num' }, usd(account.prices.analyze)),
            ),
            h(
              'tr',
              {},
              h('td', {}, h('a', { href: docsHref('lookalike') }, h('code', {}, 'POST /v1/lookalike'))),
              h('td', {}, 'the faces strongly match'),
              h('td', { class: 'num' }, usd(account.prices.lookalike)),
            ),
          ),
        ),
        h('p', { class: 'muted small' }, 'Invalid requests, errors and negative results are never charged.'),
      ),
    ),
  );
}
