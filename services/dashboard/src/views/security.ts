import { ApiError, api } from '../api.js';
import { h, mount } from '../dom.js';
import type { AppContext } from '../main.js';
import { confirmDialog } from './widgets.js';

function passwordField(id: string, label: string, autocomplete: string, hint?: string): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('input', {
      id,
      name: id,
      type: 'password',
      autocomplete,
      required: true,
      minlength: autocomplete === 'new-password' ? '10' : '1',
      maxlength: '200',
      ...(hint ? { 'aria-describedby': `${id}-hint` } : {}),
    }),
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
  );
}

/** Password change (needs the current one; other sessions end) and signing out of every session. */
export function renderSecurity(main: HTMLElement, ctx: AppContext): Promise<void> {
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const done = h('p', { class: 'notice ok', role: 'status', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn primary' }, 'Change password');
  const form = h(
    'form',
    { class: 'stack', 'aria-labelledby': 'password-title' },
    passwordField('current-password', 'Current password', 'current-password'),
    passwordField('new-password', 'New password', 'new-password', 'At least 10 characters.'),
    error,
    done,
    h('div', {}, submit),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const value = (id: string) => (form.querySelector(`#${id}`) as HTMLInputElement).value;
    submit.disabled = true;
    error.hidden = true;
    done.hidden = true;
    api<{ signed_out_sessions: number }>('/password', {
      current_password: value('current-password'),
      new_password: value('new-password'),
    })
      .then(({ signed_out_sessions: others }) => {
        form.reset();
        done.textContent = `Password changed. ${others} other session${others === 1 ? '' : 's'} signed out.`;
        done.hidden = false;
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.code === 'session_required') return ctx.signedOut();
        error.textContent = e instanceof ApiError ? e.message : String(e);
        error.hidden = false;
      })
      .finally(() => (submit.disabled = false));
  });

  const everywhere = h('button', { type: 'button', class: 'btn danger' }, 'Sign out everywhere');
  everywhere.addEventListener('click', () => {
    void confirmDialog(
      'Sign out everywhere?',
      'Every session of this account ends, this one included: on other computers and browsers too.',
      'Sign out everywhere',
    ).then(async (confirmed) => {
      if (!confirmed) return;
      try {
        await api('/logout-all', {});
      } finally {
        ctx.signedOut();
      }
    });
  });

  mount(
    main,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Security'),
      h('p', { class: 'muted' }, `Signed in as ${ctx.user.email}.`),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'password-title' },
      h('h2', { id: 'password-title' }, 'Change your password'),
      h('p', { class: 'muted' }, 'Your other sessions are signed out; this one stays.'),
      form,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'sessions-title' },
      h('h2', { id: 'sessions-title' }, 'Sessions'),
      h(
        'p',
        { class: 'muted' },
        'Lost a laptop or signed in on a shared computer? End every session of this account.',
      ),
      everywhere,
    ),
  );
  return Promise.resolve();
}
