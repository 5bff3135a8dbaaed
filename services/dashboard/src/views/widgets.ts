import { h } from '../dom.js';

/** A button that copies text and says so (for screen readers too, via its live label). */
export function copyButton(text: () => string, label = 'Copy'): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'btn secondary small' }, label);
  button.addEventListener('click', () => {
    void navigator.clipboard
      ?.writeText(text())
      .then(() => {
        button.textContent = 'Copied';
        setTimeout(() => (button.textContent = label), 2000);
      })
      .catch(() => {
        button.textContent = 'Select and copy';
      });
  });
  return button;
}

/** A modal confirmation with the native <dialog> (focus trapped, Escape closes). Resolves true on confirm. */
export function confirmDialog(title: string, body: string, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    const cancel = h('button', { type: 'button', class: 'btn secondary' }, 'Cancel');
    const confirm = h('button', { type: 'button', class: 'btn danger' }, confirmLabel);
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-labelledby': 'dialog-title', 'aria-describedby': 'dialog-body' },
      h('h2', { id: 'dialog-title' }, title),
      h('p', { id: 'dialog-body' }, body),
      h('div', { class: 'actions' }, cancel, confirm),
    );
    const close = (result: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(result);
    };
    cancel.addEventListener('click', () => close(false));
    confirm.addEventListener('click', () => close(true));
    dialog.addEventListener('cancel', () => close(false));
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
