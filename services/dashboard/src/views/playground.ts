import { ApiError, api, type Account } from '../api.js';
import { h, mount, svg } from '../dom.js';
import { usd } from '../format.js';
import type { AppContext } from '../main.js';
import { loadBilling, lowBalanceNotice } from './billing.js';

type Op = 'verify' | 'lookalike' | 'analyze';
interface Region {
  x: number;
  y: number;
  w: number;
  h: number;
}
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

const MAX_BYTES = 5 * 1024 * 1024;

const readAsDataUrl = (blob: Blob) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(new Error('The file could not be read.'));
    reader.readAsDataURL(blob);
  });

export async function renderPlayground(main: HTMLElement, _ctx: AppContext): Promise<void> {
  const [{ account }, billing] = await Promise.all([api<{ account: Account }>('/account'), loadBilling()]);
  // The low-balance warning with its link to the billing page, refreshed after every run.
  const lowBalance = h('div', { 'aria-live': 'polite' }, lowBalanceNotice(billing));
  const refreshLowBalance = () =>
    loadBilling()
      .then((b) => mount(lowBalance, lowBalanceNotice(b)))
      .catch(() => undefined);
  let op: Op = 'verify';
  const images = new Map<string, { uri: string; img: HTMLImageElement; overlay: SVGElement }>();

  const balance = h('span', {}, usd(account.balance));
  const slotsEl = h('div', { class: 'slots' });
  const result = h('section', { class: 'result', 'aria-live': 'polite', 'data-testid': 'result' });
  const run = h('button', { type: 'submit', class: 'btn primary' }, OPS.verify.action);
  const priceNote = h('p', { class: 'muted small' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });

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
    const preview = h(
      'div',
      { class: 'preview' },
      img,
      overlay,
      h('p', { class: 'placeholder' }, 'No image yet'),
    );
    const input = h('input', { id, type: 'file', accept: 'image/*', 'aria-describedby': `${id}-hint` });
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (file) void load(slot, file);
    });
    const show = (uri: string) => {
      img.src = uri;
      img.hidden = false;
      preview.classList.add('filled');
      images.set(slot.field, { uri, img, overlay });
      clearBoxes();
    };
    async function load(s: Slot, blob: Blob): Promise<void> {
      if (blob.size > MAX_BYTES) return fail(`${s.label}: the image is over 5 MiB.`);
      show(await readAsDataUrl(blob));
    }
    const el = h(
      'div',
      { class: 'slot', 'data-field': slot.field },
      h('label', { for: id, class: 'slot-label' }, slot.label),
      h('p', { id: `${id}-hint`, class: 'muted small' }, slot.hint),
      input,
      preview,
    );
    (el as HTMLElement & { loadSample?: () => Promise<void> }).loadSample = async () => {
      const res = await fetch(`/dashboard/samples/${slot.sample}`);
      show(await readAsDataUrl(await res.blob()));
    };
    return el;
  }

  function select(next: Op): void {
    op = next;
    images.clear();
    mount(slotsEl, ...OPS[op].slots.map(slotView));
    run.textContent = OPS[op].action;
    priceNote.textContent = `Billed to your account like the API: ${usd(account.prices[OPS[op].price])} per successful result.`;
    mount(result);
    error.hidden = true;
  }

  function fail(message: string): void {
    error.textContent = message;
    error.hidden = false;
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
    const font = Math.max(12, Math.round(W / 28));
    mount(
      overlay,
      ...regions.flatMap((r, i) =>
        r
          ? [
              svg('rect', {
                x: r.x,
                y: r.y,
                width: r.w,
                height: r.h,
                class: 'box',
                'vector-effect': 'non-scaling-stroke',
              }),
              svg(
                'text',
                { x: r.x, y: Math.max(font, r.y - font * 0.3), class: 'box-label', 'font-size': font },
                regions.length > 1 ? `Face ${i + 1}` : 'Face',
              ),
            ]
          : [],
      ),
    );
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
    mount(result, h('p', { class: 'muted', role: 'status' }, 'Running…'));
    clearBoxes();
    const current = op;
    api<Record<string, unknown>>(`/playground/${current}`, body)
      .then((res) => {
        mount(result, ...present(current, res));
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
        fail(e instanceof ApiError ? ((e.status === 402 ? undefined : e.hint) ?? e.message) : String(e));
        // Out of credit: say where to add it.
        if (e instanceof ApiError && e.status === 402) {
          error.append(' ', h('a', { href: '#/billing' }, 'Add credit on the billing page'), '.');
          void refreshLowBalance();
        }
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

function row(label: string, value: string | Node): HTMLElement[] {
  return [h('dt', {}, label), h('dd', {}, value)];
}

function present(op: Op, res: Record<string, unknown>): Node[] {
  const billing = res.billing as { charged: number };
  const json = h(
    'details',
    { class: 'raw' },
    h('summary', {}, 'JSON response'),
    h('pre', { class: 'code' }, JSON.stringify(res, null, 2)),
  );
  if (op === 'verify') {
    const er = res.engine_response as {
      verified: boolean;
      confidence: number;
      threshold: number;
      details: { distance: number; model: string; processing_time: number };
    };
    return [
      h(
        'div',
        { class: `verdict ${er.verified ? 'ok' : 'bad'}` },
        h('p', { class: 'verdict-title' }, er.verified ? 'Verified' : 'Not verified'),
        h('p', {}, String(res.message)),
      ),
      h(
        'dl',
        { class: 'facts' },
        ...row('Confidence', `${er.confidence} %`),
        ...row('Distance', `${er.details.distance} (match at ≤ ${er.threshold})`),
        ...row('Processing time', `${er.details.processing_time} s`),
        ...row('Charged', usd(billing.charged)),
      ),
      json,
    ];
  }
  if (op === 'lookalike') {
    const hint = res.ui_hint as { emoji: string; message: string };
    return [
      h(
        'div',
        { class: `verdict ${res.verified ? 'ok' : 'neutral'}` },
        h('p', { class: 'verdict-title' }, `${String(res.similarity)} % similar`),
        h('p', {}, `${hint.emoji} ${hint.message}`),
      ),
      h(
        'dl',
        { class: 'facts' },
        ...row('Label', String(res.similarity_label).replace('_', ' ')),
        ...row('Same person', res.verified ? 'Yes' : 'No'),
        ...row('Charged', usd(billing.charged)),
      ),
      json,
    ];
  }
  const results = res.results as Array<Record<string, Array<Record<string, unknown>>>>;
  const faces = Number(res.faces_detected);
  const byFace = Array.from({ length: faces }, (_, i) => {
    const get = (action: string) => results.find((r) => action in r)?.[action]?.[i];
    const pct = (scores: unknown, key: unknown) =>
      `${String(key)} (${(scores as Record<string, number>)[String(key)] ?? 0} %)`;
    const age = get('age');
    const gender = get('gender');
    const race = get('race');
    const emotion = get('emotion');
    return h(
      'div',
      { class: 'face-card' },
      h('h3', {}, `Face ${i + 1}`),
      h(
        'dl',
        { class: 'facts' },
        ...(age ? row('Age', String(age.age)) : []),
        ...(gender ? row('Gender', pct(gender.gender, gender.dominant_gender)) : []),
        ...(race ? row('Race', pct(race.race, race.dominant_race)) : []),
        ...(emotion ? row('Emotion', pct(emotion.emotion, emotion.dominant_emotion)) : []),
      ),
    );
  });
  return [
    h(
      'div',
      { class: 'verdict ok' },
      h('p', { class: 'verdict-title' }, `${faces} face${faces === 1 ? '' : 's'} analysed`),
      h('p', {}, `Charged ${usd(billing.charged)}`),
    ),
    h('div', { class: 'faces' }, ...byFace),
    json,
  ];
}
