import { api, type Account, type Usage } from '../api.js';
import { SERIES, usageChart } from '../chart.js';
import { h, mount } from '../dom.js';
import { dateTime, usd } from '../format.js';
import type { AppContext } from '../main.js';

const RANGES = [7, 30, 90];

export async function renderUsage(main: HTMLElement, _ctx: AppContext): Promise<void> {
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const days = RANGES.includes(Number(params.get('days'))) ? Number(params.get('days')) : 30;
  mount(main, h('h1', {}, 'Usage'), h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  const [usage, { account }] = await Promise.all([
    api<Usage>(`/usage?days=${days}`),
    api<{ account: Account }>('/account'),
  ]);

  const range = h(
    'nav',
    { class: 'segmented', 'aria-label': 'Period' },
    ...RANGES.map((d) =>
      h('a', { href: `#/usage?days=${d}`, 'aria-current': d === days ? 'true' : null }, `${d} days`),
    ),
  );
  const legend = h(
    'ul',
    { class: 'legend', 'aria-label': 'Legend' },
    ...SERIES.map((s) =>
      h('li', {}, h('span', { class: `swatch ${s.className}`, 'aria-hidden': 'true' }), s.label),
    ),
  );
  const entries = usage.recent.map((e) =>
    h(
      'tr',
      {},
      h('td', {}, dateTime(e.created_at)),
      h('td', {}, h('span', { class: `badge ${e.type}` }, e.type)),
      h('td', {}, e.endpoint ?? '—'),
      h(
        'td',
        { class: 'num' },
        e.balance_change === 0
          ? usd(0)
          : `${e.balance_change > 0 ? '+' : '−'}${usd(Math.abs(e.balance_change))}`,
      ),
      h('td', { class: 'mono small' }, e.reason ?? e.request_id ?? ''),
    ),
  );

  mount(
    main,
    h(
      'div',
      { class: 'page-head row' },
      h(
        'div',
        {},
        h('h1', {}, 'Usage'),
        h('p', { class: 'muted' }, 'Metered requests per day (UTC) and every money movement.'),
      ),
      range,
    ),
    h(
      'section',
      { class: 'grid stats three', 'aria-label': 'Totals' },
      h(
        'div',
        { class: 'card stat' },
        h('p', { class: 'stat-label' }, `Requests, ${days} days`),
        h('p', { class: 'stat-value' }, String(usage.totals.requests)),
      ),
      h(
        'div',
        { class: 'card stat' },
        h('p', { class: 'stat-label' }, `Spent, ${days} days`),
        h('p', { class: 'stat-value' }, usd(usage.totals.charged)),
      ),
      h(
        'div',
        { class: 'card stat' },
        h('p', { class: 'stat-label' }, 'Available balance'),
        h('p', { class: 'stat-value' }, usd(account.balance)),
      ),
    ),
    h(
      'figure',
      { class: 'card chart-card' },
      h('figcaption', {}, h('h2', {}, 'Requests per day'), legend),
      usageChart(usage.days),
    ),
    h(
      'section',
      { class: 'card flush', 'aria-labelledby': 'activity-title' },
      h('h2', { id: 'activity-title', class: 'card-title' }, 'Recent activity'),
      entries.length
        ? h(
            'div',
            { class: 'table-scroll' },
            h(
              'table',
              { class: 'table' },
              h('caption', { class: 'visually-hidden' }, 'Recent ledger entries, newest first'),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ...['When', 'Type', 'Endpoint', 'Balance change', 'Reason or request'].map((c, i) =>
                    h('th', { scope: 'col', class: i === 3 ? 'num' : null }, c),
                  ),
                ),
              ),
              h('tbody', {}, ...entries),
            ),
          )
        : h('p', { class: 'empty' }, 'Nothing yet: charges, releases and credits appear here.'),
    ),
  );
}
