import { ApiError, api, type Account, type ApiKey, type LedgerEntry, type Usage } from '../api.js';
import { SERIES, usageChart } from '../chart.js';
import { docsHref } from '../docs-links.js';
import { h, mount } from '../dom.js';
import { dateTime, usd } from '../format.js';
import type { AppContext } from '../main.js';

const RANGES = [7, 30, 90];
const PAGE = 25;
const ENDPOINTS = ['verify', 'analyze', 'lookalike'];
const TYPES = ['capture', 'release', 'credit', 'debit'];

/** What each activity row means, in plain words (shown as the table's legend). */
const TYPE_MEANING: Record<string, string> = {
  capture: 'a call that returned a result: its price was charged.',
  release: 'a call that failed after the price was held: the hold was given back, nothing was charged.',
  credit: 'money added to the balance (trial credit, a top-up, an adjustment).',
  debit: 'money taken off the balance by an adjustment.',
};

interface RefusedCall {
  id: string;
  endpoint: string;
  status: number;
  code: string;
  charged: number;
  key: { id: string; name: string | null; prefix: string } | null;
  created_at: string;
}

type UsageWithRefused = Usage & { totals: Usage['totals'] & { refused?: number } };

export async function renderUsage(main: HTMLElement, _ctx: AppContext): Promise<void> {
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const days = RANGES.includes(Number(params.get('days'))) ? Number(params.get('days')) : 30;
  mount(main, h('h1', {}, 'Usage'), h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  const [usage, { account }, { keys }] = await Promise.all([
    api<UsageWithRefused>(`/usage?days=${days}`),
    api<{ account: Account }>('/account'),
    api<{ keys: ApiKey[] }>('/keys'),
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

  mount(
    main,
    h(
      'div',
      { class: 'page-head row' },
      h(
        'div',
        {},
        h('h1', {}, 'Usage'),
        h(
          'p',
          { class: 'muted' },
          'Metered requests per day (UTC), every money movement and refused calls. From code: ',
          h('a', { href: docsHref('getUsage') }, 'GET /v1/usage'),
          '.',
        ),
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
    activitySection(days, keys),
    refusedSection(days, keys, usage.totals.refused ?? 0),
  );
}

const select = (id: string, name: string, options: [string, string][]) =>
  h('select', { id, name }, ...options.map(([value, text]) => h('option', { value }, text)));

/** The key filter: every key of the account, revoked ones marked (their past calls stay in the lists). */
const keySelect = (id: string, keys: ApiKey[]) =>
  select(id, 'key', [
    ['', 'All keys'],
    ...keys.map((k): [string, string] => [
      k.id,
      `${k.name ?? k.prefix} (${k.prefix}…)${k.status === 'revoked' ? ', revoked' : ''}`,
    ]),
  ]);

/** Who made a call: its key's name (prefix when unnamed), "—" for credits, debits and the playground. */
const keyCell = (key: { name: string | null; prefix: string } | null | undefined) =>
  h('td', { class: 'key-name' }, key ? h('span', { title: key.name ?? '' }, key.name ?? key.prefix) : '—');

const query = (values: Record<string, string | number | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q.toString();
};

/** A list that loads PAGE rows at a time (cursor paging) and re-queries when its filters change. */
function pagedTable<T>(opts: {
  caption: string;
  columns: string[];
  numeric: number[];
  empty: string;
  load: (cursor: string | undefined) => Promise<{ rows: T[]; next: string | null }>;
  row: (item: T) => HTMLTableRowElement;
}) {
  const tbody = h('tbody', {});
  const table = h(
    'table',
    { class: 'table' },
    h('caption', { class: 'visually-hidden' }, opts.caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...opts.columns.map((c, i) =>
          h('th', { scope: 'col', class: opts.numeric.includes(i) ? 'num' : null }, c),
        ),
      ),
    ),
    tbody,
  );
  const empty = h('p', { class: 'empty', hidden: true }, opts.empty);
  const status = h('p', { class: 'visually-hidden', role: 'status' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const more = h('button', { type: 'button', class: 'btn secondary small', hidden: true }, 'Load more');
  let next: string | null = null;
  let generation = 0;

  const load = async (reset: boolean) => {
    const mine = ++generation;
    more.disabled = true;
    error.hidden = true;
    try {
      const page = await opts.load(reset ? undefined : (next ?? undefined));
      if (mine !== generation) return;
      if (reset) tbody.replaceChildren();
      const firstNew = page.rows.map(opts.row);
      tbody.append(...firstNew);
      next = page.next;
      more.hidden = next === null;
      const count = tbody.rows.length;
      empty.hidden = count > 0;
      table.hidden = count === 0;
      status.textContent = `${count} ${count === 1 ? 'row' : 'rows'} shown${next ? ', more available' : ''}.`;
      // After "Load more", focus moves to the first new row's first cell (never lost with the button).
      if (!reset && firstNew[0]) {
        const cell = firstNew[0].firstElementChild as HTMLElement;
        cell.tabIndex = -1;
        cell.focus();
      }
    } catch (e) {
      error.textContent = e instanceof ApiError ? e.message : String(e);
      error.hidden = false;
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => void load(false));
  const view = h(
    'div',
    {},
    error,
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': opts.caption }, table),
    empty,
    status,
    h('div', { class: 'table-tools end' }, more),
  );
  return { view, reload: () => load(true) };
}

type ActivityEntry = LedgerEntry & { key?: { id: string; name: string | null; prefix: string } | null };

function activitySection(days: number, keys: ApiKey[]): HTMLElement {
  const key = keySelect('activity-key', keys);
  const endpoint = select('activity-endpoint', 'endpoint', [
    ['', 'All endpoints'],
    ...ENDPOINTS.map((e): [string, string] => [e, e]),
  ]);
  const type = select('activity-type', 'type', [
    ['', 'All types'],
    ...TYPES.map((t): [string, string] => [t, t]),
  ]);
  const filters = () => ({ days, key: key.value, endpoint: endpoint.value, type: type.value });
  const csv = h(
    'a',
    { class: 'btn secondary small', 'data-testid': 'activity-csv', download: '' },
    'Download CSV',
  );
  const updateCsv = () =>
    (csv.href = `/dashboard/api/usage/export.csv?${query({ view: 'activity', ...filters() })}`);
  const list = pagedTable<ActivityEntry>({
    caption: 'Ledger entries of the period, newest first',
    columns: ['When', 'Type', 'Endpoint', 'Key', 'Balance change', 'Reason or request'],
    numeric: [4],
    empty: 'Nothing in this period with these filters: charges, releases and credits appear here.',
    load: async (cursor) => {
      const page = await api<{ entries: ActivityEntry[]; next_cursor: string | null }>(
        `/usage/activity?${query({ ...filters(), limit: PAGE, cursor })}`,
      );
      return { rows: page.entries, next: page.next_cursor };
    },
    row: (e) =>
      h(
        'tr',
        {},
        h('td', {}, dateTime(e.created_at)),
        h('td', {}, h('span', { class: `badge ${e.type}`, title: TYPE_MEANING[e.type] ?? '' }, e.type)),
        h('td', {}, e.endpoint ?? '—'),
        keyCell(e.key),
        h(
          'td',
          { class: 'num' },
          e.balance_change === 0
            ? usd(0)
            : `${e.balance_change > 0 ? '+' : '−'}${usd(Math.abs(e.balance_change))}`,
        ),
        h('td', { class: 'mono small wrap-anywhere' }, e.reason ?? e.request_id ?? ''),
      ),
  });
  for (const control of [key, endpoint, type]) {
    control.addEventListener('change', () => {
      updateCsv();
      void list.reload();
    });
  }
  updateCsv();
  void list.reload();
  return h(
    'section',
    { class: 'card flush', 'aria-labelledby': 'activity-title' },
    h('h2', { id: 'activity-title', class: 'card-title' }, `Activity, last ${days} days`),
    h(
      'form',
      { class: 'inline-form filters', 'aria-label': 'Filter the activity' },
      h('div', { class: 'field' }, h('label', { for: 'activity-key' }, 'Key'), key),
      h('div', { class: 'field' }, h('label', { for: 'activity-endpoint' }, 'Endpoint'), endpoint),
      h('div', { class: 'field' }, h('label', { for: 'activity-type' }, 'Type'), type),
      csv,
    ),
    h('h3', { class: 'visually-hidden' }, 'What the types mean'),
    h(
      'dl',
      { class: 'type-legend' },
      ...TYPES.flatMap((t) => [
        h('dt', {}, h('span', { class: `badge ${t}` }, t)),
        h('dd', {}, TYPE_MEANING[t]),
      ]),
    ),
    list.view,
  );
}

function refusedSection(days: number, keys: ApiKey[], total: number): HTMLElement {
  const key = keySelect('refused-key', keys);
  const endpoint = select('refused-endpoint', 'endpoint', [
    ['', 'All endpoints'],
    ...ENDPOINTS.map((e): [string, string] => [e, e]),
  ]);
  const filters = () => ({ days, key: key.value, endpoint: endpoint.value });
  const csv = h(
    'a',
    { class: 'btn secondary small', 'data-testid': 'refused-csv', download: '' },
    'Download CSV',
  );
  const updateCsv = () =>
    (csv.href = `/dashboard/api/usage/export.csv?${query({ view: 'refused', ...filters() })}`);
  const list = pagedTable<RefusedCall>({
    caption: 'Refused API calls of the period, newest first',
    columns: ['When', 'Endpoint', 'Key', 'Status', 'Error code', 'Charged'],
    numeric: [3, 5],
    empty: 'No refused calls in this period with these filters.',
    load: async (cursor) => {
      const page = await api<{ calls: RefusedCall[]; next_cursor: string | null }>(
        `/usage/refused?${query({ ...filters(), limit: PAGE, cursor })}`,
      );
      return { rows: page.calls, next: page.next_cursor };
    },
    row: (c) =>
      h(
        'tr',
        {},
        h('td', {}, dateTime(c.created_at)),
        h('td', {}, h('code', {}, c.endpoint)),
        keyCell(c.key),
        h('td', { class: 'num' }, String(c.status)),
        h('td', {}, h('code', {}, c.code)),
        h('td', { class: 'num' }, usd(c.charged)),
      ),
  });
  for (const control of [key, endpoint]) {
    control.addEventListener('change', () => {
      updateCsv();
      void list.reload();
    });
  }
  updateCsv();
  void list.reload();
  return h(
    'section',
    { class: 'card flush', 'aria-labelledby': 'refused-title' },
    h('h2', { id: 'refused-title', class: 'card-title' }, `Refused calls, last ${days} days (${total})`),
    h(
      'p',
      { class: 'muted card-note' },
      'API calls answered with an error (bad input, no balance, rate limit, …). Nothing is charged for them. Calls without a valid key belong to no account and are not listed; kept for 30 days.',
    ),
    h(
      'form',
      { class: 'inline-form filters', 'aria-label': 'Filter the refused calls' },
      h('div', { class: 'field' }, h('label', { for: 'refused-key' }, 'Key'), key),
      h('div', { class: 'field' }, h('label', { for: 'refused-endpoint' }, 'Endpoint'), endpoint),
      csv,
    ),
    list.view,
  );
}
