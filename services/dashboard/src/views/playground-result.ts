import { h, svg } from '../dom.js';
import { docsHref } from '../docs-links.js';
import { usd } from '../format.js';
import { copyButton } from './widgets.js';

/** What a playground result shows: the verdict, the facts, the JSON, and how to make the same call from a shell. */
export type Op = 'verify' | 'lookalike' | 'analyze';
export interface Region {
  x: number;
  y: number;
  w: number;
  h: number;
}

const HEADINGS: Record<Op, string> = {
  verify: 'Verification result',
  lookalike: 'Look-alike result',
  analyze: 'Analysis result',
};

/** A percentage that never breaks between the number and its sign. */
const percent = (value: number | string) => `${value}\u00a0%`;

function row(label: string, value: string | Node, attrs: Record<string, string> = {}): HTMLElement[] {
  return [h('dt', {}, label), h('dd', attrs, value)];
}

/** Quotes a file name for a POSIX shell (single quotes; an embedded ' becomes '\''). */
const shellQuote = (name: string) => `'${name.replace(/'/g, `'\\''`)}'`;

/**
 * The same call from a shell: the images read from their files by name (no bytes in the command) and the key from
 * $DEEPFACE_API_KEY (never the real one). The body goes through stdin (`-d @-`): a 5 MiB image in base64 is far
 * over the length one command-line argument may have.
 */
export function curlCommand(op: Op, files: Array<{ field: string; name: string }>, origin: string): string {
  const format = `{${files.map((f) => `"${f.field}":"%s"`).join(',')}}`;
  const args = files.map((f) => `"$(base64 < ${shellQuote(f.name)} | tr -d '\\n')"`).join(' \\\n    ');
  return [
    `printf '${format}' \\`,
    `    ${args} |`,
    `  curl -s ${origin}/v1/${op} \\`,
    `    -H "X-API-KEY: $DEEPFACE_API_KEY" \\`,
    `    -H "Content-Type: application/json" -d @-`,
  ].join('\n');
}

/** The result section's content: a focusable heading first (focus moves to it after a run), then the result. */
export function resultView(
  op: Op,
  res: Record<string, unknown>,
  files: Array<{ field: string; name: string }>,
): { heading: HTMLElement; nodes: Node[] } {
  const heading = h('h2', { class: 'result-title', tabindex: '-1' }, HEADINGS[op]);
  const curl = curlCommand(op, files, location.origin);
  const share = h(
    'div',
    { class: 'result-share' },
    h(
      'div',
      { class: 'actions' },
      copyButton(() => curl, 'Copy as curl'),
      h('a', { class: 'btn secondary small', href: docsHref(op) }, `Open ${op} in the API docs`),
    ),
    h(
      'details',
      { class: 'raw' },
      h('summary', {}, 'curl command'),
      h(
        'p',
        { class: 'muted small' },
        'Run it where the image files are, with ',
        h('code', {}, 'DEEPFACE_API_KEY'),
        ' set to one of your keys.',
      ),
      h('pre', { class: 'code', tabindex: '0', 'data-testid': 'curl' }, curl),
    ),
  );
  const json = h(
    'details',
    { class: 'raw' },
    h('summary', {}, 'JSON response'),
    h('pre', { class: 'code', tabindex: '0' }, JSON.stringify(res, null, 2)),
  );
  return { heading, nodes: [heading, ...present(op, res), share, json] };
}

/** details.document of a verify answer (the playground never asks for the personal fields). */
interface DocumentData {
  mrz: 'read' | 'absent' | 'too_small' | 'unreadable';
  format: string | null;
  document_type: string | null;
  issuing_country: string | null;
  check_digits_valid: boolean | null;
  invalid_fields: string[];
  expired: boolean | null;
  age: number | null;
  age_check?: { estimated_age: number; margin: number; consistent: boolean } | null;
}

const MRZ_STATUS: Record<DocumentData['mrz'], string> = {
  read: 'read',
  absent: 'none found on the document',
  too_small: 'printed too small in the image to read',
  unreadable: 'found, but its rows could not be read',
};

/** The document's machine-readable zone as facts: what it reads, never a guess presented as a value. */
function documentRows(d: DocumentData | undefined): HTMLElement[] {
  if (!d) return [];
  if (d.mrz !== 'read') return row('Document MRZ', MRZ_STATUS[d.mrz] ?? d.mrz);
  const type = (d.document_type ?? 'document').replace('_', ' ');
  const unknown = 'not readable';
  return [
    ...row('Document MRZ', `${type} (${d.format ?? '?'}), issued by ${d.issuing_country ?? '?'}`),
    ...row(
      'Check digits',
      d.check_digits_valid ? 'valid' : `invalid: ${d.invalid_fields.join(', ') || 'unknown fields'}`,
    ),
    ...row('Document expired', d.expired === null ? unknown : d.expired ? 'Yes' : 'No'),
    ...row('Age from the document', d.age === null ? unknown : String(d.age)),
    ...(d.age_check
      ? row(
          'Selfie looks',
          `about ${d.age_check.estimated_age}: ${d.age_check.consistent ? 'consistent' : 'not consistent'} ` +
            `with the document (margin \u00b1${d.age_check.margin} years)`,
        )
      : []),
  ];
}

/** details.liveness of a verify answer: the selfie's presentation-attack signal (absent with `liveness: "off"`). */
interface Liveness {
  score: number;
  decision: 'live' | 'spoof' | 'undecided';
}

/** A weak, single-frame signal: shown with its score and said to be one, never as a verdict of its own. */
function livenessRows(l: Liveness | undefined): HTMLElement[] {
  if (!l) return [];
  const docs = h('a', { href: docsHref('verify') }, 'what it catches');
  return row(
    'Liveness (selfie)',
    h('span', {}, `${l.decision}, score ${l.score.toFixed(2)} — a weak single-frame signal (`, docs, ')'),
  );
}

/** details.quality of a verify answer: each face judged against the limits of its role. */
interface FaceQuality {
  role: 'document' | 'selfie';
  acceptable: boolean;
  issues: string[];
  score: number;
}

function qualityRows(q: { img1: FaceQuality; img2: FaceQuality } | undefined): HTMLElement[] {
  if (!q) return [];
  const one = (f: FaceQuality) =>
    `${f.role === 'document' ? 'ID document' : 'Selfie'} ${f.score}/100` +
    (f.issues.length > 0 ? ` (${f.issues.join(', ').replace(/_/g, ' ')})` : '');
  const [doc, selfie] = q.img1.role === 'document' ? [q.img1, q.img2] : [q.img2, q.img1];
  return row('Face quality', `${one(doc)}; ${one(selfie)}`);
}

function present(op: Op, res: Record<string, unknown>): Node[] {
  const billing = res.billing as { charged: number };
  if (op === 'verify') {
    const er = res.engine_response as {
      verified: boolean;
      confidence: number;
      threshold: number;
      details: {
        distance: number;
        model: string;
        processing_time: number;
        document?: DocumentData;
        liveness?: Liveness;
        quality?: { img1: FaceQuality; img2: FaceQuality };
      };
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
        ...row('Confidence', percent(er.confidence)),
        ...row('Distance', `${er.details.distance} (match at ≤ ${er.threshold})`),
        ...row('Processing time', `${er.details.processing_time} s`),
        ...qualityRows(er.details.quality),
        ...livenessRows(er.details.liveness),
        ...documentRows(er.details.document),
        ...row('Charged', usd(billing.charged)),
      ),
    ];
  }
  if (op === 'lookalike') {
    const hint = res.ui_hint as { emoji: string; message: string };
    const threshold = typeof res.threshold === 'number' ? res.threshold : null;
    const distance = typeof res.distance === 'number' ? res.distance : null;
    return [
      h(
        'div',
        { class: `verdict ${res.verified ? 'ok' : 'neutral'}` },
        h('p', { class: 'verdict-title' }, `${percent(String(res.similarity))} similar`),
        h('p', {}, `${hint.emoji} ${hint.message}`),
      ),
      h(
        'dl',
        { class: 'facts' },
        ...row('Label', String(res.similarity_label).replace('_', ' ')),
        ...row('Same person', res.verified ? 'Yes' : 'No'),
        ...(threshold !== null
          ? row(
              'Threshold',
              `same person at a face distance ≤ ${threshold}${distance !== null ? ` (this pair: ${distance})` : ''}`,
            )
          : []),
        ...row('Charged', usd(billing.charged)),
      ),
    ];
  }
  const results = res.results as Array<Record<string, Array<Record<string, unknown>>>>;
  const faces = Number(res.faces_detected);
  let raceShown = false;
  const byFace = Array.from({ length: faces }, (_, i) => {
    const get = (action: string) => results.find((r) => action in r)?.[action]?.[i];
    // The label may wrap before its score; the score "(98.12 %)" never breaks.
    const pct = (scores: unknown, key: unknown) =>
      h(
        'span',
        {},
        `${String(key)} `,
        h('span', { class: 'pct' }, `(${percent((scores as Record<string, number>)[String(key)] ?? 0)})`),
      );
    const age = get('age');
    const gender = get('gender');
    const race = get('race');
    const emotion = get('emotion');
    if (race) raceShown = true;
    return h(
      'div',
      { class: 'face-card' },
      h('h3', {}, `Face ${i + 1}`),
      h(
        'dl',
        { class: 'facts' },
        ...(age ? row('Age', String(age.age)) : []),
        ...(gender ? row('Gender', pct(gender.gender, gender.dominant_gender)) : []),
        ...(race
          ? row('Race (estimate)', pct(race.race, race.dominant_race), { 'aria-describedby': 'race-caveat' })
          : []),
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
    raceShown
      ? h(
          'p',
          { id: 'race-caveat', class: 'notice warning small' },
          h('strong', {}, 'Race is a low-accuracy estimate. '),
          'It comes from a small model that knows five classes (white, black, asian, indian, other) and gets people ' +
            'wrong, our own test faces included. Do not use it to make decisions about people.',
        )
      : null,
  ].filter((n): n is HTMLDivElement | HTMLParagraphElement => n !== null);
}

/**
 * Boxes and labels over a preview. Each label is the face's number (the result's "Face N" cards), drawn inside
 * its own box and sized to fit it, so labels never overlap on a group photo however close the faces are.
 */
export function boxShapes(regions: Array<Region | null | undefined>, width: number): SVGElement[] {
  const many = regions.length > 1;
  return regions.flatMap((r, i) => {
    if (!r) return [];
    const text = many ? String(i + 1) : 'Face';
    // About 0.62 em per character plus padding; never taller than a third of the box.
    const font = Math.max(1, Math.min(width / 28, (r.w * 0.9) / (0.62 * text.length + 0.5), r.h / 3));
    const pad = font * 0.25;
    return [
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
        { x: r.x + pad, y: r.y + pad + font * 0.85, class: 'box-label', 'font-size': font.toFixed(1) },
        text,
      ),
    ];
  });
}
