import { ApiError, api, type ApiKey } from '../api.js';
import { h, mount } from '../dom.js';
import { dateTime } from '../format.js';
import type { AppContext } from '../main.js';
import { confirmDialog, copyButton } from './widgets.js';

export async function renderKeys(main: HTMLElement, _ctx: AppContext): Promise<void> {
  const list = h('div', { class: 'card flush' });
  const secretSlot = h('div', { 'aria-live': 'polite' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const name = h('input', {
    id: 'key-name',
    name: 'name',
    type: 'text',
    required: true,
    maxlength: '100',
    placeholder: 'e.g. backend-production',
  });
  const mode = h(
    'select',
    { id: 'key-mode', name: 'mode', 'aria-describedby': 'key-mode-help' },
    h('option', { value: 'live' }, 'Live (df_live_…)'),
    h('option', { value: 'test' }, 'Test (df_test_…): free sandbox'),
  );
  // What each mode does (the sandbox decision: services/gateway/API-DECISIONS.md, "Test keys").
  const modeHelp = h('div', { id: 'key-mode-help', class: 'mode-help', 'aria-live': 'polite' });
  const explainMode = () =>
    mount(
      modeHelp,
      mode.value === 'test'
        ? h(
            'p',
            {},
            h('strong', {}, 'Test keys (df_test_…) are a free sandbox. '),
            'They accept only the sample images (those of “Use sample images” and the API docs) and answer with their published results: they never run the engine on real photos, never spend your balance and leave no ledger entry. They are tightly rate-limited (20 calls a minute per account by default). Any other image is refused with 400. Use them to build and test your integration; batch jobs need a live key.',
          )
        : h(
            'p',
            {},
            h('strong', {}, 'Live keys (df_live_…) '),
            'run the real engine on your images and spend your balance: each successful result is charged at the prices on the overview, and failed or refused calls are free.',
          ),
    );
  mode.addEventListener('change', explainMode);
  explainMode();
  const create = h('button', { type: 'submit', class: 'btn primary' }, 'Create key');
  const form = h(
    'form',
    { class: 'inline-form', 'aria-label': 'Create an API key' },
    h('div', { class: 'field grow' }, h('label', { for: 'key-name' }, 'Key name'), name),
    h('div', { class: 'field' }, h('label', { for: 'key-mode' }, 'Mode'), mode),
    create,
  );
  form.addEventListener('reset', () => setTimeout(explainMode));

  async function refresh(): Promise<void> {
    const { keys } = await api<{ keys: ApiKey[] }>('/keys');
    mount(list, keysTable(keys, refresh));
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    create.disabled = true;
    error.hidden = true;
    api<{ key: ApiKey; secret: string }>('/keys', { name: name.value, mode: mode.value })
      .then(async ({ key, secret }) => {
        form.reset();
        mount(secretSlot, secretPanel(key, secret));
        await refresh();
        (secretSlot.querySelector('input') as HTMLInputElement).focus();
      })
      .catch((e: unknown) => {
        error.textContent = e instanceof ApiError ? e.message : String(e);
        error.hidden = false;
      })
      .finally(() => (create.disabled = false));
  });

  mount(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'API keys'),
      h(
        'p',
        { class: 'muted' },
        'Send a key in the X-API-KEY header. Keys are stored hashed: a secret is shown once, when it is created. Revoked keys stop working at once.',
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'create-title' },
      h('h2', { id: 'create-title' }, 'Create a key'),
      form,
      modeHelp,
      error,
    ),
    secretSlot,
    h('section', { 'aria-labelledby': 'keys-title' }, h('h2', { id: 'keys-title' }, 'Your keys'), list),
  );
  await refresh();
}

function secretPanel(key: ApiKey, secret: string): HTMLElement {
  return h(
    'section',
    { class: 'card secret', 'aria-labelledby': 'secret-title' },
    h('h2', { id: 'secret-title' }, `Key “${key.name ?? key.prefix}” created`),
    h(
      'p',
      {},
      h('strong', {}, 'Copy this key now. '),
      'It is shown only once and cannot be recovered; create a new key if you lose it.',
    ),
    h(
      'div',
      { class: 'code-row' },
      h('label', { for: 'new-secret', class: 'visually-hidden' }, 'New API key'),
      h('input', {
        id: 'new-secret',
        class: 'mono secret-value',
        readonly: true,
        value: secret,
        'data-testid': 'new-key-secret',
      }),
      copyButton(() => secret, 'Copy key'),
    ),
  );
}

function keysTable(keys: ApiKey[], refresh: () => Promise<void>): HTMLElement {
  if (keys.length === 0)
    return h('p', { class: 'empty' }, 'No keys yet. Create one above to start calling the API.');
  const rows = keys.map((key) => {
    const revoke = h(
      'button',
      {
        type: 'button',
        class: 'btn danger-ghost small',
        'aria-label': `Revoke key ${key.name ?? key.prefix}`,
      },
      'Revoke',
    );
    revoke.addEventListener('click', () => {
      void confirmDialog(
        `Revoke “${key.name ?? key.prefix}”?`,
        'Requests with this key will be refused from now on. This cannot be undone.',
        'Revoke key',
      ).then(async (ok) => {
        if (!ok) return revoke.focus();
        revoke.disabled = true;
        await api(`/keys/${encodeURIComponent(key.id)}/revoke`, {});
        await refresh();
      });
    });
    return h(
      'tr',
      { 'data-key-id': key.id },
      h('th', { scope: 'row' }, key.name ?? '—'),
      h('td', {}, h('code', {}, `${key.prefix}…`)),
      h('td', {}, h('span', { class: `badge ${key.mode}` }, key.mode)),
      h('td', {}, dateTime(key.created_at)),
      h('td', {}, dateTime(key.last_used_at)),
      h(
        'td',
        {},
        h(
          'span',
          { class: `badge ${key.status}` },
          key.status === 'active' ? 'Active' : `Revoked ${dateTime(key.revoked_at)}`,
        ),
      ),
      h('td', { class: 'num' }, key.status === 'active' ? revoke : null),
    );
  });
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'table' },
      h('caption', { class: 'visually-hidden' }, 'Your API keys'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Name', 'Key', 'Mode', 'Created', 'Last used', 'Status'].map((c) =>
            h('th', { scope: 'col' }, c),
          ),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
  );
}
