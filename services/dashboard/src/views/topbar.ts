import { h } from '../dom.js';

/**
 * The app's top bar. On narrow screens (CSS, ≤ 640 px) the nav and the account menu fold behind a "Menu" button
 * (a disclosure: aria-expanded, Escape closes and gives focus back to the button), so the bar is one short row and
 * every link stays reachable. On wider screens the button is hidden and the menu is always shown.
 */
export function topBar(brand: HTMLElement, nav: HTMLElement, account: HTMLElement): HTMLElement {
  const panel = h('div', { id: 'topbar-menu', class: 'topbar-menu' }, nav, account);
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'btn ghost small menu-toggle',
      'aria-expanded': 'false',
      'aria-controls': 'topbar-menu',
    },
    h('span', { class: 'menu-icon', 'aria-hidden': 'true' }),
    'Menu',
  );
  const header = h('header', { class: 'topbar' }, brand, toggle, panel);
  const setOpen = (open: boolean) => {
    toggle.setAttribute('aria-expanded', String(open));
    header.classList.toggle('open', open);
  };
  toggle.addEventListener('click', () => setOpen(toggle.getAttribute('aria-expanded') !== 'true'));
  header.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || toggle.getAttribute('aria-expanded') !== 'true') return;
    setOpen(false);
    toggle.focus();
  });
  return header;
}
