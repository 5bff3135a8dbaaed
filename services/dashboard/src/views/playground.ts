import { ApiError, api, type Account } from '../api.js';
import { h, mount, svg } from '../dom.js';
import { usd } from '../format.js';
import type { AppContext } from '../main.js';
import { loadBilling, lowBalanceNotice } from './billing.js';
import { boxShapes, resultView, type Op, type Region } from './playground-result.js';

interface Slot {
  field: 'img1' | 'img2' | 'image';
  label: string;
  hint: string;
  sample: string;
}

const OPS: Record<Op, { title: string; action: string; slots: Slot[]; price: keyof Account['prices'] }> = {
  verify: {
    title: 'Verify ID + selfie',
    action: 'Run verification',
    price: 'verify',
    slots: [
      {
        field: 'img1',
        label: 'ID document',
        hint: 'A photo or scan of an ID card or passport.',
        sample: 'id-card.jpg',
      },
      { field: 'img2', label: 'Selfie', hint: 'One clear face.', sample: 'selfie.jpg' },
    ],
  },
  lookalike: {
    title: 'Look-alike',
    action: 'Compare faces',
    price: 'lookalike',
    slots: [
      { field: 'img1', label: 'First photo', hint: 'The primary face.', sample: 'selfie.jpg' },
      { field: 'img2', label: 'Second photo', hint: 'The face to compare with.', sample: 'selfie-2.jpg' },
    ],
  },
  analyze: {
    title: 'Analyze',
    action: 'Analyze faces',
    price: 'analyze',
    slots: [{ field: 'image', label: 'Photo', hint: 'Every face in it is analysed.', sample: 'face.jpg' }],
  },
};

/** What the gateway accepts (GET /dashboard/api/playground/limits: its configuration, not a copy here). */
interface Limits {
  max_bytes: number;
  max_pixels: number;
  formats: Array<{ name: string; mime: string }>;
}

const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
const formatList = (limits: Limits) => {
  const names = limits.formats.map((f) => f.name);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '');
};

const readAsDataUrl = (blob: Blob) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(new Error('The file could not be read.'));
    reader.readAsDataURL(blob);
  });

export async function renderPlayground(main: HTMLElement, _ctx: AppContext): Promise<void> {
  const [{ account }, billing, limits] = await Promise.all([
    api<{ account: Account }>('/account'),
    loadBilling(),
    api<Limits>('/playground/limits'),
  ]);
  const limitsText = `${formatList(limits)}; up to ${mib(limits.max_bytes)} and ${Math.round(limits.max_pixels / 1e6)} megapixels.`;
  const accepted = new Set(limits.formats.map((f) => f.mime));
  // The low-balance warning with its link to the billing page, refreshed after every run.
  const lowBalance = h('div', { 'aria-live': 'polite' }, lowBalanceNotice(billing));
  const refreshLowBalance = () =>
    loadBilling()
      .then((b) => mount(lowBalance, lowBalanceNotice(b)))
      .catch(() => undefined);
  let op: Op = 'verify';
  const images = new Map<string, { uri: string; name: string; img: HTMLImageElement; overlay: SVGElement }>();

  const balance = h('span', {}, usd(account.balance));
  const slotsEl = h('div', { class: 'slots' });
  // Not a live region: after a run, focus moves to the result's heading (announced once, scrolled into view).
  const result = h('section', { class: 'result', 'aria-label': 'Result', 'data-testid': 'result' });
  const run = h('button', { type: 'submit', class: 'btn primary' }, OPS.verify.action);
  const priceNote = h('p', { class: 'muted small' });
  // A refused run moves focus here, as a result moves it to its heading (tabindex -1: focusable from script
  // only); role=alert announces it too, like the error summaries of GOV.UK's design system.
  const error = h('p', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true });

  const choices = h(
    'fieldset',
    { class: 'segmented-radio' },
    h('legend', { class: 'visually-hidden' }, 'Operation'),
    ...(Object.keys(OPS) as Op[]).map((key) =>
      h(
        'label',
        {},
        h('input', {
          type: 'radio',
          name: 'op',
          value: key,
          checked: key === op,
          onchange: () => select(key),
        }),
        h('span', {}, OPS[key].title),
      ),
    ),
  );

  function slotView(slot: Slot): HTMLElement {
    const id = `file-${slot.field}`;
    const img = h('img', { alt: `${slot.label} preview`, hidden: true });
    const overlay = svg('svg', { class: 'boxes', 'aria-hidden': 'true' });
    const placeholder = h('p', { class: 'placeholder' }, 'No image yet');
    const preview = h('div', { class: 'preview' }, img, overlay, placeholder);
    const refusal = h('p', { id: `${id}-error`, class: 'slot-error', role: 'alert', hidden: true });
    const input = h('input', {
      id,
      type: 'file',
      accept: [...accepted].join(','),
      'aria-describedby': `${id}-hint ${id}-limits ${id}-error`,
    });
    const empty = () => {
      img.removeAttribute('src');
      img.hidden = true;
      preview.classList.remove('filled');
      if (images.delete(slot.field)) markStale();
    };
    const refuse = (message: string) => {
      // The picker is cleared too: a refused file must not look chosen (Run would then ask for an image).
      input.value = '';
      empty();
      refusal.textContent = message;
      refusal.hidden = false;
    };
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      refusal.hidden = true;
      if (!file) return empty();
      if (file.size > limits.max_bytes) {
        return refuse(
          `${slot.label}: “${file.name}” is ${mib(file.size)}, over the ${mib(limits.max_bytes)} limit. Choose a smaller image.`,
        );
      }
      if (file.type && !accepted.has(file.type)) {
        return refuse(
          `${slot.label}: “${file.name}” is not a ${formatList(limits)} image. Choose another file.`,
        );
      }
      readAsDataUrl(file)
        .then((uri) => show(uri, file.name))
        .catch((e: unknown) => refuse(`${slot.label}: ${e instanceof Error ? e.message : String(e)}`));
    });
    const show = (uri: string, name: string) => {
      img.src = uri;
      img.hidden = false;
      preview.classList.add('filled');
      images.set(slot.field, { uri, name, img, overlay });
      clearBoxes();
      markStale();
    };
    const el = h(
      'div',
      { class: 'slot', 'data-field': slot.field },
      h('label', { for: id, class: 'slot-label' }, slot.label),
      h('p', { id: `${id}-hint`, class: 'muted small' }, slot.hint),
      h('p', { id: `${id}-limits`, class: 'muted small limits' }, limitsText),
      input,
      refusal,
      preview,
    );
    (el as HTMLElement & { loadSample?: () => Promise<void> }).loadSample = async () => {
      const res = await fetch(`/dashboard/samples/${slot.sample}`);
      input.value = '';
      refusal.hidden = true;
      show(await readAsDataUrl(await res.blob()), slot.sample);
    };
    return el;
  }

  /** A result on screen no longer matches the images: say so until the next run replaces it. */
  function markStale(): void {
    if (!result.firstChild || result.classList.contains('stale')) return;
    result.classList.add('stale');
    result.prepend(
      h(
        'p',
        { class: 'notice warning stale-note', role: 'status' },
        'The images changed: this result is for the previous ones. Run again to update it.',
      ),
    );
  }

  function select(next: Op): void {
    op = next;
    images.clear();
    mount(slotsEl, ...OPS[op].slots.map(slotView));
    run.textContent = OPS[op].action;
    priceNote.textContent = `Billed to your account like the API: ${usd(account.prices[OPS[op].price])} per successful result.`;
    mount(result);
    result.classList.remove('stale');
    error.hidden = true;
  }

  /** Shows why a run cannot go or was refused, brings it into view and puts keyboard focus on it. */
  function fail(message: string, extra?: Node): void {
    error.textContent = message;
    if (extra) error.append(extra);
    error.hidden = false;
    error.scrollIntoView({ block: 'center' });
    error.focus({ preventScroll: true });
  }

  function clearBoxes(): void {
    for (const { overlay } of images.values()) mount(overlay);
  }

  function drawBoxes(field: string, regions: Array<Region | null | undefined>): void {
    const entry = images.get(field);
    if (!entry) return;
    const { img, overlay } = entry;
    const W = img.naturalWidth;
    const H = img.naturalHeight;
    overlay.setAttribute('viewBox', `0 0 ${W} ${H}`);
    overlay.setAttribute('preserveAspectRatio', 'none');
    mount(overlay, ...boxShapes(regions, W));
  }

  const form = h(
    'form',
    { class: 'card stack', 'aria-label': 'Playground' },
    choices,
    slotsEl,
    error,
    h(
      'div',
      { class: 'actions' },
      run,
      h(
        'button',
        { type: 'button', class: 'btn secondary', onclick: () => void useSamples() },
        'Use sample images',
      ),
    ),
    priceNote,
  );

  async function useSamples(): Promise<void> {
    for (const el of Array.from(slotsEl.children)) {
      await (el as HTMLElement & { loadSample?: () => Promise<void> }).loadSample?.();
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.hidden = true;
    const missing = OPS[op].slots.filter((s) => !images.has(s.field));
    if (missing.length) return fail(`Choose an image for: ${missing.map((s) => s.label).join(', ')}.`);
    const body = Object.fromEntries(OPS[op].slots.map((s) => [s.field, images.get(s.field)!.uri]));
    run.disabled = true;
    run.setAttribute('aria-busy', 'true');
    const files = OPS[op].slots.map((s) => ({ field: s.field, name: images.get(s.field)!.name }));
    mount(result, h('p', { class: 'muted', role: 'status' }, 'Running…'));
    result.classList.remove('stale');
    clearBoxes();
    const current = op;
    api<Record<string, unknown>>(`/playground/${current}`, body)
      .then((res) => {
        const { heading, nodes } = resultView(current, res, files);
        mount(result, ...nodes);
        // Bring the result into view (below the form, often below the fold) and put focus on its heading.
        result.scrollIntoView({ block: 'start' });
        heading.focus({ preventScroll: true });
        if (current === 'verify') {
          const areas = (res.engine_response as { details: { facial_areas: Record<string, Region | null> } })
            .details.facial_areas;
          drawBoxes('img1', [areas.img1]);
          drawBoxes('img2', [areas.img2]);
        } else if (current === 'lookalike') {
          const areas = res.facial_areas as Record<string, Region | null> | undefined;
          drawBoxes('img1', [areas?.img1]);
          drawBoxes('img2', [areas?.img2]);
        } else {
          const first = (res.results as Array<Record<string, Array<{ region: Region | null }>>>)[0] ?? {};
          drawBoxes('image', Object.values(first)[0]?.map((f) => f.region) ?? []);
        }
        void refreshLowBalance();
        return api<{ account: Account }>('/account').then(
          ({ account: a }) => (balance.textContent = usd(a.balance)),
        );
      })
      .catch((e: unknown) => {
        mount(result);
        // The API's hint: what to do, naming the image by its role ("ID document", "Selfie"), never a raw code.
        // Out of credit, the message stands and the link below is what to do.
        const broke = e instanceof ApiError && e.status === 402;
        fail(
          e instanceof ApiError ? ((broke ? undefined : e.hint) ?? e.message) : String(e),
          // Out of credit: say where to add it.
          broke
            ? h('span', {}, ' ', h('a', { href: '#/billing' }, 'Add credit on the billing page'), '.')
            : undefined,
        );
        if (broke) void refreshLowBalance();
      })
      .finally(() => {
        run.disabled = false;
        run.removeAttribute('aria-busy');
      });
  });

  mount(
    main,
    h(
      'div',
      { class: 'page-head row' },
      h(
        'div',
        {},
        h('h1', {}, 'Playground'),
        h(
          'p',
          { class: 'muted' },
          'Upload photos and see what the API answers, with the faces it found outlined. Images are processed in memory and never stored.',
        ),
      ),
      h('p', { class: 'balance-pill' }, 'Balance ', balance),
    ),
    lowBalance,
    form,
    result,
  );
  select('verify');
}
