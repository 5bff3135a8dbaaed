import { ApiError, api, type User } from '../api.js';
import { h, mount } from '../dom.js';

export type AuthMode = 'signin' | 'signup' | 'forgot' | 'reset';

/** A message for the next sign-in screen (after a password reset), shown once. */
let notice = '';

const TITLES: Record<AuthMode, string> = {
  signin: 'Sign in to your dashboard',
  signup: 'Create your account',
  forgot: 'Reset your password',
  reset: 'Choose a new password',
};

const INTROS: Record<AuthMode, string> = {
  signin: 'Manage API keys, follow your usage and try the API on your own photos.',
  signup: 'Every new account starts with $1.00 of trial credit: four ID verifications on us.',
  forgot: 'Enter the e-mail address of your account: we will send it a link to choose a new password.',
  reset: 'The link in your e-mail works once. After this, every session of your account is signed out.',
};

const PASSWORD_HINT =
  'At least 8 characters, hard to guess: a few unrelated words work well. Common passwords and patterns such as “1234567890” are refused.';

interface Field {
  wrap: HTMLElement;
  input: HTMLInputElement;
  error: HTMLElement;
}

/** A labelled input with its hint and its own error line (announced, and tied by aria-describedby). */
function field(id: string, label: string, attrs: Record<string, string | boolean>, hint?: string): Field {
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const input = h('input', { id, name: id, ...attrs, 'aria-describedby': hint ? `${id}-hint` : null });
  const wrap = h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    input,
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
    error,
  );
  return { wrap, input, error };
}

/** A password input with a "Show password" toggle (a real button: aria-pressed, aria-controls). */
function passwordField(id: string, label: string, autocomplete: string, hint?: string): Field {
  const f = field(
    id,
    label,
    { type: 'password', autocomplete, required: true, maxlength: '200', ...(hint ? { minlength: '8' } : {}) },
    hint,
  );
  // Visible "Show"; the name read out is "Show password" (WCAG 2.5.3: the visible word is part of it), and
  // aria-pressed says whether the password is shown.
  const toggle = h(
    'button',
    { type: 'button', class: 'btn ghost small reveal', 'aria-pressed': 'false', 'aria-controls': id },
    'Show',
    h('span', { class: 'visually-hidden' }, ' password'),
  );
  toggle.addEventListener('click', () => {
    const shown = f.input.type === 'password';
    f.input.type = shown ? 'text' : 'password';
    toggle.setAttribute('aria-pressed', String(shown));
  });
  const row = h('div', { class: 'password-row' });
  f.input.replaceWith(row);
  row.append(f.input, toggle);
  return f;
}

/** The screens before sign-in: sign in, sign up, forgotten password, new password from an e-mailed link. */
export function renderAuth(
  root: HTMLElement,
  mode: AuthMode,
  done: (user: User, csrf: string) => void,
  resetToken = '',
): void {
  const formError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const status = h('p', { class: 'notice ok', role: 'status', hidden: !notice }, notice);
  notice = '';
  const fields: Record<string, Field> = {};
  if (mode !== 'reset') {
    fields.email = field('email', 'E-mail address', {
      type: 'email',
      autocomplete: 'email',
      required: true,
      maxlength: '320',
    });
  }
  if (mode === 'signup') {
    fields.name = field('name', 'Name or company', {
      type: 'text',
      autocomplete: 'organization',
      required: true,
    });
  }
  if (mode === 'signin') fields.password = passwordField('password', 'Password', 'current-password');
  if (mode === 'signup' || mode === 'reset') {
    fields.password = passwordField(
      'password',
      mode === 'signup' ? 'Password' : 'New password',
      'new-password',
      PASSWORD_HINT,
    );
  }
  const submit = h(
    'button',
    { type: 'submit', class: 'btn primary block' },
    { signin: 'Sign in', signup: 'Create account', forgot: 'Send the link', reset: 'Set the new password' }[
      mode
    ],
  );
  const form = h(
    'form',
    { class: 'stack', 'aria-labelledby': 'auth-title', novalidate: true },
    ...Object.values(fields).map((f) => f.wrap),
    mode === 'signin'
      ? h('p', { class: 'forgot' }, h('a', { href: '#/forgot' }, 'Forgot your password?'))
      : null,
    formError,
    submit,
  );

  const clearErrors = () => {
    formError.hidden = true;
    for (const f of Object.values(fields)) {
      f.error.hidden = true;
      f.input.removeAttribute('aria-invalid');
      describe(f, false);
    }
  };
  /**
   * The message under its field (marked invalid, focus there), or above the button when it concerns no one field;
   * `focus` then names the field to retype (the password after wrong credentials), else the first.
   */
  const showError = (message: string, fieldName?: string, extra?: Node, focus?: string) => {
    const f = fieldName ? fields[fieldName] : undefined;
    const target = f ? f.error : formError;
    mount(target, message, extra ? ' ' : null, extra ?? null);
    target.hidden = false;
    if (f) {
      f.input.setAttribute('aria-invalid', 'true');
      describe(f, true);
    }
    (f ?? (focus ? fields[focus] : undefined) ?? Object.values(fields)[0])?.input.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors();
    const invalid = Object.entries(fields).find(([, f]) => !f.input.checkValidity());
    if (invalid) return showError(invalid[1].input.validationMessage, invalid[0]);
    const body: Record<string, string> = {};
    for (const [name, f] of Object.entries(fields)) body[name] = f.input.value;
    if (mode === 'reset') body.token = resetToken;
    submit.disabled = true;
    const path = {
      signin: '/login',
      signup: '/signup',
      forgot: '/password-reset/request',
      reset: '/password-reset/confirm',
    }[mode];
    api<{ user: User; csrf_token: string; message: string }>(path, body)
      .then((res) => {
        if (mode === 'signin' || mode === 'signup') return done(res.user, res.csrf_token);
        if (mode === 'reset') {
          notice = res.message;
          location.hash = '#/signin';
          return;
        }
        status.textContent = res.message;
        status.hidden = false;
        submit.disabled = false;
      })
      .catch((e: unknown) => {
        submit.disabled = false;
        if (!(e instanceof ApiError)) return showError('Something went wrong. Please retry.');
        const details = (e.body as { details?: { field?: unknown } } | null)?.details;
        const name = typeof details?.field === 'string' ? details.field : undefined;
        if (e.code === 'email_taken') {
          return showError(
            'An account with this e-mail address already exists.',
            'email',
            h('a', { href: '#/signin' }, 'Sign in instead'),
          );
        }
        if (e.code === 'reset_token_invalid') {
          return showError(e.message, undefined, h('a', { href: '#/forgot' }, 'Ask for a new link'));
        }
        // Which of the two is wrong is not said (no account enumeration): the form's alert, focus on the password.
        if (e.code === 'invalid_credentials') return showError(e.message, undefined, undefined, 'password');
        showError(e.message, name && fields[name] ? name : undefined);
      });
  });

  const switchLine =
    mode === 'signup'
      ? ['Already have an account? ', h('a', { href: '#/signin' }, 'Sign in')]
      : mode === 'signin'
        ? ['New to DeepFace? ', h('a', { href: '#/signup' }, 'Create an account')]
        : ['Remembered it? ', h('a', { href: '#/signin' }, 'Back to sign in')];
  mount(
    root,
    h(
      'main',
      { id: 'main', class: 'auth' },
      h(
        'section',
        { class: 'auth-card' },
        h(
          'a',
          { class: 'brand dark', href: '#/signin' },
          h('span', { class: 'logo', 'aria-hidden': 'true' }),
          'DeepFace API',
        ),
        h('h1', { id: 'auth-title' }, TITLES[mode]),
        h('p', { class: 'muted' }, INTROS[mode]),
        status,
        form,
        h('p', { class: 'switch' }, ...switchLine),
      ),
      h(
        'aside',
        { class: 'auth-aside', 'aria-label': 'What you get' },
        h('h2', {}, 'Face verification, self-hosted'),
        h(
          'ul',
          { class: 'checks' },
          h(
            'li',
            {},
            h('strong', {}, 'KYC verify'),
            ' — an ID document against a selfie, with roles detected.',
          ),
          h('li', {}, h('strong', {}, 'Analyze'), ' — age, gender, race and emotion of every face.'),
          h('li', {}, h('strong', {}, 'Look-alike'), ' — a 0–100 resemblance score with a UI hint.'),
          h(
            'li',
            {},
            h('strong', {}, 'Success-only billing'),
            ' — failed or invalid requests are never charged.',
          ),
        ),
      ),
    ),
  );
  Object.values(fields)[0]?.input.focus();
}

/** aria-describedby: the field's hint, and its error while one is shown. */
function describe(f: Field, withError: boolean): void {
  const ids = [f.wrap.querySelector('.hint')?.id, withError ? f.error.id : undefined].filter(Boolean);
  if (ids.length) f.input.setAttribute('aria-describedby', ids.join(' '));
  else f.input.removeAttribute('aria-describedby');
}
