import { ApiError, api, type User } from '../api.js';
import { h, mount } from '../dom.js';

type Mode = 'signin' | 'signup';

function field(
  id: string,
  label: string,
  attrs: Record<string, string | boolean>,
  hint?: string,
): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('input', { id, name: id, ...attrs, ...(hint ? { 'aria-describedby': `${id}-hint` } : {}) }),
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
  );
}

export function renderAuth(root: HTMLElement, mode: Mode, done: (user: User, csrf: string) => void): void {
  const signup = mode === 'signup';
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h(
    'button',
    { type: 'submit', class: 'btn primary block' },
    signup ? 'Create account' : 'Sign in',
  );
  const form = h(
    'form',
    { class: 'stack', 'aria-labelledby': 'auth-title' },
    field('email', 'E-mail address', {
      type: 'email',
      autocomplete: 'email',
      required: true,
      maxlength: '320',
    }),
    signup
      ? field('name', 'Name or company', { type: 'text', autocomplete: 'organization', required: true })
      : null,
    field(
      'password',
      'Password',
      {
        type: 'password',
        autocomplete: signup ? 'new-password' : 'current-password',
        required: true,
        minlength: signup ? '10' : '1',
        maxlength: '200',
      },
      signup ? 'At least 10 characters.' : undefined,
    ),
    error,
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const data = new FormData(form);
    const text = (key: string) => {
      const value = data.get(key);
      return typeof value === 'string' ? value : '';
    };
    const body: Record<string, string> = {
      email: text('email'),
      password: text('password'),
    };
    if (signup) body.name = text('name');
    submit.disabled = true;
    error.hidden = true;
    api<{ user: User; csrf_token: string }>(signup ? '/signup' : '/login', body)
      .then((res) => done(res.user, res.csrf_token))
      .catch((e: unknown) => {
        error.textContent = e instanceof ApiError ? e.message : 'Something went wrong. Please retry.';
        error.hidden = false;
        submit.disabled = false;
        (form.querySelector('#password') as HTMLInputElement).select();
      });
  });

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
        h('h1', { id: 'auth-title' }, signup ? 'Create your account' : 'Sign in to your dashboard'),
        h(
          'p',
          { class: 'muted' },
          signup
            ? 'Every new account starts with $1.00 of trial credit: four ID verifications on us.'
            : 'Manage API keys, follow your usage and try the API on your own photos.',
        ),
        form,
        h(
          'p',
          { class: 'switch' },
          signup ? 'Already have an account? ' : 'New to DeepFace? ',
          h('a', { href: signup ? '#/signin' : '#/signup' }, signup ? 'Sign in' : 'Create an account'),
        ),
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
  (form.querySelector('#email') as HTMLInputElement).focus();
}
