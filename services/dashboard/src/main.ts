import { ApiError, api, setCsrfToken, type User } from './api.js';
import { docsHref } from './docs-links.js';
import { h, mount } from './dom.js';
import { renderAuth, type AuthMode } from './views/auth.js';
import { renderBilling } from './views/billing.js';
import { renderKeys } from './views/keys.js';
import { renderOverview } from './views/overview.js';
import { renderPlayground } from './views/playground.js';
import { renderSecurity } from './views/security.js';
import { renderUsage } from './views/usage.js';
import { topBar } from './views/topbar.js';

/** The dashboard: a hash-routed single page. Signed out: sign in / sign up; signed in: the app shell. */
export interface AppContext {
  user: User;
  /** Call when the API answers 401: the session ended (expired, signed out elsewhere). */
  signedOut(): void;
}

type View = (main: HTMLElement, ctx: AppContext) => Promise<void>;

const ROUTES: Record<string, { title: string; view: View }> = {
  overview: { title: 'Overview', view: renderOverview },
  keys: { title: 'API keys', view: renderKeys },
  usage: { title: 'Usage', view: renderUsage },
  billing: { title: 'Billing', view: renderBilling },
  playground: { title: 'Playground', view: renderPlayground },
  security: { title: 'Security', view: renderSecurity },
};

const root = document.getElementById('app')!;
let user: User | null = null;
/** Set at sign-in: the next page moves keyboard focus to its main heading. */
let focusHeading = false;
/** A password reset link's token, taken out of the address bar as soon as the page reads it. */
let resetToken = '';
const AUTH_MODES: readonly AuthMode[] = ['signin', 'signup', 'forgot', 'reset'];

function route(): string {
  return location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
}

function signedIn(next: User, csrf: string): void {
  user = next;
  focusHeading = true;
  setCsrfToken(csrf);
  if (!ROUTES[route()]) location.hash = '#/overview';
  else render();
}

function signedOut(): void {
  user = null;
  setCsrfToken('');
  if (route() !== 'signin') location.hash = '#/signin';
  else render();
}

async function signOut(): Promise<void> {
  try {
    await api('/logout', {});
  } finally {
    signedOut();
  }
}

function render(): void {
  if (!user) {
    const mode = AUTH_MODES.find((m) => m === route()) ?? 'signin';
    const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(location.hash)?.[1];
    if (mode === 'reset' && token) {
      resetToken = token;
      history.replaceState(null, '', '#/reset');
    }
    document.title = `${mode === 'signup' ? 'Sign up' : mode === 'signin' ? 'Sign in' : 'Reset your password'} — DeepFace API`;
    renderAuth(root, mode, signedIn, resetToken);
    return;
  }
  const current = ROUTES[route()] ? route() : 'overview';
  const { title, view } = ROUTES[current]!;
  document.title = `${title} — DeepFace API`;
  const main = h('main', { id: 'main', class: 'content', tabindex: '-1' });
  const nav = h(
    'nav',
    { class: 'nav', 'aria-label': 'Dashboard' },
    ...Object.entries(ROUTES).map(([name, r]) =>
      h('a', { href: `#/${name}`, 'aria-current': name === current ? 'page' : null }, r.title),
    ),
    h('a', { href: docsHref(), class: 'nav-external' }, 'API docs'),
  );
  const header = topBar(
    h(
      'a',
      { class: 'brand', href: '#/overview' },
      h('span', { class: 'logo', 'aria-hidden': 'true' }),
      'DeepFace API',
    ),
    nav,
    h(
      'div',
      { class: 'account-menu' },
      h('span', { class: 'who', title: user.email }, user.email),
      h('button', { type: 'button', class: 'btn ghost small', onclick: () => void signOut() }, 'Sign out'),
    ),
  );
  mount(root, header, main);
  const ctx: AppContext = { user, signedOut };
  const shown = view(main, ctx);
  shown.catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 401) return signedOut();
    mount(
      main,
      h(
        'div',
        { class: 'notice error', role: 'alert' },
        error instanceof Error ? error.message : String(error),
      ),
    );
  });
  // After signing in, keyboard and screen-reader users start at the page's main heading.
  if (focusHeading)
    void shown.then(
      () => focusMainHeading(main),
      () => undefined,
    );
  focusHeading = false;
  // Move focus to the new page's content (keyboard and screen-reader users land on it).
  if (document.activeElement && document.activeElement !== document.body) main.focus({ preventScroll: true });
}

function focusMainHeading(main: HTMLElement): void {
  const heading = main.querySelector('h1');
  if (!heading) return;
  heading.setAttribute('tabindex', '-1');
  heading.focus();
}

async function boot(): Promise<void> {
  window.addEventListener('hashchange', render);
  try {
    const session = await api<{ user: User | null; csrf_token?: string }>('/session');
    user = session.user;
    setCsrfToken(session.csrf_token ?? '');
  } catch (error) {
    mount(root, h('p', { class: 'notice error', role: 'alert' }, (error as Error).message));
    return;
  }
  render();
}

void boot();
