import { ApiError, api, type ApiKey } from '../api.js';
import { docsHref, openDocsWithKey } from '../docs-links.js';
import { h, mount } from '../dom.js';
import { dateTime } from '../format.js';
import type { AppContext } from '../main.js';
import { confirmDialog, copyButton } from './widgets.js';

/** A key as the dashboard's API lists it (with the route of its last use, when known). */
type ConsoleKey = ApiKey & { last_used_endpoint?: string | null };

const label = (key: ApiKey) => key.name ?? key.prefix;

export async function renderKeys(main: HTMLElement, _ctx: AppContext): Promise<void> {
  const list = h('div', { class: 'card flush' });
  const secretSlot = h('div', { 'aria-live': 'polite' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const listError = h('p', { class: 'form-error', role: 'alert', hidden: true });
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
    { class: 'inline-form key-form', 'aria-label': 'Create an API key' },
    h('div', { class: 'field grow' }, h('label', { for: 'key-name' }, 'Key name'), name),
    h('div', { class: 'field' }, h('label', { for: 'key-mode' }, 'Mode'), mode),
    create,
  );
  form.addEventListener('reset', () => setTimeout(explainMode));
  // The keys heading takes focus when nothing better is left (e.g. the last active key was revoked).
  const heading = h('h2', { id: 'keys-title', tabindex: '-1' }, 'Your keys');
  let showRevoked = false;
  let keys: ConsoleKey[] = [];

  const showError = (e: unknown) => {
    listError.textContent = e instanceof ApiError ? e.message : String(e);
    listError.hidden = false;
  };

  async function refresh(): Promise<void> {
    keys = (await api<{ keys: ConsoleKey[] }>('/keys')).keys;
    draw();
  }

  function draw(): void {
    mount(
      list,
      keysTable(keys, showRevoked, {
        toggleRevoked: () => {
          showRevoked = !showRevoked;
          draw();
          list.querySelector<HTMLButtonElement>('[data-action="toggle-revoked"]')?.focus();
        },
        rename: (key, button) => {
          void renameDialog(key).then(async (next) => {
            if (next === null) return button.focus();
            listError.hidden = true;
            try {
              await api(`/keys/${encodeURIComponent(key.id)}/rename`, { name: next });
              await refresh();
            } catch (e) {
              showError(e);
            }
            if (!focusAction(key.id, 'rename')) heading.focus();
          });
        },
        roll: (key, button) => {
          void confirmDialog(
            `Roll “${label(key)}”?`,
            'A new secret is created with the same name and mode, and this one stops working at once. Update your applications with the new secret.',
            'Roll key',
          ).then(async (ok) => {
            if (!ok) return button.focus();
            listError.hidden = true;
            try {
              const rolled = await api<{ key: ApiKey; secret: string }>(
                `/keys/${encodeURIComponent(key.id)}/roll`,
                {},
              );
              mount(secretSlot, secretPanel(rolled.key, rolled.secret, 'rolled'));
              await refresh();
              secretSlot.querySelector('input')?.focus();
            } catch (e) {
              showError(e);
              if (!focusAction(key.id, 'roll')) heading.focus();
            }
          });
        },
        revoke: (key, button) => {
          void confirmDialog(
            `Revoke “${label(key)}”?`,
            'Requests with this key will be refused from now on. This cannot be undone.',
            'Revoke key',
          ).then(async (ok) => {
            if (!ok) return button.focus();
            // Where focus goes afterwards: the next active key's first action, else the previous one's, else
            // the heading (never <body>).
            const active = keys.filter((k) => k.status === 'active').map((k) => k.id);
            const at = active.indexOf(key.id);
            const neighbours = [...active.slice(at + 1), ...active.slice(0, Math.max(at, 0)).reverse()];
            button.disabled = true;
            listError.hidden = true;
            try {
              await api(`/keys/${encodeURIComponent(key.id)}/revoke`, {});
              await refresh();
            } catch (e) {
              showError(e);
            }
            const target = neighbours.map((id) => focusAction(id, 'rename')).find(Boolean);
            if (!target) heading.focus();
          });
        },
      }),
    );
  }

  /** Focuses a row's action button if it is on screen; returns it (undefined when not found). */
  function focusAction(keyId: string, action: string): HTMLButtonElement | undefined {
    const button = [...list.querySelectorAll<HTMLButtonElement>(`button[data-action="${action}"]`)].find(
      (b) => b.closest('tr')?.dataset.keyId === keyId,
    );
    button?.focus();
    return button;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    create.disabled = true;
    error.hidden = true;
    api<{ key: ApiKey; secret: string }>('/keys', { name: name.value, mode: mode.value })
      .then(async ({ key, secret }) => {
        form.reset();
        mount(secretSlot, secretPanel(key, secret, 'created'));
        await refresh();
        (secretSlot.querySelector('input') as HTMLInputElement).focus();
      })
      .catch((e: unknown) => {
        error.textContent = e instanceof ApiError ? e.message : String(e);
        error.hidden = false;
        name.focus();
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
        'Send a key in the X-API-KEY header (',
        h('a', { href: docsHref('getAccount') }, 'try it with GET /v1/account'),
        '). Keys are stored hashed: a secret is shown once, when it is created. Revoked keys stop working at once. Names are unique among your active keys (ignoring case).',
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
    h('section', { 'aria-labelledby': 'keys-title', class: 'keys-section' }, heading, listError, list),
  );
  await refresh();
}

function secretPanel(key: ApiKey, secret: string, what: 'created' | 'rolled'): HTMLElement {
  return h(
    'section',
    { class: 'card secret', 'aria-labelledby': 'secret-title' },
    h('h2', { id: 'secret-title', class: 'wrap-anywhere' }, `Key “${label(key)}” ${what}`),
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
        type: 'text',
        class: 'mono secret-value',
        readonly: true,
        spellcheck: 'false',
        autocomplete: 'off',
        value: secret,
        'data-testid': 'new-key-secret',
      }),
      copyButton(() => secret, 'Copy key'),
    ),
    h(
      'p',
      { class: 'small try-in-docs' },
      h(
        'button',
        { type: 'button', class: 'btn secondary small', onclick: () => openDocsWithKey(secret) },
        'Try it in the API docs',
      ),
      ' It is kept in this browser tab only (session storage) and sent only with your “Try it out” calls.',
    ),
  );
}

type RowAction = (key: ConsoleKey, button: HTMLButtonElement) => void;

function keysTable(
  keys: ConsoleKey[],
  showRevoked: boolean,
  on: { toggleRevoked: () => void; rename: RowAction; roll: RowAction; revoke: RowAction },
): HTMLElement {
  if (keys.length === 0)
    return h('p', { class: 'empty' }, 'No keys yet. Create one above to start calling the API.');
  const revokedCount = keys.filter((k) => k.status === 'revoked').length;
  const shown = showRevoked ? keys : keys.filter((k) => k.status === 'active');
  const action = (key: ConsoleKey, name: string, text: string, handler: RowAction, danger = false) => {
    const button = h(
      'button',
      {
        type: 'button',
        class: `btn ${danger ? 'danger-ghost' : 'secondary'} small`,
        'data-action': name,
        'aria-label': `${text} key ${label(key)}`,
      },
      text,
    );
    button.addEventListener('click', () => handler(key, button));
    return button;
  };
  const rows = shown.map((key) =>
    h(
      'tr',
      { 'data-key-id': key.id },
      // The full name stays in the DOM (read by assistive tech); it is cut visually with an ellipsis and shown
      // whole on hover (title).
      h('th', { scope: 'row', class: 'key-name' }, h('span', { title: key.name ?? '' }, key.name ?? '—')),
      h('td', {}, h('code', { class: 'mono key-prefix' }, `${key.prefix}…`)),
      h('td', {}, h('span', { class: `badge ${key.mode}` }, key.mode)),
      h('td', {}, dateTime(key.created_at)),
      h(
        'td',
        {},
        dateTime(key.last_used_at),
        key.last_used_endpoint
          ? h('span', { class: 'muted small last-endpoint' }, h('code', {}, key.last_used_endpoint))
          : null,
      ),
      h(
        'td',
        {},
        h(
          'span',
          { class: `badge ${key.status}` },
          key.status === 'active' ? 'Active' : `Revoked ${dateTime(key.revoked_at)}`,
        ),
      ),
      h(
        'td',
        { class: 'num key-actions' },
        key.status === 'active'
          ? h(
              'span',
              { class: 'row-actions' },
              action(key, 'rename', 'Rename', on.rename),
              action(key, 'roll', 'Roll', on.roll),
              action(key, 'revoke', 'Revoke', on.revoke, true),
            )
          : null,
      ),
    ),
  );
  const toggle =
    revokedCount > 0
      ? h(
          'button',
          {
            type: 'button',
            class: 'btn secondary small',
            'data-action': 'toggle-revoked',
            'aria-pressed': showRevoked ? 'true' : 'false',
          },
          showRevoked ? `Hide revoked (${revokedCount})` : `Show revoked (${revokedCount})`,
        )
      : null;
  toggle?.addEventListener('click', on.toggleRevoked);
  return h(
    'div',
    {},
    toggle ? h('div', { class: 'table-tools' }, toggle) : null,
    rows.length
      ? h(
          'div',
          { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Your API keys' },
          h(
            'table',
            { class: 'table keys-table' },
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
        )
      : h('p', { class: 'empty' }, 'No active keys. Create one above, or show the revoked ones.'),
  );
}

/** Asks for a key's new name in a modal <dialog>; resolves null when cancelled. */
function renameDialog(key: ApiKey): Promise<string | null> {
  return new Promise((resolve) => {
    const input = h('input', {
      id: 'rename-input',
      type: 'text',
      required: true,
      maxlength: '100',
      value: key.name ?? '',
      autocomplete: 'off',
    });
    const cancel = h('button', { type: 'button', class: 'btn secondary' }, 'Cancel');
    const save = h('button', { type: 'submit', class: 'btn primary' }, 'Save name');
    const form = h(
      'form',
      { method: 'dialog', class: 'stack' },
      h('div', { class: 'field' }, h('label', { for: 'rename-input' }, 'New name'), input),
      h('div', { class: 'actions' }, cancel, save),
    );
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-labelledby': 'rename-title' },
      h('h2', { id: 'rename-title', class: 'wrap-anywhere' }, `Rename “${label(key)}”`),
      form,
    );
    let done = false;
    const close = (result: string | null) => {
      if (done) return;
      done = true;
      dialog.close();
      dialog.remove();
      resolve(result);
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!form.reportValidity()) return;
      close(input.value.trim());
    });
    cancel.addEventListener('click', () => close(null));
    dialog.addEventListener('cancel', () => close(null));
    document.body.append(dialog);
    dialog.showModal();
    input.select();
  });
}
